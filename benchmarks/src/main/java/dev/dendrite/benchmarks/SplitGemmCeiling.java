package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.random.Rng;
import java.util.concurrent.CyclicBarrier;

/**
 * What splitting one batch's products over two threads can give before any synchronization: the first
 * layer's two products of the Fashion-MNIST MLP's step, the forward {@code x · Wᵀ} (128×784 by 784×256)
 * and the weight gradient {@code dZᵀ · x} (256×128 by 128×784), together about 80 % of the step's flops,
 * computed whole on one thread against split by units on two threads at once, 128 units each, the way
 * {@code UnitSplitGradient} splits them.
 *
 * <p>Two independent sgemm threads ({@link GemmCeiling}) show what the cores give work that shares
 * nothing. A split product is not that: each half packs the whole 128×784 input for half the units, its
 * narrower tiles keep fewer multiply-adds per load, and both halves read the same input at once. The
 * ratio here bounds what a step split this way can reach on two threads.
 */
final class SplitGemmCeiling {

  static final int BATCH = 128;
  static final int IN = 784;
  static final int UNITS = 256;

  private SplitGemmCeiling() {
  }

  /**
   * The rate of the split products on two threads at once over the whole products on one, each timed for
   * about {@code seconds}; {@code x} holds a {@value #BATCH}×{@value #IN} batch at offset 0.
   */
  static double ratio(float[] x, double seconds) throws InterruptedException {
    Rng rng = new Rng(23);
    float[] weights = StepProfile.random(UNITS * IN, rng);
    float[] dZ = StepProfile.random(BATCH * UNITS, rng);
    float[] pre = new float[BATCH * UNITS];
    float[] gradient = new float[UNITS * IN];
    Gemm one = Gemms.factory("blas").get();
    int calls = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    do {
      products(one, x, weights, dZ, pre, gradient, 0, UNITS);
      calls++;
    } while (System.nanoTime() < end);
    double whole = calls / ((System.nanoTime() - start) / 1e9);

    // the same number of calls on each of two threads, each on its half of the units
    int repeat = calls;
    CyclicBarrier together = new CyclicBarrier(2);
    long[] finished = new long[2];
    Thread other = new Thread(() -> {
      Gemm gemm = Gemms.factory("blas").get();
      await(together);
      for (int i = 0; i < repeat; i++) {
        products(gemm, x, weights, dZ, pre, gradient, UNITS / 2, UNITS);
      }
      finished[1] = System.nanoTime();
    }, "dendrite-split-gemm");
    other.start();
    await(together);
    long splitStart = System.nanoTime();
    for (int i = 0; i < repeat; i++) {
      products(one, x, weights, dZ, pre, gradient, 0, UNITS / 2);
    }
    finished[0] = System.nanoTime();
    other.join();
    double split = repeat / ((Math.max(finished[0], finished[1]) - splitStart) / 1e9);
    return split / whole;
  }

  /** Units {@code [from, to)} of the forward product (bias already in {@code pre}) and of the weight gradient. */
  private static void products(Gemm gemm, float[] x, float[] weights, float[] dZ, float[] pre, float[] gradient,
                               int from, int to) {
    int units = to - from;
    gemm.gemm(false, true, BATCH, units, IN, 1f, x, 0, IN, weights, from * IN, IN, 1f, pre, from, UNITS);
    gemm.gemm(true, false, units, IN, BATCH, 1f, dZ, from, UNITS, x, 0, IN, 0f, gradient, from * IN, IN);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
