package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;

/**
 * The GEMM-bound ceiling of a training step: the step's GEMM flops divided by the rate this machine's
 * sgemm reaches on a large square product (1024³, one thread), measured in the same run as the step so
 * that both see the same machine. A step cannot run faster than its multiplications at the best rate
 * sgemm ever reaches, so {@code step samples/s ÷ ceiling samples/s} is the fraction of the ceiling.
 *
 * <p>For two threads the ceiling is what two <em>independent</em> sgemm threads reach at once, each on its
 * own matrices: on a VM the two vCPUs may share a physical core or its memory bandwidth, and then no
 * two-thread step can reach twice one thread either.
 */
final class GemmCeiling {

  static final int SIZE = 1024;

  private GemmCeiling() {
  }

  /** GFLOP/s of one thread, or of each of {@code threads} threads running sgemm at the same time (median). */
  static double gflopsPerThread(int threads, double seconds) throws InterruptedException {
    double[][] perThread = new double[threads][];
    CyclicBarrier start = new CyclicBarrier(threads);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int index = t;
      workers[t] = new Thread(() -> perThread[index] = rounds(start, seconds, index), "sgemm-" + t);
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    double[] medians = new double[threads];
    for (int t = 0; t < threads; t++) {
      medians[t] = median(perThread[t]);
    }
    return Arrays.stream(medians).average().orElseThrow();
  }

  /** Rounds of about 0.25 s each, after a warm-up of {@code seconds / 4}: GFLOP/s per round. */
  private static double[] rounds(CyclicBarrier start, double seconds, int seed) {
    Gemm gemm = Gemms.factory("blas").get();
    Rng rng = new Rng(11 + seed);
    float[] a = StepProfile.random(SIZE * SIZE, rng);
    float[] b = StepProfile.random(SIZE * SIZE, rng);
    float[] c = new float[SIZE * SIZE];
    double flops = 2.0 * SIZE * SIZE * SIZE;
    try {
      start.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long warmEnd = System.nanoTime() + (long) (seconds / 4 * 1e9);
    while (System.nanoTime() < warmEnd) {
      gemm.gemm(false, false, SIZE, SIZE, SIZE, 1f, a, 0, SIZE, b, 0, SIZE, 0f, c, 0, SIZE);
    }
    int n = Math.max(3, (int) (seconds / 0.25));
    double[] rates = new double[n];
    for (int r = 0; r < n; r++) {
      long t0 = System.nanoTime();
      long end = t0 + 250_000_000L;
      int calls = 0;
      long now;
      do {
        gemm.gemm(false, false, SIZE, SIZE, SIZE, 1f, a, 0, SIZE, b, 0, SIZE, 0f, c, 0, SIZE);
        calls++;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = calls * flops / (now - t0);
    }
    return rates;
  }

  private static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Flops of one training sample's GEMMs for a dense network with these widths (forward and backward). */
  static double flopsPerSample(int[] widths) {
    double flops = 0;
    for (StepProfile.Call call : StepProfile.stepCalls(1, widths)) {
      flops += call.flops();
    }
    return flops;
  }
}
