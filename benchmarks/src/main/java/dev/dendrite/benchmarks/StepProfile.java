package dev.dendrite.benchmarks;

import dev.dendrite.core.activation.Relu;
import dev.dendrite.core.activation.Softmax;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where the time of one training step goes (MLP 784-256-128-10, batch 128, one thread): each of the
 * eight GEMM calls the dense layers make, timed alone with the step's exact shapes and transposes, next
 * to the whole step split into forward, backward and the Adam update. Not JMH (a rough split by
 * {@code System.nanoTime}, fastest of 21 rounds), for finding a slow phase, not for publishing numbers:
 * {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.dendrite.benchmarks.StepProfile [gemm] [seconds]}.
 */
public final class StepProfile {

  private StepProfile() {
  }

  /** One GEMM call of the step: C[m,n] = op(A)·op(B) with A, B, C stored row-major. */
  record Call(String what, boolean transA, boolean transB, int m, int n, int k) {
    double flops() {
      return 2.0 * m * n * k;
    }
  }

  /**
   * The GEMM calls one training step of a dense network with these layer widths makes on a batch: per
   * layer {@code z = x·Wᵀ} forward, then backward {@code dW = dZᵀ·x} and, except for the first layer,
   * {@code dX = dZ·W}.
   */
  static Call[] stepCalls(int batch, int[] widths) {
    int layers = widths.length - 1;
    Call[] calls = new Call[3 * layers - 1];
    int c = 0;
    for (int l = 0; l < layers; l++) {
      calls[c++] = new Call("forward  L" + (l + 1) + "  z = x·Wᵀ", false, true, batch, widths[l + 1], widths[l]);
    }
    for (int l = layers - 1; l >= 0; l--) {
      calls[c++] = new Call("backward L" + (l + 1) + " dW = dZᵀ·x", true, false, widths[l + 1], widths[l], batch);
      if (l > 0) {
        calls[c++] = new Call("backward L" + (l + 1) + " dX = dZ·W", false, false, batch, widths[l], widths[l + 1]);
      }
    }
    return calls;
  }

  /** Times one call alone with its exact shape and transposes: median µs (operands random, seeded). */
  static double time(Gemm gemm, Call call, double seconds, Rng rng) {
    float[] a = random(call.m * call.k, rng);
    float[] b = random(call.k * call.n, rng);
    float[] out = new float[call.m * call.n];
    int lda = call.transA ? call.m : call.k;
    int ldb = call.transB ? call.k : call.n;
    return median(seconds, () -> gemm.gemm(call.transA, call.transB, call.m, call.n, call.k, 1f,
        a, 0, lda, b, 0, ldb, 1f, out, 0, call.n));
  }

