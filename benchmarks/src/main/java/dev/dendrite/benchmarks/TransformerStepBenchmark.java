package dev.dendrite.benchmarks;

import dev.dendrite.core.layer.TransformerEncoderConfig;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.random.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One training step of a single transformer encoder block, the same computation as
 * {@code benchmarks/pytorch/transformer_step.py} times for PyTorch's {@code nn.TransformerEncoderLayer(d, h, f,
 * dropout=0, batch_first=True)} (post-norm, ReLU): forward on a batch of random {@code [T, d]} sequences, MSE
 * against random targets, backward, Adam. One JVM thread; OpenBLAS threads come from OPENBLAS_NUM_THREADS.
 * The score is milliseconds per step. {@code shape} is {@code T<steps>-d<model>-h<heads>-f<feed-forward>-b<batch>}:
 * {@code T8-d32-h4-f64-b64} is a block of conf/digit-sequence-transformer.yaml at its batch size;
 * {@code T64-d128-h8-f512-b32} a larger one, where GEMM dominates. Run (not part of any build):
 * <pre>
 *   mvn -q -o -B -pl benchmarks -am package -DskipTests
 *   OPENBLAS_NUM_THREADS=1 java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar \
 *       TransformerStepBenchmark -f 1 -wi 5 -i 8 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TransformerStepBenchmark {

  static final int BATCHES = 8;

  @Param({"T8-d32-h4-f64-b64", "T64-d128-h8-f512-b32"})
  public String shape;

  /** {@code blas} (netlib: native OpenBLAS when present) or {@code ejml}. */
  @Param({"blas"})
  public String gemm;

  private Network network;
  private Adam adam;
  private final MeanSquaredError loss = new MeanSquaredError();
  private float[] x;       // [BATCHES · batch, T·d]
  private float[] targets; // the same shape
  private int batch;
  private int width;
  private long step;

  /** The sizes of a shape string, in the order T, d, h, f, b. */
  static int[] sizes(String shape) {
    String[] parts = shape.split("-");
    String letters = "Tdhfb";
    if (parts.length != 5) {
      throw new IllegalArgumentException("shape " + shape + ": expected T<n>-d<n>-h<n>-f<n>-b<n>");
    }
    int[] v = new int[5];
    for (int i = 0; i < 5; i++) {
      if (parts[i].charAt(0) != letters.charAt(i)) {
        throw new IllegalArgumentException("shape " + shape + ": part " + (i + 1) + " must start with "
            + letters.charAt(i));
      }
      v[i] = Integer.parseInt(parts[i].substring(1));
    }
    return v;
  }

  @Setup
  public void setUp() {
    int[] s = sizes(shape);
    int steps = s[0];
    int model = s[1];
    batch = s[4];
    width = steps * model;
    network = Network.builder(steps, model).add(TransformerEncoderConfig.of(s[2], s[3]))
        .gemm(Gemms.factory(gemm).get()).seed(1).build();
    adam = new Adam(1e-3f);
    adam.init(network.layout());
    Rng rng = new Rng(7);
    x = new float[BATCHES * batch * width];
    targets = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
      targets[i] = (float) rng.nextGaussian();
    }
    step = 0;
  }

  @Benchmark
  public double step() {
    int b = (int) (step % BATCHES);
    int offset = b * batch * width;
    double lossSum = network.computeGradients(x, offset, targets, offset, null, 0, batch, loss, 1f / batch, null);
    adam.step(network.parameterArray(), network.gradientArray());
    step++;
    return lossSum;
  }
}
