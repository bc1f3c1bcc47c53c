package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
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
 *
 * <p>Numerics, for {@code [C, H, W]} inputs: every per-channel sum (Σx, Σ(x - shift), Σ(x - shift)², ΣdY,
 * ΣdY·x̂) adds {@value #BLOCK} rows of the batch position by position in float, then each block's H·W
 * partial sums in double, in an order fixed by the shapes alone (the same on every run and thread). σ² comes
 * from a second pass over d = x - float(μ): {@code σ² = mean(d²) - mean(d)²}, {@code μ = float(μ) + mean(d)}
 * (the corrected two-pass algorithm). x̂ is not stored: backward recomputes it from x with the same float
 * operations as forward. Inputs after a dense layer (one value per channel and example) sum in double.
 */
public final class BatchNormLayer extends AbstractLayer<BatchNormConfig> {

  /** Rows of the batch summed in float, position by position, before their sums are added into double. */
  static final int BLOCK = 32;

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
  private final float[] mean;        // [C] μ of the last forward (batch or running)
  private final float[] invStd;      // [C] 1/sqrt(σ² + ε) of the last forward
  private final float[] variance;    // [C] σ² of the last training forward
  private boolean batchStatistics;   // whether the last forward normalized with batch statistics
  private final float[] dxScale;     // [C] γ/sqrt(σ² + ε) of the last backward
  private final float[] meanDy;      // [C] mean(dY) of the last backward (0 at inference)
  private final float[] meanDyXhat;  // [C] mean(dY·x̂) of the last backward (0 at inference)
  // scratch for [C, H, W] inputs; the JIT vectorizes a loop only when all its arrays share one index, so a
  // channel's H·W values of one example are copied to `segment` before they are added into the block sums
  private final float[] segment;     // [H·W] one example's values of one channel
  private final float[] segment2;    // [H·W] a second such copy
  private final float[] blockSum;    // [H·W] float sums down a block of rows, position by position
  private final float[] blockSum2;   // [H·W] a second such sum
  private double sum1;               // the two sums the last statistics/gradient pass produced
  private double sum2;

  BatchNormLayer(String name, BatchNormConfig config, Shape shape) {
    super(name, config, shape);
    this.shape = shape;
    this.size = shape.size();
    this.channels = shape.rank() == 3 ? shape.dim(0) : size;
    this.spatial = size / channels;
    this.momentum = (float) config.momentum();
    this.epsilon = config.epsilon();
    this.mean = new float[channels];
    this.invStd = new float[channels];
    this.variance = new float[channels];
    this.dxScale = new float[channels];
    this.meanDy = new float[channels];
    this.meanDyXhat = new float[channels];
    this.segment = new float[spatial];
    this.segment2 = new float[spatial];
    this.blockSum = new float[spatial];
    this.blockSum2 = new float[spatial];
  }

  @Override
  public Shape outputShape() {
    return shape;
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
    // per-channel scratch only, allocated with the layer
  }

  /**
   * x̂ {@code [batch, size]} of the last forward, recomputed from the input {@code x} it was given, as
   * backward does (a new array; for tests).
   */
  public float[] normalized(float[] x, int xOffset, int batch) {
    float[] xhat = new float[batch * size];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        for (int i = n * size + c * spatial; i < n * size + (c + 1) * spatial; i++) {
          xhat[i] = (x[xOffset + i] - mean[c]) * invStd[c];
        }
      }
    }
    return xhat;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    batchStatistics = training;
    for (int c = 0; c < channels; c++) {
      if (training) {
        if (spatial == 1) {
          elementStatistics(x, xOffset, c, batch);
        } else {
          channelStatistics(x, xOffset, c, batch);
        }
      } else {
        mean[c] = params[meanOffset + c];
        invStd[c] = (float) (1 / Math.sqrt(params[varOffset + c] + epsilon));
      }
    }
    // y = γ·x̂ + β in storage order (channel by channel across the batch, this pass took ~4x as long)
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        float mu = mean[c];
        float k = invStd[c];
        float gamma = params[gammaOffset + c];
        float beta = params[betaOffset + c];
        int from = n * size + c * spatial;
        int to = from + spatial;
        if (xOffset == 0) {  // one index for all arrays: vectorized
          for (int i = from; i < to; i++) {
            y[i] = gamma * ((x[i] - mu) * k) + beta;
          }
        } else {
          for (int i = from; i < to; i++) {
            y[i] = gamma * ((x[xOffset + i] - mu) * k) + beta;
          }
        }
      }
    }
  }

  /**
   * μ and σ² of channel c of a {@code [C, H, W]} input, over its M = batch·H·W values, in two passes (see
   * the class comment): Σx gives a shift float(μ); Σd and Σd² with d = x - shift give μ and σ².
   */
  private void channelStatistics(float[] x, int xOffset, int c, int batch) {
    float[] seg = segment;
    float[] acc = blockSum;
    float[] acc2 = blockSum2;
    int len = spatial;
    int first = xOffset + c * len;
    double sum = 0;
    for (int n0 = 0; n0 < batch; n0 += BLOCK) {
      int n1 = Math.min(batch, n0 + BLOCK);
      Arrays.fill(acc, 0f);
      for (int n = n0; n < n1; n++) {
        System.arraycopy(x, first + n * size, seg, 0, len);
        for (int s = 0; s < len; s++) {
          acc[s] += seg[s];
        }
      }
      sum += sumToDouble(acc);
    }
    double count = (double) batch * len;
    float shift = (float) (sum / count);
    double sumD = 0;   // Σ (x - shift)
    double sumD2 = 0;  // Σ (x - shift)²
    for (int n0 = 0; n0 < batch; n0 += BLOCK) {
      int n1 = Math.min(batch, n0 + BLOCK);
      Arrays.fill(acc, 0f);
      Arrays.fill(acc2, 0f);
      for (int n = n0; n < n1; n++) {
        System.arraycopy(x, first + n * size, seg, 0, len);
        for (int s = 0; s < len; s++) {
          float d = seg[s] - shift;
          acc[s] += d;
          acc2[s] += d * d;
        }
      }
      sumD += sumToDouble(acc);
      sumD2 += sumToDouble(acc2);
    }
    double offset = sumD / count;
    double var = Math.max(0, sumD2 / count - offset * offset);
    mean[c] = (float) (shift + offset);
    variance[c] = (float) var;
    invStd[c] = (float) (1 / Math.sqrt(var + epsilon));
  }

  /** μ and σ² of element c after a dense layer, over the batch: two passes in double. */
  private void elementStatistics(float[] x, int xOffset, int c, int batch) {
    double sum = 0;
    for (int n = 0; n < batch; n++) {
      sum += x[xOffset + n * size + c];
    }
    double mu = sum / batch;
    double squares = 0;
    for (int n = 0; n < batch; n++) {
      double d = x[xOffset + n * size + c] - mu;
      squares += d * d;
    }
    double var = squares / batch;
    mean[c] = (float) mu;
    variance[c] = (float) var;
    invStd[c] = (float) (1 / Math.sqrt(var + epsilon));
  }

  /** {@code Σ a} in double: four interleaved partial sums, combined in a fixed order. */
  private static double sumToDouble(float[] a) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int s = 0;
    for (; s + 3 < a.length; s += 4) {
      s0 += a[s];
      s1 += a[s + 1];
      s2 += a[s + 2];
      s3 += a[s + 3];
    }
    for (; s < a.length; s++) {
      s0 += a[s];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    double count = (double) batch * spatial;
    for (int c = 0; c < channels; c++) {
      if (spatial == 1) {
        elementGradientSums(x, xOffset, dY, c, batch);
      } else {
        channelGradientSums(x, xOffset, dY, c, batch);
      }
      double sumDy = sum1;      // Σ dY    = dβ
      double sumDyXhat = sum2;  // Σ dY·x̂ = dγ
      grads[gammaOffset + c] += (float) sumDyXhat;
      grads[betaOffset + c] += (float) sumDy;
      // the running statistics' update, once per example (see the class comment)
      grads[meanOffset + c] = batchStatistics ? batch * (1 - momentum) * (mean[c] - params[meanOffset + c]) : 0f;
      grads[varOffset + c] = batchStatistics ? batch * (1 - momentum) * (variance[c] - params[varOffset + c]) : 0f;
      dxScale[c] = params[gammaOffset + c] * invStd[c];
      meanDy[c] = batchStatistics ? (float) (sumDy / count) : 0f;
      meanDyXhat[c] = batchStatistics ? (float) (sumDyXhat / count) : 0f;
    }
    if (dX == null) {
      return;
    }
    // dX = γ/sqrt(σ²+ε)·(dY - mean(dY) - x̂·mean(dY·x̂)), x̂ recomputed as in forward, in storage order
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        float mu = mean[c];
        float inv = invStd[c];
        float k = dxScale[c];
        float a = meanDy[c];
        float b = meanDyXhat[c];
        int from = n * size + c * spatial;
        int to = from + spatial;
        if (xOffset == 0) {  // one index for all arrays: vectorized
          for (int i = from; i < to; i++) {
            dX[i] = k * (dY[i] - a - ((x[i] - mu) * inv) * b);
          }
        } else {
          for (int i = from; i < to; i++) {
            dX[i] = k * (dY[i] - a - ((x[xOffset + i] - mu) * inv) * b);
          }
        }
      }
    }
  }

  /** Σ dY and Σ dY·x̂ of channel c of a {@code [C, H, W]} input in one pass, into sum1 and sum2. */
  private void channelGradientSums(float[] x, int xOffset, float[] dY, int c, int batch) {
    float[] seg = segment;
    float[] segX = segment2;
    float[] acc = blockSum;
    float[] acc2 = blockSum2;
    int len = spatial;
    int first = c * len;
    float mu = mean[c];
    float inv = invStd[c];
    double sum = 0;
    double sumXhat = 0;
    for (int n0 = 0; n0 < batch; n0 += BLOCK) {
      int n1 = Math.min(batch, n0 + BLOCK);
      Arrays.fill(acc, 0f);
      Arrays.fill(acc2, 0f);
      for (int n = n0; n < n1; n++) {
        System.arraycopy(dY, first + n * size, seg, 0, len);
        System.arraycopy(x, xOffset + first + n * size, segX, 0, len);
        for (int s = 0; s < len; s++) {
          float d = seg[s];
          acc[s] += d;
          acc2[s] += d * ((segX[s] - mu) * inv);
        }
      }
      sum += sumToDouble(acc);
      sumXhat += sumToDouble(acc2);
    }
    sum1 = sum;
    sum2 = sumXhat;
  }

  /** Σ dY and Σ dY·x̂ of element c after a dense layer, over the batch in double, into sum1 and sum2. */
  private void elementGradientSums(float[] x, int xOffset, float[] dY, int c, int batch) {
    float mu = mean[c];
    float inv = invStd[c];
    double sum = 0;
    double sumXhat = 0;
    for (int n = 0; n < batch; n++) {
      int i = n * size + c;
      float d = dY[i];
      sum += d;
      sumXhat += d * ((x[xOffset + i] - mu) * inv);
    }
    sum1 = sum;
    sum2 = sumXhat;
  }
}
