package dev.dendrite.benchmarks;

import dev.dendrite.core.layer.ActivatedLayer;
import dev.dendrite.core.layer.Conv2DConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.random.Rng;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of one training step of the Fashion-MNIST CNN goes (conf/fashion-mnist-cnn.yaml:
 * conv 32 3×3 ReLU, batch norm, max-pool 2, conv 64 3×3 ReLU, batch norm, max-pool 2, dropout 0.25,
 * flatten, dense 128 ReLU, dropout 0.4, dense 10 softmax; one thread): each layer's forward
 * and backward timed alone on its own buffers, next to the whole step (gradient + Adam). Not JMH (medians
 * of thread CPU time), for finding a slow layer:
 * {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.dendrite.benchmarks.CnnStepProfile [batch] [gemm] [seconds]}.
 */
public final class CnnStepProfile {

  private CnnStepProfile() {
  }

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
    String backend = args.length > 1 ? args[1] : "blas";
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    Network net = network(backend);
    System.out.println("backend " + net.gemmName() + ", OPENBLAS_NUM_THREADS="
        + System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset") + ", batch " + batch + ", "
        + net.parameterCount() + " parameters");
    Rng rng = new Rng(7);
    float[] x = new float[batch * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    float[] labels = new float[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(10);
    }
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    Adam adam = new Adam(1e-3f);
    adam.init(net.layout());
    Rng dropout = new Rng(5);
    net.computeGradients(x, 0, labels, 0, null, 0, batch, loss, 1f / batch, dropout);

    // each layer alone, on buffers of its own, fed the previous layer's real output
    List<Layer> layers = net.layers();
    float[][] out = new float[layers.size()][];
    float[][] dOut = new float[layers.size()][];
    float[] in = x;
    for (int i = 0; i < layers.size(); i++) {
      out[i] = new float[batch * layers.get(i).outputShape().size()];
      dOut[i] = new float[out[i].length];
      layers.get(i).forward(in, 0, out[i], batch, true, dropout);
      in = out[i];
    }
    System.out.printf(Locale.ROOT, "%-34s %16s %10s %10s%n", "layer", "output", "fwd µs", "bwd µs");
    double fwdSum = 0;
    double bwdSum = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      float[] input = i == 0 ? x : out[i - 1];
      float[] y = out[i];
      float[] dY = dOut[i];
      float[] dX = i == 0 ? null : dOut[i - 1];
      float[] dYSaved = new float[dY.length];
      for (int j = 0; j < dYSaved.length; j++) {
        dYSaved[j] = (rng.nextFloat() - 0.5f) * 1e-3f;
      }
      boolean last = i == layers.size() - 1;
      double fwd = median(seconds, () -> layer.forward(input, 0, y, batch, true, dropout));
      double bwd = median(seconds, () -> {
        System.arraycopy(dYSaved, 0, dY, 0, dY.length); // activations turn dY into dZ in place
        if (last && layer instanceof ActivatedLayer a) {
          a.backwardPreActivation(input, 0, dY, dX, batch);
        } else {
          layer.backward(input, 0, y, dY, dX, batch);
        }
      });
      double copy = median(seconds, () -> System.arraycopy(dYSaved, 0, dY, 0, dY.length));
      fwdSum += fwd;
      bwdSum += bwd - copy;
      System.out.printf(Locale.ROOT, "%-34s %16s %10.1f %10.1f%n", i + " " + layer.config().type(),
          layer.outputShape(), fwd, bwd - copy);
    }
    System.out.printf(Locale.ROOT, "%-34s %16s %10.1f %10.1f%n", "sum of layers", "", fwdSum, bwdSum);

