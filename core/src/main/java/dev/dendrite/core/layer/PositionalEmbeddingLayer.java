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
public final class PositionalEmbeddingLayer extends AbstractLayer<PositionalEmbeddingConfig> {

  private final int size; // T·d

  private float[] params;
  private float[] grads;
  private int offset;

  PositionalEmbeddingLayer(String name, PositionalEmbeddingConfig config, Shape inputShape) {
    super(name, config, sequenceInput(PositionalEmbeddingConfig.TYPE, inputShape, "; put it after an embedding layer"));
    this.size = inputShape.size();
  }

  @Override
  public Shape outputShape() {
    return inputShape;
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
