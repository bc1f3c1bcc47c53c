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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step of a recurrent classifier on Fashion-MNIST read as sequences: each image is 28 time
 * steps of 28 pixels (row by row), an LSTM or GRU of 128 units reads them, and a dense softmax layer
 * classifies its last state (sparse categorical cross-entropy, Adam 1e-3, batch 128). The score is samples
 * per second. The batches are {@link FashionMnistBatches}' first {@value #BATCHES}, used in turn, as
 * {@code benchmarks/pytorch/rnn_step.py} uses them with {@code nn.LSTM} / {@code nn.GRU} of the same size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecurrentStepBenchmark {

  static final int BATCH = 128;
  static final int STEPS = 28;
  static final int FEATURES = 28;
  static final int UNITS = 128;
  static final int BATCHES = 16;

  /** {@code lstm} or {@code gru}. */
  @Param({"lstm", "gru"})
  public String cell;

  /** JVM threads computing the gradient. */
  @Param({"1"})
  public int threads;

  private Network network;
  private ParallelGradient gradient;
  private ParameterUpdate update;
  private final SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
  private float[] x;
  private float[] labels;
  private long step;

  @Setup
  public void setUp() {
    var builder = Network.builder(STEPS, FEATURES);
    builder = cell.equals("gru") ? builder.gru(UNITS, false) : builder.lstm(UNITS, false);
    network = builder.dense(10, "softmax").gemm(Gemms.factory("blas").get()).seed(1).build();
    gradient = new ParallelGradient(network, threads);
    update = new ParameterUpdate(network.layout(), new Adam(1e-3f), null);
    FashionMnistBatches source = FashionMnistBatches.load("fashion-mnist");
    int width = STEPS * FEATURES;
    x = new float[BATCHES * BATCH * width];
    labels = new float[BATCHES * BATCH];
    float[] xb = new float[BATCH * width];
    float[] yb = new float[BATCH];
    for (int b = 0; b < BATCHES; b++) {
      source.gather(0, b, BATCH, xb, yb);
      System.arraycopy(xb, 0, x, b * BATCH * width, xb.length);
      System.arraycopy(yb, 0, labels, b * BATCH, yb.length);
    }
    step = 0;
  }

  @TearDown
  public void tearDown() {
    gradient.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double step() {
    int b = (int) (step % BATCHES);
    int width = STEPS * FEATURES;
    double lossSum = gradient.computeAndApply(x, b * BATCH * width, labels, b * BATCH, null, 0, BATCH, loss,
        1f / BATCH, 1L, 0, (int) step, 1f, update, network.parameterArray());
    step++;
    return lossSum;
  }
}
