package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.network.ParameterSpec;
import dev.dendrite.core.network.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Batch normalization: {@code y = γ·x̂ + β}, {@code x̂ = (x - μ) / sqrt(σ² + ε)}, per channel. Inputs of
 * shape {@code [C, H, W]} (after a convolution) have C channels, each normalized over the batch and all
 * H·W positions; inputs of any other shape (after a dense layer) treat every element as its own channel,
 * normalized over the batch. Parameters: {@code gamma [C]} (init 1), {@code beta [C]} (init 0), and the
 * non-trainable {@code running_mean [C]} (init 0) and {@code running_var [C]} (init 1).
 *
 * <p>Training: μ and σ² are the batch's mean and biased variance (M = batch·H·W values per channel).
 * Backward is the full gradient through μ and σ²:
 * {@code dX = γ/sqrt(σ²+ε) · (dY - mean(dY) - x̂·mean(dY·x̂))}, {@code dγ += Σ dY·x̂}, {@code dβ += Σ dY}.
 * Inference uses the running statistics: {@code dX = γ/sqrt(r_var+ε) · dY}.
 *
 * <p>Running statistics travel like gradients, so they come out the same on one thread, on several, and
 * on Spark in every mode: the forward pass does not touch them; backward writes into their slots of the
 * gradient vector the update {@code (1 - m)·(stat - r)} for each example of the batch (biased σ², as
 * Keras), the network scales it like every gradient, and {@code ParameterUpdate} adds the batch mean of
 * it to the statistics ({@code r ← m·r + (1 - m)·stat}) before — and instead of — any optimizer step.
 * Split over threads or partitions, the result is the update for the batch-size-weighted mean of the
 * parts' statistics. A training forward without backward and update leaves them unchanged.
 */
public final class BatchNormLayer implements Layer {

  private final String name;
  private final BatchNormConfig config;
  private final Shape shape;
  private final int size;      // elements per example
  private final int channels;  // C
  private final int spatial;   // H·W, or 1 per element
  private final float momentum;
  private final double epsilon;

  private float[] params;
  private float[] grads;
  private int gammaOffset;
  private int betaOffset;
  private int meanOffset;
  private int varOffset;
  private float[] xhat = new float[0];         // [batch, size] the normalized input of the last forward
  private final float[] mean;                  // [C] μ of the last forward (batch or running)
  private final float[] invStd;                // [C] 1/sqrt(σ² + ε) of the last forward
  private final float[] variance;              // [C] σ² of the last training forward
  private boolean batchStatistics;             // whether the last forward normalized with batch statistics

  BatchNormLayer(String name, BatchNormConfig config, Shape shape) {
    this.name = name;
    this.config = config;
    this.shape = shape;
    this.size = shape.size();
    this.channels = shape.rank() == 3 ? shape.dim(0) : size;
    this.spatial = size / channels;
    this.momentum = (float) config.momentum();
    this.epsilon = config.epsilon();
    this.mean = new float[channels];
    this.invStd = new float[channels];
    this.variance = new float[channels];
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  /** The number of normalized channels: C for {@code [C, H, W]} inputs, else the input's size. */
  public int channels() {
    return channels;
  }

  @Override
  public List<ParameterSpec> parameters() {
    Shape c = Shape.of(channels);
    return List.of(
        new ParameterSpec("gamma", c, Initializers.constant(1f), channels, channels, 0, 0),
        new ParameterSpec("beta", c, Initializers.zeros(), channels, channels, 0, 0),
        new ParameterSpec("running_mean", c, Initializers.zeros(), channels, channels, 0, 0, false),
        new ParameterSpec("running_var", c, Initializers.constant(1f), channels, channels, 0, 0, false));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.gammaOffset = offset;
    this.betaOffset = offset + channels;
    this.meanOffset = offset + 2 * channels;
    this.varOffset = offset + 3 * channels;
  }

  @Override
  public void allocate(int maxBatch) {
    if (xhat.length < maxBatch * size) {
      xhat = new float[maxBatch * size];
    }
  }

  /** The normalized input x̂ of the last forward, {@code [batch, size]}: for tests. */
  public float[] normalized() {
    return xhat;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    batchStatistics = training;
    for (int c = 0; c < channels; c++) {
      if (training) {
        // two passes in double: μ, then σ² = mean((x - μ)²), over M = batch·spatial values
        double sum = 0;
        for (int n = 0; n < batch; n++) {
          int base = xOffset + n * size + c * spatial;
          for (int s = 0; s < spatial; s++) {
            sum += x[base + s];
          }
        }
        double count = (double) batch * spatial;
        double mu = sum / count;
        double squares = 0;
        for (int n = 0; n < batch; n++) {
          int base = xOffset + n * size + c * spatial;
          for (int s = 0; s < spatial; s++) {
            double d = x[base + s] - mu;
            squares += d * d;
          }
        }
        double variance = squares / count;
        mean[c] = (float) mu;
        this.variance[c] = (float) variance;
        invStd[c] = (float) (1 / Math.sqrt(variance + epsilon));
      } else {
        mean[c] = params[meanOffset + c];
        invStd[c] = (float) (1 / Math.sqrt(params[varOffset + c] + epsilon));
      }
      float mu = mean[c];
      float k = invStd[c];
      float gamma = params[gammaOffset + c];
      float beta = params[betaOffset + c];
      for (int n = 0; n < batch; n++) {
        int row = n * size + c * spatial;
        int base = xOffset + row;
        for (int s = 0; s < spatial; s++) {
          float h = (x[base + s] - mu) * k;
          xhat[row + s] = h;
          y[row + s] = gamma * h + beta;
        }
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    double count = (double) batch * spatial;
    for (int c = 0; c < channels; c++) {
      double sumDy = 0;      // Σ dY      = dβ
      double sumDyXhat = 0;  // Σ dY·x̂   = dγ
      for (int n = 0; n < batch; n++) {
        int row = n * size + c * spatial;
        for (int s = 0; s < spatial; s++) {
          float d = dY[row + s];
          sumDy += d;
          sumDyXhat += d * xhat[row + s];
        }
      }
      grads[gammaOffset + c] += (float) sumDyXhat;
      grads[betaOffset + c] += (float) sumDy;
      // the running statistics' update, once per example (see the class comment)
      grads[meanOffset + c] = batchStatistics ? batch * (1 - momentum) * (mean[c] - params[meanOffset + c]) : 0f;
      grads[varOffset + c] = batchStatistics ? batch * (1 - momentum) * (variance[c] - params[varOffset + c]) : 0f;
      if (dX == null) {
        continue;
      }
      float k = params[gammaOffset + c] * invStd[c];
      float meanDy = batchStatistics ? (float) (sumDy / count) : 0f;
      float meanDyXhat = batchStatistics ? (float) (sumDyXhat / count) : 0f;
      for (int n = 0; n < batch; n++) {
        int row = n * size + c * spatial;
        for (int s = 0; s < spatial; s++) {
          dX[row + s] = k * (dY[row + s] - meanDy - xhat[row + s] * meanDyXhat);
        }
      }
    }
  }
}
