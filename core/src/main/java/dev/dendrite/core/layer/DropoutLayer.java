package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout. Training: {@code mask_i = 1/(1-rate)} with probability {@code 1-rate}, else 0, drawn
 * from the caller's generator; {@code y = x ⊙ mask}, {@code dX = dY ⊙ mask}. Inference: {@code y = x}.
 */
public final class DropoutLayer extends AbstractLayer<DropoutConfig> {

  private final Shape shape;
  private final float keep;
  private float[] mask = new float[0];
  private boolean masked;

  DropoutLayer(String name, DropoutConfig config, Shape shape) {
    super(name, config, shape);
    this.shape = shape;
    this.keep = (float) (1 - config.rate());
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
  }

  @Override
  public void allocate(int maxBatch) {
    if (mask.length < maxBatch * shape.size()) {
      mask = new float[maxBatch * shape.size()];
    }
  }

  /** The mask of the last training forward, {@code [batch, size]}: for tests. */
  public float[] mask() {
    return mask;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int n = batch * shape.size();
    masked = training && config.rate() > 0;
    if (!masked) {
      System.arraycopy(x, xOffset, y, 0, n);
      return;
    }
    if (rng == null) {
      throw new IllegalArgumentException(name + ": dropout in training needs a random generator");
    }
    float scale = 1f / keep;
    for (int i = 0; i < n; i++) {
      float m = rng.nextFloat() < keep ? scale : 0f;
      mask[i] = m;
      y[i] = x[xOffset + i] * m;
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (dX == null) {
      return;
    }
    int n = batch * shape.size();
    if (!masked) {
      System.arraycopy(dY, 0, dX, 0, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      dX[i] = dY[i] * mask[i];
    }
  }
}
