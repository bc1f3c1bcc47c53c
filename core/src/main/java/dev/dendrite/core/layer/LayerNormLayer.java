package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Normalizes every row of d values (the last axis; a {@code [T, d]} example has T rows) to mean 0 and
 * variance 1, then scales and shifts per feature: {@code y = γ ⊙ x̂ + β}, {@code x̂ = (x - μ) / √(σ² + ε)},
 * μ and σ² the row's mean and (biased) variance. Parameters {@code gamma [d]} (ones) and {@code beta [d]}
 * (zeros), as PyTorch's {@code nn.LayerNorm(d)}.
 *
 * <p>Backward per row, with {@code g = γ ⊙ dY}: {@code dX = (g - mean(g) - x̂ ⊙ mean(g ⊙ x̂)) / √(σ² + ε)};
 * {@code dγ += Σ_rows dY ⊙ x̂}, {@code dβ += Σ_rows dY}.
 */
public final class LayerNormLayer extends AbstractLayer<LayerNormConfig> {

  private final int features; // d, the normalized axis
  private final int rowsPerExample;
  private final float epsilon;

  private float[] params;
  private float[] grads;
  private int gammaOffset;
  private int betaOffset;
  private float[] xHat = new float[0];   // [batch · rows, d] the normalized input
  private float[] invStd = new float[0]; // [batch · rows] 1 / √(σ² + ε)

  LayerNormLayer(String name, LayerNormConfig config, Shape inputShape) {
    super(name, config, inputShape);
    this.features = inputShape.dim(inputShape.rank() - 1);
    this.rowsPerExample = inputShape.size() / features;
    this.epsilon = (float) config.epsilon();
  }

  @Override
  public Shape outputShape() {
    return inputShape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        new ParameterSpec("gamma", Shape.of(features), Initializers.parse("ones"), features, features, 0, 0),
        new ParameterSpec("beta", Shape.of(features), Initializers.parse("zeros"), features, features, 0, 0));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.gammaOffset = offset;
    this.betaOffset = offset + features;
  }

  @Override
  public void allocate(int maxBatch) {
    int rows = maxBatch * rowsPerExample;
    if (invStd.length < rows) {
      xHat = new float[rows * features];
      invStd = new float[rows];
    }
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int d = features;
    int rows = batch * rowsPerExample;
    for (int r = 0; r < rows; r++) {
      int in = xOffset + r * d;
      int out = r * d;
      double sum = 0;
      for (int j = 0; j < d; j++) {
        sum += x[in + j];
      }
      float mean = (float) (sum / d);
      double squares = 0;
      for (int j = 0; j < d; j++) {
        float c = x[in + j] - mean;
        squares += c * c;
      }
      float inv = (float) (1.0 / Math.sqrt(squares / d + epsilon));
      invStd[r] = inv;
      for (int j = 0; j < d; j++) {
        float h = (x[in + j] - mean) * inv;
        xHat[out + j] = h;
        y[out + j] = params[gammaOffset + j] * h + params[betaOffset + j];
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    int d = features;
    int rows = batch * rowsPerExample;
    for (int r = 0; r < rows; r++) {
      int o = r * d;
      double sumG = 0;
      double sumGx = 0;
      for (int j = 0; j < d; j++) {
        float dy = dY[o + j];
        float h = xHat[o + j];
        grads[gammaOffset + j] += dy * h;
        grads[betaOffset + j] += dy;
        float g = params[gammaOffset + j] * dy;
        sumG += g;
        sumGx += g * h;
      }
      if (dX != null) {
        float meanG = (float) (sumG / d);
        float meanGx = (float) (sumGx / d);
        float inv = invStd[r];
        for (int j = 0; j < d; j++) {
          float g = params[gammaOffset + j] * dY[o + j];
          dX[o + j] = (g - meanG - xHat[o + j] * meanGx) * inv;
        }
      }
    }
  }
}
