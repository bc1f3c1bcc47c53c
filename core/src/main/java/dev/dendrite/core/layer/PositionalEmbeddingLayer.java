package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code y[t] = x[t] + P[t]} for a sequence {@code x [T, d]} and a learned table {@code P [T, d]}.
 * Backward: {@code dP += Σ_batch dY}, {@code dX = dY}.
 */
public final class PositionalEmbeddingLayer implements Layer {

  private final String name;
  private final PositionalEmbeddingConfig config;
  private final Shape inputShape;
  private final int size; // T·d

  private float[] params;
  private float[] grads;
  private int offset;

  PositionalEmbeddingLayer(String name, PositionalEmbeddingConfig config, Shape inputShape) {
    if (inputShape.rank() != 2) {
      throw new IllegalArgumentException(PositionalEmbeddingConfig.TYPE + " needs an input of shape [steps, "
          + "features] (rank 2), got input shape " + inputShape + "; put it after an embedding layer");
    }
    this.name = name;
    this.config = config;
    this.inputShape = inputShape;
    this.size = inputShape.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return inputShape;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    int steps = inputShape.dim(0);
    int d = inputShape.dim(1);
    return List.of(new ParameterSpec("positions", inputShape, Initializers.parse(config.embeddingsInit()),
        steps, d, 0, 0));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.offset = offset;
  }

  @Override
  public void allocate(int maxBatch) {
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    for (int n = 0; n < batch; n++) {
      int in = xOffset + n * size;
      int out = n * size;
      for (int i = 0; i < size; i++) {
        y[out + i] = x[in + i] + params[offset + i];
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    for (int n = 0; n < batch; n++) {
      int o = n * size;
      for (int i = 0; i < size; i++) {
        grads[offset + i] += dY[o + i]; // dP [T, d] += dY[n]
      }
    }
    if (dX != null) {
      System.arraycopy(dY, 0, dX, 0, batch * size);
    }
  }
}
