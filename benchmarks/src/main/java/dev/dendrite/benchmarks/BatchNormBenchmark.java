package dev.dendrite.benchmarks;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.random.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training forward and backward (with dX) of a batch-normalization layer on the Fashion-MNIST CNN's
 * shapes at 64 rows (a batch of 128 over 2 threads): {@code impl=current} is core's {@code BatchNormLayer},
 * {@code impl=baseline} the implementation it replaced ({@link Baseline}, kept here verbatim), bound to the
 * same parameters, so that both run in one JVM run and their ratio means something on a shared machine:
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar BatchNormBenchmark
 * </pre>
 * A shape of one number ({@code -p shape=512}) is the dense path: every element its own channel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 1)
public class BatchNormBenchmark {

  /** {@code C x H x W} after a convolution, or a single size after a dense layer. */
  @Param({"32x26x26", "64x11x11"})
  public String shape;

  /** {@code current} (core's layer) or {@code baseline} (the previous implementation). */
  @Param({"current", "baseline"})
  public String impl;

  /** Rows per call: the CNN's batch of 128 split over 2 threads. */
  @Param({"64"})
  public int batch;

  private Layer layer;
  private Baseline baseline;
  private float[] x;
  private float[] y;
  private float[] dY;
  private float[] dX;

  @Setup(Level.Trial)
  public void setUp() {
    Shape s = parse(shape);
    int[] dims = new int[s.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.dim(i);
    }
    Network net = Network.builder(dims).batchNorm().seed(1).build();
    layer = net.layers().get(0);
    layer.allocate(batch);
    int channels = s.rank() == 3 ? s.dim(0) : s.size();
    float[] params = net.parameterArray();
    Rng rng = new Rng(11);
    for (int c = 0; c < channels; c++) {
      params[c] = 0.5f + rng.nextFloat();          // gamma
      params[channels + c] = rng.nextFloat() - 0.5f; // beta
    }
    baseline = new Baseline(s, 1e-3, 0.99f);
    baseline.bind(params, net.gradientArray(), 0, batch);
    int n = batch * s.size();
    x = new float[n];
    y = new float[n];
    dY = new float[n];
    dX = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.max(0f, (float) rng.nextGaussian() + 0.2f); // a ReLU's output, as in the CNN
      dY[i] = (rng.nextFloat() - 0.5f) * 1e-3f;
    }
  }

  @Benchmark
  public float[] forwardBackward() {
    if (impl.equals("baseline")) {
      baseline.forward(x, 0, y, batch, true);
      baseline.backward(dY, dX, batch);
    } else {
      layer.forward(x, 0, y, batch, true, null);
      layer.backward(x, 0, y, dY, dX, batch);
    }
    return dX;
  }

  static Shape parse(String shape) {
    String[] parts = shape.split("x");
    int[] dims = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      dims[i] = Integer.parseInt(parts[i]);
    }
    if (dims.length != 1 && dims.length != 3) {
      throw new IllegalArgumentException("shape " + shape + " is neither C x H x W (e.g. 32x26x26) nor a size");
    }
    return Shape.of(dims);
  }

  /**
   * BASELINE, for comparison only: {@code BatchNormLayer}'s forward and backward before they were made
   * fast (as of commit d6737ab), unchanged apart from the plumbing — per channel, one double accumulator per sum,
   * passes Σx, Σ(x-μ)², normalize; ΣdY and ΣdY·x̂, then dX.
   */
  static final class Baseline {

    private final int size;
    private final int channels;
    private final int spatial;
    private final float momentum;
    private final double epsilon;
    private float[] params;
    private float[] grads;
    private int gammaOffset;
    private int betaOffset;
    private int meanOffset;
    private int varOffset;
    private float[] xhat;
    private final float[] mean;
    private final float[] invStd;
    private final float[] variance;
    private boolean batchStatistics;

    Baseline(Shape shape, double epsilon, float momentum) {
      this.size = shape.size();
      this.channels = shape.rank() == 3 ? shape.dim(0) : size;
      this.spatial = size / channels;
      this.momentum = momentum;
      this.epsilon = epsilon;
      this.mean = new float[channels];
      this.invStd = new float[channels];
      this.variance = new float[channels];
    }

    void bind(float[] params, float[] grads, int offset, int maxBatch) {
      this.params = params;
      this.grads = grads;
      this.gammaOffset = offset;
      this.betaOffset = offset + channels;
      this.meanOffset = offset + 2 * channels;
      this.varOffset = offset + 3 * channels;
      this.xhat = new float[maxBatch * size];
    }

    void forward(float[] x, int xOffset, float[] y, int batch, boolean training) {
      batchStatistics = training;
      for (int c = 0; c < channels; c++) {
        if (training) {
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

    void backward(float[] dY, float[] dX, int batch) {
      double count = (double) batch * spatial;
      for (int c = 0; c < channels; c++) {
        double sumDy = 0;
        double sumDyXhat = 0;
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
}
