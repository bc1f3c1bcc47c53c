package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Parametric ReLU: {@code y_j = x_j if x_j > 0 else α_j x_j}, with a learned slope {@code α [size]} per
 * element of the input (shape = input shape). Backward: {@code dX_j = dY_j} where {@code x_j > 0}, else
 * {@code α_j dY_j}; {@code dα_j += Σ_rows dY_j x_j} over rows where {@code x_j ≤ 0}. At {@code x = 0} the
 * negative branch is taken (as {@code leaky_relu} does): {@code dX = α dY} and the α term is 0.
 */
public final class PReluLayer extends AbstractLayer<PReluConfig> {

  private final Shape shape;
  private final int size;

  private float[] params;
  private float[] grads;
  private int alphaOffset;

  PReluLayer(String name, PReluConfig config, Shape shape) {
    super(name, config, shape);
    this.shape = shape;
    this.size = shape.size();
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(new ParameterSpec("alpha", shape, Initializers.parse(config.alphaInit()), size, size, 0, 0));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.alphaOffset = offset;
  }

  @Override
  public void allocate(int maxBatch) {
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    for (int r = 0; r < batch; r++) {
      int in = xOffset + r * size;
      int out = r * size;
      for (int j = 0; j < size; j++) {
        float v = x[in + j];
        y[out + j] = v > 0f ? v : params[alphaOffset + j] * v;
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    for (int r = 0; r < batch; r++) {
      int in = xOffset + r * size;
      int row = r * size;
      for (int j = 0; j < size; j++) {
        float v = x[in + j];
        float d = dY[row + j];
        if (v > 0f) {
          if (dX != null) {
            dX[row + j] = d;
          }
        } else {
          grads[alphaOffset + j] += d * v; // dα_j [size] += dY · x on the negative branch
          if (dX != null) {
            dX[row + j] = params[alphaOffset + j] * d;
          }
        }
      }
    }
  }
}