    // the three GEMMs of each convolution alone, with the layer's shapes (im2col columns = batch·P)
    Gemm gemm = Gemms.factory(backend).get();
    System.out.println();
    System.out.printf(Locale.ROOT, "%-34s %6s %18s %10s %9s%n", "conv GEMM call", "op", "m x k x n", "µs",
        "GFLOP/s");
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).config() instanceof Conv2DConfig conv) {
        Shape inShape = layers.get(i).inputShape();
        Shape outShape = layers.get(i).outputShape();
        int filters = conv.filters();
        int patch = inShape.dim(0) * conv.kernelHeight() * conv.kernelWidth();
        int columns = batch * outShape.dim(1) * outShape.dim(2);
        gemmLine(gemm, seconds, i + " forward  Z' = W·cols", false, false, filters, columns, patch, rng);
        gemmLine(gemm, seconds, i + " backward dW = dZ'·colsᵀ", false, true, filters, patch, columns, rng);
        if (i > 0) {
          gemmLine(gemm, seconds, i + " backward dCols = Wᵀ·dZ'", true, false, patch, columns, filters, rng);
        }
      }
    }

    float[] params = net.parameterArray();
    float[] grads = net.gradientArray();
    double fwd = median(seconds, () -> net.forward(x, 0, batch, true, dropout));
    double grad = median(seconds, () -> net.computeGradients(x, 0, labels, 0, null, 0, batch, loss, 1f / batch,
        dropout));
    double adamUs = median(seconds, () -> adam.step(params, grads));
    double step = median(seconds, () -> {
      net.computeGradients(x, 0, labels, 0, null, 0, batch, loss, 1f / batch, dropout);
      adam.step(params, grads);
    });
    System.out.println();
    System.out.printf(Locale.ROOT, "%-44s %10s%n", "phase (median of repeated calls)", "µs");
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "network forward (with input check)", fwd);
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "backward (= gradient − forward)", grad - fwd);
    System.out.printf(Locale.ROOT, "%-44s %10.1f%n", "Adam update (" + params.length + " parameters)", adamUs);
    System.out.printf(Locale.ROOT, "%-44s %10.1f   = %.0f samples/s, %.1f s per 55000-image epoch%n",
        "whole step (gradient + Adam)", step, batch / step * 1e6, 55000.0 / batch * step / 1e6);
  }

  private static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static void gemmLine(Gemm gemm, double seconds, String what, boolean transA, boolean transB, int m,
                               int n, int k, Rng rng) {
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextFloat();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rng.nextFloat();
    }
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    double us = median(seconds, () -> gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n));
    System.out.printf(Locale.ROOT, "%-34s %6s %18s %10.1f %9.1f%n", what, (transA ? "T" : "N") + (transB ? "T" : "N"),
        m + "x" + k + "x" + n, us, 2.0 * m * n * k / us / 1e3);
  }

  static Network network(String backend) {
    return Network.builder(1, 28, 28)
        .conv2d(32, 3, "relu").batchNorm().maxPool2d(2)
        .conv2d(64, 3, "relu").batchNorm().maxPool2d(2).dropout(0.25)
        .flatten()
        .dense(128, "relu").dropout(0.4)
        .dense(10, "softmax")
        .gemm(Gemms.factory(backend).get()).seed(1).build();
  }

  /**
   * Median µs of this thread's CPU time per call over batches of calls filling about {@code seconds}, after
   * as long a warm-up. CPU time, not wall time: the machine is shared, and a run queue longer than the
   * cores would otherwise show up as a slower layer.
   */
  private static double median(double seconds, Runnable r) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      r.run();
    }
    int rounds = 11;
    double[] us = new double[rounds];
    long t0 = cpu();
    r.run();
    long once = Math.max(1, cpu() - t0);
    int reps = (int) Math.max(1, seconds * 1e9 / rounds / once);
    for (int i = 0; i < rounds; i++) {
      long start = cpu();
      for (int j = 0; j < reps; j++) {
        r.run();
      }
      us[i] = (cpu() - start) / 1e3 / reps;
    }
    Arrays.sort(us);
    return us[rounds / 2];
  }
}