  public static void main(String[] args) {
    String backend = args.length > 0 ? args[0] : "blas";
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    int batch = TrainingStepBenchmark.BATCH;
    int[] widths = {784, 256, 128, 10};
    Gemm gemm = Gemms.factory(backend).get();
    System.out.println("backend " + gemm.name() + ", OPENBLAS_NUM_THREADS="
        + System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset") + ", batch " + batch);

    Call[] calls = stepCalls(batch, widths);
    double gemmTotal = 0;
    double flopsTotal = 0;
    Rng rng = new Rng(3);
    System.out.printf(Locale.ROOT, "%-28s %6s %14s %10s %9s%n", "GEMM call", "op", "m x k x n", "µs", "GFLOP/s");
    for (Call call : calls) {
      double us = time(gemm, call, seconds, rng);
      gemmTotal += us;
      flopsTotal += call.flops();
      System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %9.1f%n", call.what,
          (call.transA ? "T" : "N") + (call.transB ? "T" : "N"), call.m + "x" + call.k + "x" + call.n, us,
          call.flops() / us / 1e3);
    }
    System.out.printf(Locale.ROOT, "%-28s %6s %14s %10.1f %9.1f   (%.3f MFLOP per sample)%n", "sum of GEMM calls",
        "", "", gemmTotal, flopsTotal / gemmTotal / 1e3, flopsTotal / batch / 1e6);

    Network net = Network.builder(widths[0]).dense(256, "relu").dense(128, "relu").dense(10, "softmax")
        .gemm(Gemms.factory(backend).get()).seed(1).build();
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    Adam adam = new Adam(1e-3f);
    adam.init(net.layout());
    float[] x = new float[batch * widths[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    float[] labels = new float[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(10);
    }
    Rng dropout = new Rng(5);
    double fwd = median(seconds, () -> net.forward(x, 0, batch, true, dropout));
    double grad = median(seconds, () -> net.computeGradients(x, 0, labels, 0, null, 0, batch, loss, 1f / batch,
        dropout));
    float[] params = net.parameterArray();
    float[] grads = net.gradientArray();
    double adamUs = median(seconds, () -> adam.step(params, grads));
    double step = median(seconds, () -> {
      net.computeGradients(x, 0, labels, 0, null, 0, batch, loss, 1f / batch, dropout);
      adam.step(params, grads);
    });
    System.out.println();
    System.out.printf(Locale.ROOT, "%-44s %10s%n", "phase (median of repeated calls)", "µs");
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "forward (3 GEMMs + bias, ReLU, softmax, input check)", fwd);
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "backward (= gradient − forward; 5 GEMMs + rest)", grad - fwd);
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "Adam update (" + params.length + " parameters)", adamUs);
    System.out.printf(Locale.ROOT, "%-44s %10.1f   = %.0f samples/s%n", "whole step (gradient + Adam)", step,
        batch / step * 1e6);
    System.out.printf(Locale.ROOT, "%-44s %10.1f   (%.0f%% of the step)%n", "GEMM calls alone (sum above)",
        gemmTotal, 100 * gemmTotal / step);
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "everything else", step - gemmTotal);
    elementwisePasses(seconds, rng);
    double sgemm;
    try {
      sgemm = GemmCeiling.gflopsPerThread(1, 2 * seconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    double ceilingUs = flopsTotal / sgemm / 1e3;
    System.out.printf(Locale.ROOT, "%-44s %10.1f   (sgemm %d³: %.1f GFLOP/s; the step is at %.0f%% of it)%n",
        "GEMM-bound ceiling of the step", ceilingUs, GemmCeiling.SIZE, sgemm, 100 * ceilingUs / step);
    double inL1 = adamNanosPerParameter(2048, seconds);
    System.out.printf(Locale.ROOT, "%-44s %10.3f   (all %d parameters: %.3f; on data in L1 it is the arithmetic)%n",
        "Adam, ns per parameter, 2048 in L1", inL1, params.length, adamUs * 1e3 / params.length);
    double adamFloorUs = inL1 * params.length / 1e3;
    System.out.printf(Locale.ROOT, "%-44s %10.0f%%   (ceiling ÷ (ceiling + Adam at %.1f µs on data in L1))%n",
        "the most a step with Adam can reach", 100 * ceilingUs / (ceilingUs + adamFloorUs), adamFloorUs);
  }

  /**
   * Adam's update per parameter on {@code n} parameters whose state stays in the cache between calls: with
   * {@code n} small, the time of its arithmetic (a square root and a division per parameter), not of memory.
   */
  static double adamNanosPerParameter(int n, double seconds) {
    Rng rng = new Rng(11);
    float[] p = random(n, rng);
    float[] g = random(n, rng);
    float[] m = new float[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] *= 1e-3f;
      m[i] = g[i];
      v[i] = g[i] * g[i];
    }
    int calls = 64;
    double us = median(seconds, () -> {
      for (int c = 0; c < calls; c++) {
        Kernels.adam(p, g, m, v, 0, n, 0.9f, 0.999f, 1e-8f, 1e-3f, 1.01f, 1f);
      }
    });
    return us * 1e3 / calls / n;
  }

  /**
   * The step's elementwise passes through {@code core} next to verbatim copies of the loops they replaced
   * (session of 2026-12-03): ReLU's backward select, the bias gradient's column sums, the softmax with
   * {@code Math.exp} per element, and the input check.
   */
  static void elementwisePasses(double seconds, Rng rng) {
    int rows = TrainingStepBenchmark.BATCH;
    float[] z = random(rows * 256, rng);
    float[] dY = random(rows * 256, rng);
    float[] dZ = new float[rows * 256];
    float[] sums = new float[256];
    float[] logits = random(rows * 10, rng);
    float[] probabilities = new float[rows * 10];
    float[] x = random(rows * 784, rng);
    Relu relu = new Relu();
    Softmax softmax = new Softmax();
    System.out.println();
    System.out.printf(Locale.ROOT, "%-44s %10s %10s%n", "elementwise pass (fastest round)", "now µs", "before µs");
    System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f%n", "ReLU backward, 128x256",
        median(seconds, () -> relu.backward(z, z, dY, dZ, rows, 256)),
        median(seconds, () -> reluBackwardBefore(z, dY, dZ)));
    System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f%n", "bias gradient (column sums), 128x256",
        median(seconds, () -> Kernels.columnSums(dY, 256, rows, 0, 256, sums, 0)),
        median(seconds, () -> columnSumsBefore(dY, rows, 256, sums)));
    System.out.printf(Locale.ROOT, "%-44s %10.2f %10.2f%n", "softmax, 128x10",
        median(seconds, () -> softmax.forward(logits, probabilities, rows, 10)),
        median(seconds, () -> softmaxBefore(logits, probabilities, rows, 10)));
    System.out.printf(Locale.ROOT, "%-44s %10.2f %10s%n", "input finiteness check, 128x784",
        median(seconds, () -> Kernels.allFinite(x, 0, x.length)), "");
  }

  /** ReLU's backward pass before {@code Kernels.reluBackward}: a scalar select per element. */
  private static void reluBackwardBefore(float[] z, float[] dY, float[] dZ) {
    for (int i = 0; i < dZ.length; i++) {
      int bits = Float.floatToRawIntBits(dY[i]);
      dZ[i] = Float.intBitsToFloat(z[i] > 0f ? bits : 0);
    }
  }

  /** The dense layer's bias gradient before {@code Kernels.columnSums}. */
  private static void columnSumsBefore(float[] dZ, int rows, int out, float[] db) {
    for (int j = 0; j < out; j++) {
      db[j] = 0f + dZ[j];
    }
    for (int r = 1; r < rows; r++) {
      int row = r * out;
      for (int j = 0; j < out; j++) {
        db[j] += dZ[row + j];
      }
    }
  }

  /** The softmax before {@code Kernels.exp}: {@code Math.exp} per element. */
  private static void softmaxBefore(float[] z, float[] y, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, z[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(z[o + j] - max);
        y[o + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < cols; j++) {
        y[o + j] *= inv;
      }
    }
  }

  /**
   * µs per call: the fastest of 21 rounds of calls filling about {@code seconds}, after as long a warm-up.
   * The fastest round is the one least disturbed by other work on a shared machine, which is what a
   * profile that looks for the slow phase needs.
   */
  static double median(double seconds, Runnable r) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      r.run();
    }
    int rounds = 21;
    double[] us = new double[rounds];
    long t0 = System.nanoTime();
    r.run();
    long once = Math.max(1, System.nanoTime() - t0);
    int reps = (int) Math.max(1, seconds * 1e9 / rounds / once);
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      for (int j = 0; j < reps; j++) {
        r.run();
      }
      us[i] = (System.nanoTime() - start) / 1e3 / reps;
    }
    Arrays.sort(us);
    return us[0];
  }

  static float[] random(int size, Rng rng) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = rng.nextFloat() * 2f - 1f;
    }
    return v;
  }
}
