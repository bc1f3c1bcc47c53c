package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Reshapes {@code [batch, d1, ..., dk]} to {@code [batch, d1·...·dk]}. Examples are already stored
 * row-major and contiguous, so forward and backward are plain copies: {@code y = x}, {@code dX = dY}.
 */
public final class FlattenLayer extends AbstractLayer<FlattenConfig> {

  private final Shape outputShape;
  private final int size;

  FlattenLayer(String name, FlattenConfig config, Shape inputShape) {
    super(name, config, inputShape);
    this.size = inputShape.size();
    this.outputShape = Shape.of(size);
  }

  @Override
  public Shape outputShape() {
    return outputShape;
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
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    System.arraycopy(x, xOffset, y, 0, batch * size);
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (dX != null) {
      System.arraycopy(dY, 0, dX, 0, batch * size);
    }
  }
}
