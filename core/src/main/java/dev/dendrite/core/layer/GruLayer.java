package dev.dendrite.core.layer;

import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.init.Initializer;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;

/**
 * A gated recurrent unit (Cho et al. 2014) in PyTorch's variant ("reset after", also Keras'
 * {@code reset_after=True} and cuDNN's), gate order r, z, n: {@code W [3u, F]}, {@code U [3u, u]},
 * input bias {@code b [3u]} and recurrent bias {@code bh [3u]} (PyTorch's {@code weight_ih, weight_hh,
 * bias_ih, bias_hh}; bh's n slice sits inside the reset gate, so it is not redundant).
 * <pre>
 *   gx = W x_t + b    gh = U h_{t-1} + bh    (each [3u], split into r, z, n slices)
 *   r = σ(gx_r + gh_r)   z = σ(gx_z + gh_z)   n = tanh(gx_n + r ⊙ gh_n)
 *   h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}          h_{-1} = 0
 * </pre>
 * Backward per step from {@code dH = ∂L/∂h_t}: {@code dn = dH ⊙ (1-z) ⊙ (1-n²)},
 * {@code dz = dH ⊙ (h_{t-1} - n) ⊙ z(1-z)}, {@code dr = dn ⊙ gh_n ⊙ r(1-r)}; the input side gets
 * {@code dGx = (dr, dz, dn)}, the recurrent side {@code dGh = (dr, dz, dn ⊙ r)}; carried back:
 * {@code dH_{t-1} = dGh U + dH ⊙ z}. Then {@code dW += dGxᵀ x}, {@code db += Σ dGx}, {@code dX = dGx W},
 * {@code dU += Σ_t dGh_tᵀ h_{t-1}}, {@code dbh += Σ dGh}.
 */
public final class GruLayer extends RecurrentLayer {

  private final GruConfig config;
  private int bhOffset;
  private float[] gh = new float[0];   // [batch, 3u] U h_{t-1} + bh of the current step
  private float[] ghN = new float[0];  // [batch, T, u] the n slice of gh at every step, for backward

  GruLayer(String name, GruConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, inputShape, 3, config.units(), config.returnSequences(), config.truncate(), gemm);
    this.config = config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = parameters(config.kernelInit(), config.recurrentInit(), config.l1(), config.l2());
    specs.add(new ParameterSpec("bh", Shape.of(width), Initializers.parse(config.biasInit()), units, width, 0, 0));
    return specs;
  }

  @Override
  Initializer biasInitializer() {
    return Initializers.parse(config.biasInit());
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    super.bind(params, grads, offset);
    bhOffset = bOffset + width;
  }

  @Override
  void allocateCell(int maxBatch) {
    dZh = new float[maxBatch * steps * width]; // the recurrent side differs from the input side in n
    gh = new float[maxBatch * width];
    ghN = new float[maxBatch * steps * units];
  }

  @Override
  void stepForward(int t, int batch) {
    int u = units;
    // gh [batch, 3u] = bh + h_{t-1} Uᵀ
    for (int r = 0; r < batch; r++) {
      System.arraycopy(params, bhOffset, gh, r * width, width);
    }
    addRecurrentProjection(t, batch, gh, 0, width);
    for (int r = 0; r < batch; r++) {
      int g = (r * steps + t) * width; // gx of (r, t), replaced by the gates r, z, n
      int s = (r * steps + t) * u;     // states of (r, t); s - u is step t-1
      int q = r * width;
      for (int j = 0; j < 2 * u; j++) {
        a[g + j] += gh[q + j]; // reset and update pre-activations
      }
      Kernels.sigmoid(a, a, g, g + 2 * u);
      for (int j = 0; j < u; j++) {
        float hn = gh[q + 2 * u + j];
        ghN[s + j] = hn;
        a[g + 2 * u + j] += a[g + j] * hn; // the candidate's pre-activation, with the reset gate
      }
      Kernels.tanh(a, a, g + 2 * u, g + 3 * u);
      for (int j = 0; j < u; j++) {
        float update = a[g + u + j];
        float hPrev = t > 0 ? h[s - u + j] : 0f;
        h[s + j] = (1f - update) * a[g + 2 * u + j] + update * hPrev;
      }
    }
  }

  @Override
  void stepBackward(int t, int batch, boolean carry) {
    int u = units;
    for (int r = 0; r < batch; r++) {
      int s = (r * steps + t) * u;
      Kernels.gruCellBackward(a, (r * steps + t) * width, h, t > 0 ? s - u : -1, s, ghN, dH, r * u, dZx, dZStep,
          r * width, dZh, dHPrev, u);
    }
    if (carry) {
      carryThroughU(batch, 1f); // dH_{t-1} = dGh_t U + dH ⊙ z
    }
  }

  @Override
  void extraGradients(int batch) {
    // dbh [3u] += column sums of dGh
    int rows = batch * steps;
    for (int r = 0; r < rows; r++) {
      int row = r * width;
      for (int j = 0; j < width; j++) {
        grads[bhOffset + j] += dZh[row + j];
      }
    }
  }
}
