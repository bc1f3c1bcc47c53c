package dev.dendrite.core.layer;

import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.init.Initializer;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;

/**
 * The Elman recurrent layer {@code h_t = tanh(W x_t + U h_{t-1} + b)}, {@code h_{-1} = 0}, with
 * {@code W [u, F]}, {@code U [u, u]}, {@code b [u]} (PyTorch's {@code nn.RNN} with one bias). Backward per
 * step: {@code dZ_t = (1 - h_t²) ⊙ dH_t}, {@code dH_{t-1} = dZ_t U}; over all steps {@code dW += dZᵀ x},
 * {@code dU += Σ_t dZ_tᵀ h_{t-1}}, {@code db += Σ dZ}, {@code dX = dZ W}. Sequences, truncation and
 * scratch space are described in {@link RecurrentLayer}.
 */
public final class SimpleRnnLayer extends RecurrentLayer {

  private final SimpleRnnConfig config;

  SimpleRnnLayer(String name, SimpleRnnConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, inputShape, 1, config.units(), config.returnSequences(), config.truncate(), gemm);
    this.config = config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return parameters(config.kernelInit(), config.recurrentInit(), config.l1(), config.l2());
  }

  @Override
  Initializer biasInitializer() {
    return Initializers.parse(config.biasInit());
  }

  @Override
  void stepForward(int t, int batch) {
    int ld = steps * units;
    // z_t [batch, u] = (x_t Wᵀ + b) + h_{t-1} Uᵀ, in place in a
    addRecurrentProjection(t, batch, a, t * units, ld);
    for (int r = 0; r < batch; r++) {
      int row = r * ld + t * units;
      Kernels.tanh(a, a, row, row + units);
      System.arraycopy(a, row, h, row, units);
    }
  }

  @Override
  void stepBackward(int t, int batch, boolean carry) {
    int ld = steps * units;
    for (int r = 0; r < batch; r++) {
      int row = r * ld + t * units;
      int d = r * units;
      for (int j = 0; j < units; j++) {
        float ht = h[row + j];
        float dz = dH[d + j] * (1f - ht * ht); // tanh' = 1 - h²
        dZStep[d + j] = dz;
        dZx[row + j] += dz;
      }
    }
    if (carry) {
      carryThroughU(batch, 0f); // dH_{t-1} = dZ_t U
    }
  }
}
