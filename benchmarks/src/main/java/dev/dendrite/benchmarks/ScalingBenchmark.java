package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.train.ParallelGradient;
import dev.dendrite.core.train.ParameterUpdate;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a second thread gives the MLP's training step, measured so that the machine's drift cancels: one
 * thread, two threads split by units, two threads split by examples, the GEMM ceiling on one and on two
 * threads, two independent one-thread steps and the first layer's products split over two threads
 * ({@link SplitGemmCeiling}) take turns in short blocks, round after round, and every ratio is taken within a round.
 * On this shared VM the speed of a core moves by tens of percent over minutes; separate JMH runs minutes
 * apart compare different machines, interleaved blocks a fraction of a second apart compare the same one.
 *
 * <p>Each configuration trains its own network on the first {@value #BATCHES} Fashion-MNIST batches of
 * {@link FashionMnistBatches}' epoch-0 order, in turn, like {@code TrainingStepBenchmark}.
 */
final class ScalingBenchmark {

  static final int BATCH = 128;
  static final int BATCHES = 16;

  /**
   * Medians over rounds: samples/s per configuration, the per-round ratios, sgemm's own ratio, the ratio
   * of two independent one-thread steps running at once (two networks, nothing shared) to one of them, and
   * that of the first layer's products split by units over two threads to the whole products on one.
   */
  record Result(double oneThread, double units, double examples, double unitsRatio, double examplesRatio,
                double sgemmRatio, double independentRatio, double splitGemmRatio, int rounds) {
  }

  private ScalingBenchmark() {
  }

  static Result run(FashionMnistBatches data, int rounds, double blockSeconds) throws InterruptedException {
    float[] x = new float[BATCHES * BATCH * data.width];
    float[] y = new float[BATCHES * BATCH];
    data.gather(0, 0, BATCHES * BATCH, x, y); // the first BATCHES batches of epoch 0, one after another
    Config[] configs = {new Config(data.width, 1, false), new Config(data.width, 2, false),
        new Config(data.width, 2, true)};
    Config other = new Config(data.width, 1, false); // the second of two independent one-thread steps
    for (Config c : configs) {
      c.steps(x, y, 3.0); // warm-up: the JIT, and Adam's moments past their first steps
    }
    other.steps(x, y, 3.0);
    double[][] rates = new double[3][rounds];
    double[] sgemm = new double[rounds];
    double[] independent = new double[rounds];
    double[] splitGemm = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      for (int c = 0; c < configs.length; c++) {
        rates[c][r] = configs[c].steps(x, y, blockSeconds);
      }
      independent[r] = bothAtOnce(configs[0], other, x, y, blockSeconds) / rates[0][r];
      splitGemm[r] = SplitGemmCeiling.ratio(x, blockSeconds);
      sgemm[r] = GemmCeiling.gflopsPerThread(2, blockSeconds) / GemmCeiling.gflopsPerThread(1, blockSeconds);
    }
    other.gradient.close();
    for (Config c : configs) {
      c.gradient.close();
    }
    double[] unitsRatio = new double[rounds];
    double[] examplesRatio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      unitsRatio[r] = rates[1][r] / rates[0][r];
      examplesRatio[r] = rates[2][r] / rates[0][r];
    }
    return new Result(median(rates[0]), median(rates[1]), median(rates[2]), median(unitsRatio),
        median(examplesRatio), 2 * median(sgemm), median(independent), median(splitGemm), rounds);
  }

  /**
   * Samples/s of two one-thread steps on two threads at once, each training its own network: what two
   * cores give this workload when the threads share nothing but the machine (caches, memory, the host).
   */
  private static double bothAtOnce(Config first, Config second, float[] x, float[] y, double seconds)
      throws InterruptedException {
    double[] rate = new double[1];
    Thread t = new Thread(() -> rate[0] = second.steps(x, y, seconds), "dendrite-independent-step");
    t.start();
    double own = first.steps(x, y, seconds);
    t.join();
    return own + rate[0];
  }

  /** One network and its way of splitting the step. */
  private static final class Config {
    final Network network;
    final ParallelGradient gradient;
    final ParameterUpdate update;
    final SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    final int width;
    long step;

    Config(int width, int threads, boolean byExamples) {
      this.width = width;
      network = Network.builder(width).dense(256, "relu").dense(128, "relu").dense(10, "softmax")
          .gemm(Gemms.factory("blas").get()).seed(1).build();
      gradient = byExamples ? ParallelGradient.splittingExamples(network, threads)
          : new ParallelGradient(network, threads);
      update = new ParameterUpdate(network.layout(), new Adam(1e-3f), null);
    }

    /** Steps for about {@code seconds}; samples per second. */
    double steps(float[] x, float[] y, double seconds) {
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      int done = 0;
      long now;
      do {
        int b = (int) (step % BATCHES);
        gradient.computeAndApply(x, b * BATCH * width, y, b * BATCH, null, 0, BATCH, loss, 1f / BATCH, 1L, 0,
            (int) step, 1f, update, network.parameterArray());
        step++;
        done++;
        now = System.nanoTime();
      } while (now < end);
      return done * (double) BATCH / ((now - start) / 1e9);
    }
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static String describe(Result r) {
    return String.format(Locale.ROOT, "median of %d interleaved rounds: 1 thread %.0f samples/s; 2 threads split "
            + "by units %.0f (%.2fx, median of the per-round ratios); split by examples %.0f (%.2fx); two sgemm "
            + "1024^3 threads at once %.2fx one; two independent one-thread steps at once %.2fx one; the first layer's "
            + "two GEMMs split by units over two threads %.2fx whole on one", r.rounds, r.oneThread, r.units,
        r.unitsRatio, r.examples, r.examplesRatio, r.sgemmRatio, r.independentRatio, r.splitGemmRatio);
  }
}
