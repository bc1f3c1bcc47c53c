package dev.dendrite.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.io.onnx.OnnxExport;
import dev.dendrite.core.linalg.BlasGemm;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Inference throughput (rows/s) of Dendrite and of ONNX Runtime on the same model, same rows, same number
 * of threads: the Fashion-MNIST MLP and CNN of conf/ (random weights: the work does not depend on their
 * values) with pixel scaling, or any saved model. Dendrite scores as {@code dendrite predict} and
 * {@code transform} do on each task: batches of raw rows, the saved preprocessing, then one
 * {@code Network.forward} (GEMM) per batch; with T threads, T network replicas each score their share of the
 * rows (one Spark task per core). ONNX Runtime runs one session with {@code intra_op_num_threads = T} on
 * the same batches. Run with {@code OPENBLAS_NUM_THREADS=1} (bin/bench-scoring does). A measurement, never
 * a test. Beside rows per second of wall time it prints rows per second of the process's CPU time over the
 * same run: on a shared machine the wall-clock rate depends on what else runs, the CPU-time rate much less
 * (ONNX Runtime's intra-op threads are the process's too, so both count all their threads).
 *
 * <pre>
 * ScoringThroughput [--models mlp,cnn,PATH.dndr] [--threads 1,2] [--batch 512] [--rows 10000]
 *                   [--seconds 10] [--onnx-dir DIR]
 * </pre>
 * {@code --onnx-dir} keeps the exported models ({@code mlp.onnx}, {@code cnn.onnx}) for the Python timing
 * (benchmarks/onnx/score_throughput.py).
 */
public final class ScoringThroughput {

