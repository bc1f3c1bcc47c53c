package dev.dendrite.core.layer;

import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.init.Initializer;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Long short-term memory (Hochreiter &amp; Schmidhuber 1997, with a forget gate) in PyTorch's gate order
 * i, f, g, o: {@code W [4u, F]}, {@code U [4u, u]}, {@code b [4u]}, rows {@code [k·u, (k+1)·u)} for gate k.
 * <pre>
 *   i = σ(W_i x_t + U_i h_{t-1} + b_i)   f = σ(…_f)   g = tanh(…_g)   o = σ(…_o)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g            h_t = o ⊙ tanh(c_t)           h_{-1} = c_{-1} = 0
 * </pre>
 * Backward per step, from {@code dH = ∂L/∂h_t} and the carried {@code dC = ∂L/∂c_t}:
 * {@code dc = dC + dH ⊙ o ⊙ (1 - tanh²c_t)}; {@code dz_i = dc ⊙ g ⊙ i(1-i)},
 * {@code dz_f = dc ⊙ c_{t-1} ⊙ f(1-f)}, {@code dz_g = dc ⊙ i ⊙ (1-g²)}, {@code dz_o = dH ⊙ tanh c_t ⊙ o(1-o)};
 * carried back: {@code dH_{t-1} = dZ_t U}, {@code dC_{t-1} = dc ⊙ f}. PyTorch keeps two bias vectors
 * whose sum is our b. Sequences, truncation and the parameter gradients are described in
 * {@link RecurrentLayer}.
 */
public final class LstmLayer extends RecurrentLayer {

  private final LstmConfig config;
  private float[] c = new float[0];      // [batch, T, u] cell states c_t
  private float[] tanhC = new float[0];  // [batch, T, u] tanh(c_t)
  private float[] dC = new float[0];     // [batch, u] ∂L/∂c_t carried back through time

  LstmLayer(String name, LstmConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, inputShape, 4, config.units(), config.returnSequences(), config.truncate(), gemm);
    this.config = config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return parameters(config.kernelInit(), config.recurrentInit(), config.l1(), config.l2());
  }

  @Override
  Initializer biasInitializer() {
    Initializer base = Initializers.parse(config.biasInit());
    if (!config.unitForgetBias()) {
      return base;
    }
    int u = units;
    return new Initializer() {
      @Override
      public void fill(float[] values, int offset, int length, int fanIn, int fanOut, RandomGenerator rng) {
        base.fill(values, offset, length, fanIn, fanOut, rng);
        Arrays.fill(values, offset + u, offset + 2 * u, 1f); // the forget gate starts open (Keras' unit_forget_bias)
      }

      @Override
      public String name() {
        return base.name() + " with forget-gate bias 1";
      }
    };
  }

  @Override
  void allocateCell(int maxBatch) {
    c = new float[maxBatch * steps * units];
    tanhC = new float[maxBatch * steps * units];
    dC = new float[maxBatch * units];
  }

  /** The cell states {@code [batch, T, u]} of the last forward: for tests. */
  public float[] cellStates() {
    return c;
  }

  @Override
  void clearCarry(int batch) {
    super.clearCarry(batch);
    Arrays.fill(dC, 0, batch * units, 0f);
  }

  @Override
  void stepForward(int t, int batch) {
    int u = units;
    // pre-activations [batch, 4u] = (x_t Wᵀ + b) + h_{t-1} Uᵀ, in place in a; then the gates replace them
    addRecurrentProjection(t, batch, a, t * width, steps * width);
    for (int r = 0; r < batch; r++) {
      int g = (r * steps + t) * width; // gates of (r, t): i at g, f at g+u, g at g+2u, o at g+3u
      int s = (r * steps + t) * u;     // states of (r, t); s - u is step t-1
      // the gates in place, each a vectorized pass over its units; then c, tanh c and h in one pass
      Kernels.sigmoid(a, a, g, g + 2 * u);
      Kernels.tanh(a, a, g + 2 * u, g + 3 * u);
      Kernels.sigmoid(a, a, g + 3 * u, g + 4 * u);
      Kernels.lstmCell(a, g, c, t > 0 ? s - u : -1, s, tanhC, h, u);
    }
  }

  @Override
  void stepBackward(int t, int batch, boolean carry) {
    int u = units;
    for (int r = 0; r < batch; r++) {
      int s = (r * steps + t) * u;
      Kernels.lstmCellBackward(a, (r * steps + t) * width, c, t > 0 ? s - u : -1, s, tanhC, dH, dC, r * u, dZStep,
          r * width, dZx, u);
    }
    if (carry) {
      carryThroughU(batch, 0f); // dH_{t-1} = dZ_t U
    }
  }
}
