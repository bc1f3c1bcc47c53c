package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.train.BatchFill;
import dev.dendrite.core.train.ParallelGradient;
import dev.dendrite.core.train.ParameterUpdate;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whole training epochs of the MLP 784-256-128-10 (Adam 1e-3, batch 128) over the Fashion-MNIST training
 * set, in a plain loop: gather a batch in {@link FashionMnistBatches}' order, gradient, Adam. The loop is
 * the same, statement for statement, as {@code benchmarks/pytorch/mlp_epoch.py}, so the two time the same
 * work on the same batches in the same order; the mean training loss of each epoch is printed beside its
 * time as the check that they do. As in Dendrite's local trainer, the step's threads gather the batch,
 * each the rows it reads first ({@link BatchFill}).
 *
 * <p>Not JMH: an epoch is long enough (about a second) to time with {@code System.nanoTime}. The first
 * epoch is warm-up; the result is the median over the measured ones.
 */
final class EpochBenchmark {

  static final int BATCH = 128;

  /** Samples per second of each measured epoch, and the last epoch's mean loss. */
  record Result(double[] samplesPerSecond, double lastLoss) {
    double median() {
      double[] s = samplesPerSecond.clone();
      Arrays.sort(s);
      int n = s.length;
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
  }

  private EpochBenchmark() {
  }

  static Result run(FashionMnistBatches data, int threads, int epochs, boolean verbose) {
    Network network = Network.builder(data.width)
        .dense(256, "relu")
        .dense(128, "relu")
        .dense(10, "softmax")
        .gemm(Gemms.factory("blas").get())
        .seed(1)
        .build();
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    ParameterUpdate update = new ParameterUpdate(network.layout(), new Adam(1e-3f), null);
    float[] xb = new float[BATCH * data.width];
    float[] yb = new float[BATCH];
    int batches = data.batchesPerEpoch(BATCH);
    double[] rates = new double[epochs];
    double lastLoss = Double.NaN;
    int[] cursor = new int[2]; // the epoch order and batch that fill gathers: one fill, no allocation per step
    BatchFill fill = (from, to) -> data.gatherRows(cursor[0], cursor[1], BATCH, xb, yb, from, to);
    try (ParallelGradient gradient = new ParallelGradient(network, threads)) {
      for (int epoch = -1; epoch < epochs; epoch++) { // epoch -1: warm-up
        int order = epoch + 1;
        double lossSum = 0;
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
          cursor[0] = order;
          cursor[1] = b;
          lossSum += gradient.computeAndApply(fill, xb, 0, yb, 0, null, 0, BATCH, loss, 1f / BATCH, 1L, 0, b, 1f,
              update, network.parameterArray());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        lastLoss = lossSum / ((double) batches * BATCH);
        if (epoch >= 0) {
          rates[epoch] = batches * BATCH / seconds;
        }
        if (verbose) {
          System.out.printf(Locale.ROOT, "  %s epoch %d: %.2f s, %.0f samples/s, mean loss %.4f%n",
              epoch < 0 ? "warm-up" : "measured", order, seconds, batches * BATCH / seconds, lastLoss);
        }
      }
    }
    return new Result(rates, lastLoss);
  }
}
