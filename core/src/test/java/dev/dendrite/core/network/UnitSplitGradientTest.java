package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.random.Rng;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Threads that each own a share of every dense layer's units compute, together, exactly the gradient one
 * thread computes: every element goes through the same operations in the same order.
 */
class UnitSplitGradientTest {

  private static final int BATCH = 37;

  @Test
  void twoThreadsGiveTheOneThreadGradientBitForBitWithEitherGemmBackend() {
    for (String backend : new String[] {"ejml", "blas"}) {
      Supplier<Network> net = () -> Network.builder(30).dense(40, "relu").dense(24, "tanh").dense(5, "softmax")
          .gemm(Gemms.factory(backend).get()).seed(3).build();
      assertSplitMatchesOneThread(net, new SparseCategoricalCrossEntropy(), 5, 1, 2);
    }
  }

  @Test
  void aLinearOutputWithAnUnfusedLossAndExampleWeightsMatchesToo() {
    Supplier<Network> net = () -> Network.builder(9).dense(33, "sigmoid").dense(17).dense(3).seed(4).build();
    assertSplitMatchesOneThread(net, new MeanSquaredError(), 3, 3, 3);
  }

  @Test
  void moreThreadsThanAlignedSharesLeaveSomeThreadsWithoutUnits() {
    // 20 units in 16-unit shares: threads 2 and 3 own nothing in this layer and still meet every barrier
    Supplier<Network> net = () -> Network.builder(6).dense(20, "relu").dense(4, "softmax").seed(5).build();
    assertSplitMatchesOneThread(net, new SparseCategoricalCrossEntropy(), 4, 1, 4);
  }

  @Test
  void anEvenNumberOfThreadsSplitsTheBackwardPassByTaskAndNeedsNoBarrierBeforeTheUpdate() {
    Network network = Network.builder(30).dense(40, "relu").dense(24, "relu").dense(5, "softmax").seed(3).build();
    for (int threads = 1; threads <= 4; threads++) {
      UnitSplitGradient split = new UnitSplitGradient(network, threads);
      boolean even = threads % 2 == 0;
      assertEquals(even, split.splitsBackwardByTask(), threads + " threads");
      assertEquals(!even, split.updateNeedsBarrier(), threads + " threads");
    }
    // the bit-for-bit tests above run 2 and 4 threads (by task) and 3 (by units)
  }

  @Test
  void theThreadsOwnDisjointParameterRangesThatCoverTheVector() {
    Network network = Network.builder(30).dense(40, "relu").dense(24, "relu").dense(5, "softmax").seed(3).build();
    UnitSplitGradient split = new UnitSplitGradient(network, 3);
    int[] owners = new int[network.parameterCount()];
    for (int t = 0; t < 3; t++) {
      int[] ranges = split.ownedRanges(t);
      for (int r = 0; r < ranges.length; r += 2) {
        for (int i = ranges[r]; i < ranges[r + 1]; i++) {
          owners[i]++;
        }
      }
    }
    for (int i = 0; i < owners.length; i++) {
      assertEquals(1, owners[i], "parameter " + i + " owned by " + owners[i] + " threads");
    }
  }

  @Test
  void sharesStartOnWholeCacheLinesWhereTheLayerIsWideEnough() {
    assertArrayEquals(new int[] {0, 128, 256}, UnitSplitGradient.shares(256, 2));
    assertArrayEquals(new int[] {0, 48, 96, 128}, UnitSplitGradient.shares(128, 3));
    assertArrayEquals(new int[] {0, 10, 10}, UnitSplitGradient.shares(10, 2), "a 10-unit layer stays whole");
  }

  @Test
  void onlyDenseNetworksWithElementwiseHiddenActivationsAreSplit() {
    assertTrue(UnitSplitGradient.supports(Network.builder(4).dense(8, "relu").dense(3, "softmax").build()));
    assertFalse(UnitSplitGradient.supports(Network.builder(4).dense(8, "relu").dropout(0.5).dense(3, "softmax")
        .build()), "dropout");
    assertFalse(UnitSplitGradient.supports(Network.builder(4).dense(8, "softmax").dense(3, "softmax").build()),
        "a hidden softmax needs whole rows");
    Network withBatchNorm = Network.builder(4).dense(8, "relu").batchNorm().dense(3, "softmax").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new UnitSplitGradient(withBatchNorm, 2));
    assertTrue(e.getMessage().contains("dense"), e.getMessage());
  }

  /** Several steps, parameters moved between them, on one thread and split over {@code threads}. */
  private static void assertSplitMatchesOneThread(Supplier<Network> build, Loss loss, int outputs, int targetWidth,
                                                  int threads) {
    Network one = build.get();
    Network split = build.get();
    UnitSplitGradient gradient = new UnitSplitGradient(split, threads);
    Rng rng = new Rng(17);
    int in = one.inputSize();
    for (int step = 0; step < 3; step++) {
      float[] x = new float[BATCH * in];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat() * 2 - 1;
      }
      float[] targets = new float[BATCH * targetWidth];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = targetWidth == 1 ? rng.nextInt(outputs) : rng.nextFloat();
      }
      float[] weights = new float[BATCH];
      for (int i = 0; i < BATCH; i++) {
        weights[i] = 0.5f + rng.nextFloat();
      }
      double expected = one.computeGradients(x, 0, targets, 0, weights, 0, BATCH, loss, 1f / BATCH, null);
      double actual = run(gradient, threads, x, targets, weights, loss);
      assertEquals(expected, actual, "loss of step " + step);
      assertArrayEquals(one.gradientArray(), split.gradientArray(), "gradient of step " + step);
      assertArrayEquals(one.lastOutput(), split.lastOutput(), "outputs of step " + step);
      float[] p = one.parameterArray();
      for (int i = 0; i < p.length; i++) {
        p[i] -= 0.1f * one.gradientArray()[i];
      }
      split.setParameters(p);
    }
  }

  private static double run(UnitSplitGradient gradient, int threads, float[] x, float[] targets, float[] weights,
                            Loss loss) {
    gradient.prepare(x, 0, targets, 0, BATCH, loss);
    CyclicBarrier barrier = new CyclicBarrier(threads);
    Runnable await = () -> {
      try {
        barrier.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    double[] losses = new double[threads];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int index = t;
      workers[t] = new Thread(() -> losses[index] = gradient.compute(index, await, x, 0, targets, 0, weights, 0,
          BATCH, loss, 1f / BATCH));
      workers[t].start();
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    for (int t = 1; t < threads; t++) {
      assertEquals(0.0, losses[t], "only thread 0 computes the loss");
    }
    return losses[0];
  }
}
