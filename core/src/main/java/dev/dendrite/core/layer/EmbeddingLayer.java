package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Looks up integer ids (stored as floats) in a table {@code E [vocabulary, dimension]}: an input of T ids
 * gives {@code y [T, dimension]}, {@code y[t] = E[x[t]]}. Backward scatter-adds {@code dE[x[t]] += dY[t]}.
 * Ids are not differentiable, so an embedding is a first layer; if a dX is asked for it is filled with 0.
 */
public final class EmbeddingLayer extends AbstractLayer<EmbeddingConfig> {

  private final Shape outputShape;
  private final int length;     // T ids per example
  private final int vocabulary;
  private final int dimension;

  private float[] params;
  private float[] grads;
  private int tableOffset;

  EmbeddingLayer(String name, EmbeddingConfig config, Shape inputShape) {
    super(name, config, inputShape);
    this.length = inputShape.size();
    this.vocabulary = config.vocabulary();
    this.dimension = config.dimension();
    this.outputShape = Shape.of(length, dimension);
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(new ParameterSpec("embeddings", Shape.of(vocabulary, dimension),
        Initializers.parse(config.embeddingsInit()), vocabulary, dimension, 0, 0));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.tableOffset = offset;
  }

  @Override
  public void allocate(int maxBatch) {
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    for (int n = 0; n < batch; n++) {
      for (int t = 0; t < length; t++) {
        int id = id(x, xOffset, n, t);
        System.arraycopy(params, tableOffset + id * dimension, y, (n * length + t) * dimension, dimension);
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    for (int n = 0; n < batch; n++) {
      for (int t = 0; t < length; t++) {
        int row = tableOffset + id(x, xOffset, n, t) * dimension;
        int src = (n * length + t) * dimension;
        for (int j = 0; j < dimension; j++) {
          grads[row + j] += dY[src + j]; // dE[id] [dimension] += dY[n, t]
        }
      }
    }
    if (dX != null) {
      Arrays.fill(dX, 0, batch * length, 0f);
    }
  }

  private int id(float[] x, int xOffset, int n, int t) {
    float v = x[xOffset + n * length + t];
    int id = (int) v;
    if (id != v || id < 0 || id >= vocabulary) {
      throw new IllegalArgumentException(name + ": example " + n + ", position " + t + " holds id " + v
          + "; ids must be integers in [0, " + vocabulary + ")");
    }
    return id;
  }
}
