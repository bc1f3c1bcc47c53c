package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.train.ParallelGradient;
import dev.dendrite.core.train.ParameterUpdate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step of the MLP 784-256-128-10 (ReLU, ReLU, softmax; sparse categorical cross-entropy;
 * Adam) on a batch of 128 examples: gradient (on {@code threads} threads through
 * {@link ParallelGradient}) and the Adam update, through {@link ParameterUpdate} as the local trainer runs it. The score is samples per second. The data are the first
 * {@value #BATCHES} batches of {@link FashionMnistBatches}' epoch-0 order, used in turn, exactly as
 * {@code benchmarks/pytorch/mlp_step.py} uses them; {@code data=random} (uniform pixels) is a labelled extra.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrainingStepBenchmark {

  static final int BATCH = 128;
  static final int INPUTS = 784;
  static final int CLASSES = 10;
  static final int BATCHES = 16;

  /** JVM threads computing the gradient (OpenBLAS threads come from OPENBLAS_NUM_THREADS). */
  @Param({"1", "2"})
  public int threads;

  /** {@code fashion-mnist} (the real training images, pixels / 255) or {@code random} (uniform pixels). */
  @Param({"fashion-mnist"})
  public String data;

  /**
   * How several threads share a step: {@code units} (each owns a share of every layer's units, the default
   * for dense networks) or {@code examples} (each takes a share of the batch, as for other networks).
   */
  @Param({"units"})
  public String split;

  /** {@code blas} (netlib: native OpenBLAS when present) or {@code ejml}. */
  @Param({"blas"})
  public String gemm;

  private Network network;
  private ParallelGradient gradient;
  private ParameterUpdate update;
  private final SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
  private float[] x;      // [BATCHES * BATCH, INPUTS]
  private float[] labels; // [BATCHES * BATCH]
  private long step;

  @Setup(Level.Trial)
  public void setUp() {
    network = Network.builder(INPUTS)
        .dense(256, "relu")
        .dense(128, "relu")
        .dense(CLASSES, "softmax")
        .gemm(Gemms.factory(gemm).get())
        .seed(1)
        .build();
    gradient = split.equals("examples") ? ParallelGradient.splittingExamples(network, threads)
        : new ParallelGradient(network, threads);
    update = new ParameterUpdate(network.layout(), new Adam(1e-3f), null);
    FashionMnistBatches source = FashionMnistBatches.load(data);
    x = new float[BATCHES * BATCH * INPUTS];
    labels = new float[BATCHES * BATCH];
    float[] xb = new float[BATCH * INPUTS];
    float[] yb = new float[BATCH];
    for (int b = 0; b < BATCHES; b++) {
      source.gather(0, b, BATCH, xb, yb);
      System.arraycopy(xb, 0, x, b * BATCH * INPUTS, xb.length);
      System.arraycopy(yb, 0, labels, b * BATCH, yb.length);
    }
    step = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gradient.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double step() {
    int b = (int) (step % BATCHES);
    double lossSum = gradient.computeAndApply(x, b * BATCH * INPUTS, labels, b * BATCH, null, 0, BATCH, loss,
        1f / BATCH, 1L, 0, (int) step, 1f, update, network.parameterArray());
    step++;
    return lossSum;
  }
}
