package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A {@link DenseLayer} of input width F over the {@code batch·T} rows of a {@code [batch, T, F]} batch:
 * {@code y[t] = g(W x[t] + b)} for every position t, one GEMM for all of them. Its output counts as T
 * predictions per example ({@link #outputPositions()}).
 */
public final class TimeDistributedDenseLayer implements ActivatedLayer {

  private final TimeDistributedDenseConfig config;
  private final Shape inputShape;
  private final Shape outputShape;
  private final int steps;
  private final DenseLayer dense;

  TimeDistributedDenseLayer(String name, TimeDistributedDenseConfig config, Shape inputShape, Gemm gemm) {
    if (inputShape.rank() != 2) {
      throw new IllegalArgumentException(TimeDistributedDenseConfig.TYPE + " needs an input of shape [steps, "
          + "features] (rank 2), got input shape " + inputShape + "; use dense for a single vector");
    }
    this.config = config;
    this.inputShape = inputShape;
    this.steps = inputShape.dim(0);
    this.outputShape = Shape.of(steps, config.units());
    this.dense = new DenseLayer(name, config.dense(), Shape.of(inputShape.dim(1)), gemm);
  }

  @Override
  public String name() {
    return dense.name();
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public int outputPositions() {
    return steps;
  }

  @Override
  public Activation activation() {
    return dense.activation();
  }

  @Override
  public float[] preActivation() {
    return dense.preActivation();
  }

  @Override
  public List<ParameterSpec> parameters() {
    return dense.parameters();
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    dense.bind(params, grads, offset);
  }

  @Override
  public void allocate(int maxBatch) {
    dense.allocate(Math.multiplyExact(maxBatch, steps));
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    dense.forward(x, xOffset, y, batch * steps, training, rng);
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    dense.backward(x, xOffset, y, dY, dX, batch * steps);
  }

  @Override
  public void backwardPreActivation(float[] x, int xOffset, float[] dZ, float[] dX, int batch) {
    dense.backwardPreActivation(x, xOffset, dZ, dX, batch * steps);
  }
}
