package dev.dendrite.core.activation;

/**
 * An activation applied to a batch of pre-activations {@code z} (row-major {@code [rows, cols]}).
 * Element-wise activations ignore the row structure; softmax works per row.
 */
public interface Activation {

  /** The name used in configs and model files, e.g. {@code relu} or {@code leaky_relu(0.01)}. */
  String name();

  /** {@code y = g(z)}; writes {@code y} only. {@code z} and {@code y} may be the same array. */
  void forward(float[] z, float[] y, int rows, int cols);

  /**
   * The chain rule through g: {@code dZ = (∂y/∂z)ᵀ · dY}, given the forward's {@code z} and {@code y}.
   * Writes {@code dZ} only; {@code dZ} may be the same array as {@code dY}.
   */
  void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols);
}