  private ScoringThroughput() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    int batch = Integer.parseInt(opts.getOrDefault("batch", "512"));
    int rows = Integer.parseInt(opts.getOrDefault("rows", "10000"));
    double seconds = Double.parseDouble(opts.getOrDefault("seconds", "10"));
    Path onnxDir = opts.containsKey("onnx-dir") ? Path.of(opts.get("onnx-dir")) : null;
    System.out.println("java " + System.getProperty("java.version") + ", OPENBLAS_NUM_THREADS="
        + System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset") + ", netlib: "
        + BlasGemm.defaultInstance().name() + ", batch " + batch + ", " + rows + " rows, " + seconds + " s per run");
    System.out.printf("%-28s %-13s %7s %12s %12s%n", "model", "runtime", "threads", "rows/s", "rows/cpu-s");
    for (String name : opts.getOrDefault("models", "mlp,cnn").split(",")) {
      SavedModel model = model(name);
      byte[] onnx = OnnxExport.toBytes(model);
      if (onnxDir != null) {
        Files.createDirectories(onnxDir);
        Files.write(onnxDir.resolve(Path.of(name).getFileName().toString().replace(ModelFile.EXTENSION, "")
            + OnnxExport.EXTENSION), onnx);
      }
      float[] x = rawRows(rows, model.toNetwork().inputSize());
      for (String t : opts.getOrDefault("threads", "1,2").split(",")) {
        int threads = Integer.parseInt(t);
        Rate d = dendrite(model, x, rows, batch, threads, seconds);
        System.out.printf("%-28s %-13s %7d %12.0f %12.0f%n", name, "dendrite", threads, d.wall(), d.cpu());
        Rate o = onnxRuntime(onnx, x, rows, model.toNetwork().inputSize(), batch, threads, seconds);
        System.out.printf("%-28s %-13s %7d %12.0f %12.0f%n", name, "onnxruntime", threads, o.wall(), o.cpu());
      }
    }
  }

  /** Rows per second of wall time and of the process's CPU time. */
  private record Rate(double wall, double cpu) {

    static Rate of(long rows, long startNanos, long startCpuNanos) {
      double wall = (System.nanoTime() - startNanos) / 1e9;
      double cpu = (processCpuNanos() - startCpuNanos) / 1e9;
      return new Rate(rows / wall, rows / cpu);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The shipped MLP or CNN with pixel scaling and random weights, or a saved model file. */
  private static SavedModel model(String name) throws Exception {
    Network net;
    switch (name) {
      case "mlp":
        net = Network.builder(1, 28, 28).dense(256, "relu").dense(128, "relu").dense(10, "softmax").seed(1).build();
        break;
      case "cnn":
        net = Network.builder(1, 28, 28).conv2d(32, 3, "relu").batchNorm().maxPool2d(2).conv2d(64, 3, "relu")
            .batchNorm().maxPool2d(2).dropout(0.25).flatten().dense(128, "relu").dropout(0.4).dense(10, "softmax")
            .seed(1).build();
        break;
      default:
        return ModelFile.read(Path.of(name));
    }
    Preprocessor pixels = new PixelScaler(PixelScaler.DEFAULT_MAX, 784);
    return SavedModel.of(net).withPreprocessing(pixels.toMap());
  }

  /** Rows of random 8-bit pixel values (raw, as the files hold them). */
  private static float[] rawRows(int rows, int width) {
    Rng rng = new Rng(7);
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextInt(256);
    }
    return x;
  }

  /** Rows/s of T replicas, each scoring its share of the rows in batches, over about {@code seconds}. */
  private static Rate dendrite(SavedModel model, float[] x, int rows, int batch, int threads, double seconds)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int pass = 0; pass < 2; pass++) { // a warm-up pass (JIT), then the measured one
        double limit = pass == 0 ? Math.min(2, seconds) : seconds;
        List<Future<Long>> done = new ArrayList<>();
        long start = System.nanoTime();
        long startCpu = processCpuNanos();
        for (int t = 0; t < threads; t++) {
          int first = rows * t / threads;
          int end = rows * (t + 1) / threads;
          done.add(pool.submit(scorer(model, x, first, end, batch, start, limit)));
        }
        long scored = 0;
        for (Future<Long> f : done) {
          scored += f.get();
        }
        if (pass == 1) {
          return Rate.of(scored, start, startCpu);
        }
      }
      throw new IllegalStateException();
    } finally {
      pool.shutdown();
    }
  }

  private static Callable<Long> scorer(SavedModel model, float[] x, int first, int end, int batch, long start,
                                       double seconds) {
    return () -> {
      Network net = model.toNetwork();
      Preprocessor pre = Preprocessor.fromMap(model.preprocessing());
      int width = net.inputSize();
      float[] chunk = new float[batch * width];
      long scored = 0;
      while ((System.nanoTime() - start) / 1e9 < seconds) {
        for (int r = first; r < end; r += batch) {
          int n = Math.min(batch, end - r);
          System.arraycopy(x, r * width, chunk, 0, n * width);
          pre.transform(chunk, 0, n);
          net.forward(chunk, 0, n, false, null);
          scored += n;
        }
      }
      return scored;
    };
  }

  /** Rows/s of one ONNX Runtime session with T intra-op threads on the same batches. */
  private static Rate onnxRuntime(byte[] onnx, float[] x, int rows, int width, int batch, int threads,
                                    double seconds) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, options)) {
        for (int pass = 0; pass < 2; pass++) {
          double limit = pass == 0 ? Math.min(2, seconds) : seconds;
          long start = System.nanoTime();
          long startCpu = processCpuNanos();
          long scored = 0;
          while ((System.nanoTime() - start) / 1e9 < limit) {
            for (int r = 0; r < rows; r += batch) {
              int n = Math.min(batch, rows - r);
              try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, r * width, n * width),
                       new long[] {n, width});
                   OrtSession.Result out = session.run(Map.of(OnnxExport.INPUT, input))) {
                scored += n;
              }
            }
          }
          if (pass == 1) {
            return Rate.of(scored, start, startCpu);
          }
        }
      }
    }
    throw new IllegalStateException();
  }
}
