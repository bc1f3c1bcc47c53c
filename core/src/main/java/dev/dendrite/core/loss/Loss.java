package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;

/**
 * A loss over a batch of predictions {@code pred [batch, width]} (offset 0) and targets
 * {@code targets [batch, targetWidth]} starting at {@code tOffset}. Per-example losses are multiplied
 * by {@code weights[wOffset + r]} when {@code weights} is not null (class weights, over-sampling) and
 * summed in double; callers divide by the batch size (or, distributed, by the global count) to get
 * the mean, and pass the same divisor as {@code scale} to gradients.
 */
public interface Loss {

  /** The name used in configs and model files, e.g. {@code mse}. */
  String name();

  /** The width of one example's target for a network with {@code outputs} outputs. */
  int targetWidth(int outputs);

  /**
   * How a class-index label becomes this loss's targets on {@code outputs} outputs: one-hot for a loss
   * over a distribution of several classes, as given otherwise. The one place this is decided.
   */
  default TargetEncoding targetEncoding(int outputs) {
    return TargetEncoding.AS_GIVEN;
  }

  /** {@code Σ_r w_r · ℓ(pred_r, target_r)}. */
  double value(float[] pred, int width, float[] targets, int tOffset, float[] weights, int wOffset,
               int batch);

  /**
   * The same sum, and {@code dPred = scale · ∂sum/∂pred} written into {@code dPred [batch, width]}.
   */
  double gradient(float[] pred, int width, float[] targets, int tOffset, float[] weights, int wOffset,
                  int batch, float scale, float[] dPred);

  /** Whether {@link #fusedGradient} is available when the output layer uses {@code activation}. */
  default boolean fusesWith(Activation activation) {
    return false;
  }

  /**
   * For a fusing output activation: the loss of {@code y = g(z)} and {@code dZ = scale · ∂sum/∂z}
   * directly (e.g. {@code p - t} for softmax + cross-entropy), skipping g's Jacobian.
   */
  default double fusedGradient(float[] z, float[] y, int width, float[] targets, int tOffset,
                               float[] weights, int wOffset, int batch, float scale, float[] dZ) {
    throw new UnsupportedOperationException(name() + " has no fused gradient");
  }
}
