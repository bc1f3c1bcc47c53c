package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/** {@code y = g(x)} with no parameters; its pre-activation is its input. */
public final class ActivationLayer extends AbstractLayer<ActivationConfig> implements ActivatedLayer {

  private final Shape shape;
  private final Activation activation;
  private float[] input = new float[0];
  private int inputOffset;

  ActivationLayer(String name, ActivationConfig config, Shape shape) {
    super(name, config, shape);
    this.shape = shape;
    this.activation = Activations.parse(config.activation());
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public Activation activation() {
    return activation;
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
  public float[] preActivation() {
    if (inputOffset != 0) {
      throw new IllegalStateException(name + ": the fused loss gradient needs the input at offset 0");
    }
    return input;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    input = x;
    inputOffset = xOffset;
    int cols = shape.size();
    if (xOffset == 0) {
      activation.forward(x, y, batch, cols);
    } else {
      System.arraycopy(x, xOffset, y, 0, batch * cols);
      activation.forward(y, y, batch, cols);
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (dX == null) {
      return;
    }
    if (xOffset != 0) {
      throw new IllegalStateException(name + ": backward through an input at an offset is not supported");
    }
    activation.backward(x, y, dY, dX, batch, shape.size());
  }

  @Override
  public void backwardPreActivation(float[] x, int xOffset, float[] dZ, float[] dX, int batch) {
    if (dX != null) {
      System.arraycopy(dZ, 0, dX, 0, batch * shape.size());
    }
  }
}
