package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.BlasGemm;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks through JMH's API and prints tables: GEMM GFLOP/s per backend and shape with the
 * percentage of the machine's fp32 peak, and training-step samples/s. Each result is also appended as a
 * tab-separated line to {@code --tsv}, and {@code summary FILE} prints the tables of such a file (Dendrite
 * and PyTorch side by side with their ratio). {@code bin/bench} is the usual way in; it sets
 * {@code OPENBLAS_NUM_THREADS} per run, which JMH forks inherit.
 *
 * <pre>
 * run [--suite peak,gemm,ceiling,train,scaling,epoch,rnn] [--rounds 30] [--cells lstm,gru] [--train-threads 1,2] [--train-split units,examples]
 *     [--data fashion-mnist,random]
 *     [--epoch-threads 1,2] [--epochs 4] [--ceiling-threads 1,2] [--backends ejml,blas-native,blas-java]
 *     [--shapes 128x784x256,...] [--ops nn] [--forks 1] [--quick] [--tsv FILE] [--log FILE]
 * summary FILE
 * </pre>
 */
public final class BenchRunner {

  /** TSV columns: kind, implementation, a, b, value, error, note. */
  private static final String TSV_HEADER = "# kind\timpl\ta\tb\tvalue\terror\tnote";

  private BenchRunner() {
  }

  public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
    if (args.length >= 1 && args[0].equals("summary")) {
      if (args.length != 2) {
        throw new IllegalArgumentException("usage: summary FILE");
      }
      summary(Path.of(args[1]), System.out);
      return;
    }
    Map<String, String> opts = parse(args);
    List<String> suites = List.of(opts.getOrDefault("suite", "peak,gemm,ceiling,train,epoch").split(","));
    boolean quick = opts.containsKey("quick");
    int forks = Integer.parseInt(opts.getOrDefault("forks", "1"));
    Path tsv = opts.containsKey("tsv") ? Path.of(opts.get("tsv")) : null;
    String log = opts.get("log");
    String blasThreads = envOr("OPENBLAS_NUM_THREADS", "unset");
    MachinePeak peak = MachinePeak.read();
    List<String> rows = new ArrayList<>();

    System.out.println("machine: " + peak.describe());
    System.out.println("java " + System.getProperty("java.version") + ", OPENBLAS_NUM_THREADS=" + blasThreads
        + ", netlib default: " + BlasGemm.defaultInstance().name());
    rows.add(String.join("\t", "peak", "theoretical", String.valueOf(peak.lanes()), "-",
        fmt(peak.perCoreGflops()), "0", peak.describe()));

    if (suites.contains("peak")) {
      Collection<RunResult> results = run(base(forks, log)
          .include(PeakBenchmark.class.getName() + ".fma")
          .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(1)));
      for (RunResult r : results) {
        Result<?> res = r.getPrimaryResult();
        double gflops = PeakBenchmark.flopsPerInvocation() / res.getScore(); // ns per call
        double err = gflops * res.getScoreError() / res.getScore();
        rows.add(String.join("\t", "peak", "measured-fma", String.valueOf(PeakBenchmark.SPECIES.length()), "-",
            fmt(gflops), fmt(err), "Vector API FMA chains, one thread"));
      }
    }

    if (suites.contains("gemm")) {
      Collection<RunResult> results = run(base(forks, log)
          .include(GemmBenchmark.class.getName() + ".gemm")
          .param("backend", opts.getOrDefault("backends", "ejml,blas-native,blas-java").split(","))
          .param("shape", opts.getOrDefault("shapes", "128x784x256,128x256x128,512x512x512,1024x1024x1024")
              .split(","))
          .param("op", opts.getOrDefault("ops", "nn").split(","))
          .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(1)));
      for (RunResult r : results) {
        String backend = r.getParams().getParam("backend");
        String shape = r.getParams().getParam("shape");
        String op = r.getParams().getParam("op");
        int[] mkn = GemmBenchmark.parseShape(shape);
        double flops = 2.0 * mkn[0] * mkn[1] * mkn[2];
        Result<?> res = r.getPrimaryResult(); // µs per call
        double gflops = flops / (res.getScore() * 1e3);
        double err = gflops * res.getScoreError() / res.getScore();
        rows.add(String.join("\t", "gemm", backend, shape, op, fmt(gflops), fmt(err),
            GemmBenchmark.backend(backend).name()));
      }
    }

    if (suites.contains("ceiling")) {
      double seconds = quick ? 2 : 4;
      for (String t : opts.getOrDefault("ceiling-threads", "1,2").split(",")) {
        int threads = Integer.parseInt(t);
        double gflops = GemmCeiling.gflopsPerThread(threads, seconds);
        rows.add(String.join("\t", "ceiling", "sgemm-" + GemmCeiling.SIZE, t, blasThreads, fmt(gflops), "0",
            threads + " independent sgemm thread(s) at once, GFLOP/s per thread"));
      }
    }

    if (suites.contains("train")) {
      Collection<RunResult> results = run(base(forks, log)
          .include(TrainingStepBenchmark.class.getName() + ".step")
          .param("threads", opts.getOrDefault("train-threads", "1,2").split(","))
          .param("gemm", opts.getOrDefault("train-gemm", "blas").split(","))
          .param("data", opts.getOrDefault("data", "fashion-mnist").split(","))
          .param("split", opts.getOrDefault("train-split", "units").split(","))
          .warmupIterations(quick ? 3 : 5).warmupTime(TimeValue.seconds(1))
          .measurementIterations(quick ? 4 : 8).measurementTime(TimeValue.seconds(1)));
      for (RunResult r : results) {
        Result<?> res = r.getPrimaryResult(); // samples per second
        String gemm = r.getParams().getParam("gemm");
        String split = r.getParams().getParam("split");
        rows.add(String.join("\t", trainKind(r.getParams().getParam("data")),
            (gemm.equals("blas") ? "dendrite" : "dendrite-" + gemm) + (split.equals("units") ? "" : " (split by " + split + ")"),
            r.getParams().getParam("threads"), blasThreads, fmt(res.getScore()), fmt(res.getScoreError()),
            "MLP 784-256-128-10, Adam, batch 128"));
      }
    }

    if (suites.contains("rnn")) {
      Collection<RunResult> results = run(base(forks, log)
          .include(RecurrentStepBenchmark.class.getName() + ".step")
          .param("cell", opts.getOrDefault("cells", "lstm,gru").split(","))
          .warmupIterations(quick ? 2 : 4).warmupTime(TimeValue.seconds(1))
          .measurementIterations(quick ? 3 : 6).measurementTime(TimeValue.seconds(1)));
      for (RunResult r : results) {
        Result<?> res = r.getPrimaryResult();
        rows.add(String.join("\t", "rnn-" + r.getParams().getParam("cell"), "dendrite",
            r.getParams().getParam("threads"), blasThreads, fmt(res.getScore()), fmt(res.getScoreError()),
            "Fashion-MNIST as 28 steps of 28, " + r.getParams().getParam("cell") + " 128 + dense softmax, Adam, batch 128"));
      }
    }

    if (suites.contains("scaling")) {
      int rounds = Integer.parseInt(opts.getOrDefault("rounds", quick ? "8" : "30"));
      System.out.println("a second thread, interleaved with one (" + rounds + " rounds):");
      ScalingBenchmark.Result r = ScalingBenchmark.run(FashionMnistBatches.load("fashion-mnist"), rounds, 0.4);
      System.out.println("  " + ScalingBenchmark.describe(r));
      rows.add(String.join("\t", "scaling", "dendrite", "2", blasThreads, fmt(r.unitsRatio()), "0",
          ScalingBenchmark.describe(r)));
    }

    if (suites.contains("epoch")) {
      int epochs = Integer.parseInt(opts.getOrDefault("epochs", quick ? "2" : "4"));
      FashionMnistBatches data = FashionMnistBatches.load("fashion-mnist");
      for (String t : opts.getOrDefault("epoch-threads", "1,2").split(",")) {
        System.out.println("epochs of the plain loop, " + t + " JVM thread(s):");
        EpochBenchmark.Result result = EpochBenchmark.run(data, Integer.parseInt(t), epochs, true);
        double[] rates = result.samplesPerSecond();
        double spread = (Arrays.stream(rates).max().orElseThrow() - Arrays.stream(rates).min().orElseThrow()) / 2;
        rows.add(String.join("\t", "epoch", "dendrite", t, blasThreads, fmt(result.median()), fmt(spread),
            String.format(Locale.ROOT, "median of %d epochs, mean loss of the last %.4f", epochs,
                result.lastLoss())));
      }
    }

    if (tsv != null) {
      if (!Files.exists(tsv)) {
        Files.writeString(tsv, TSV_HEADER + "\n", StandardCharsets.UTF_8);
      }
      Files.write(tsv, rows, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
    System.out.println();
    print(rows, System.out);
  }

  private static ChainedOptionsBuilder base(int forks, String log) {
    ChainedOptionsBuilder b = new OptionsBuilder()
        .forks(forks)
        .threads(1)
        .shouldFailOnError(true)
        .jvmArgs("-Xms1g", "-Xmx2g", "-XX:+UseParallelGC", "--add-modules=jdk.incubator.vector");
    if (log != null) {
      b = b.output(log);
    }
    return b;
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
    return new Runner(options.build()).run();
  }

  /** Prints the tables of a TSV file written by one or more runs (and by bench-pytorch). */
  static void summary(Path tsv, PrintStream out) {
    List<String> rows;
    try {
      rows = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read results file " + tsv, e);
    }
    print(rows, out);
  }

  private static void print(List<String> lines, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank() && !line.startsWith("#")) {
        rows.add(line.split("\t", -1));
      }
    }
    double peak = 0;
    for (String[] r : rows) {
      if (r[0].equals("peak") && r[1].equals("theoretical") && peak == 0) { // every run repeats it
        peak = Double.parseDouble(r[4]);
        out.println("fp32 peak: " + r[6]);
      }
    }
    for (String[] r : rows) {
      if (r[0].equals("peak") && r[1].equals("measured-fma")) {
        out.printf(Locale.ROOT, "measured FMA throughput, one thread (%s lanes): %.1f ± %.1f GFLOP/s = %s of peak%n",
            r[2], d(r[4]), d(r[5]), pct(d(r[4]), peak));
      }
    }

    // GEMM: one row per shape/op, one column per backend
    Map<String, Map<String, String[]>> gemm = new LinkedHashMap<>();
    List<String> backends = new ArrayList<>();
    for (String[] r : rows) {
      if (r[0].equals("gemm")) {
        gemm.computeIfAbsent(r[2] + (r[3].equals("nn") ? "" : " (" + r[3] + ")"), k -> new LinkedHashMap<>())
            .put(r[1], r);
        if (!backends.contains(r[1])) {
          backends.add(r[1]);
        }
      }
    }
    if (!gemm.isEmpty()) {
      out.println();
      out.println("GEMM, one thread (OPENBLAS_NUM_THREADS as run): GFLOP/s ± 99.9% CI (% of one core's peak)");
      StringBuilder head = new StringBuilder("| m x k x n |");
      StringBuilder rule = new StringBuilder("|---|");
      for (String b : backends) {
        String impl = "";
        for (Map<String, String[]> byBackend : gemm.values()) {
          if (byBackend.containsKey(b)) {
            impl = byBackend.get(b)[6];
            break;
          }
        }
        head.append(' ').append(b).append(impl.isEmpty() || impl.equals(b) ? "" : " (" + impl + ")").append(" |");
        rule.append("---:|");
      }
      out.println(head);
      out.println(rule);
      for (Map.Entry<String, Map<String, String[]>> e : gemm.entrySet()) {
        StringBuilder line = new StringBuilder("| " + e.getKey() + " |");
        for (String b : backends) {
          String[] r = e.getValue().get(b);
          line.append(r == null ? " - |" : String.format(Locale.ROOT, " %.1f ± %.1f (%s) |",
              d(r[4]), d(r[5]), pct(d(r[4]), peak)));
        }
        out.println(line);
      }
    }

    // The GEMM-bound ceiling per core count: cores × (GFLOP/s per sgemm thread, that many at once) ÷ flops per sample
    Map<Integer, Double> ceiling = new LinkedHashMap<>();
    double flopsPerSample = GemmCeiling.flopsPerSample(MLP_WIDTHS);
    for (String[] r : rows) {
      if (r[0].equals("ceiling")) {
        int threads = Integer.parseInt(r[2]);
        ceiling.put(threads, threads * d(r[4]) * 1e9 / flopsPerSample);
      }
    }
    if (!ceiling.isEmpty()) {
      out.println();
      out.println("GEMM-bound ceiling of the MLP step (" + fmt(flopsPerSample / 1e6) + " MFLOP per sample):");
      for (String[] r : rows) {
        if (r[0].equals("ceiling")) {
          out.printf(Locale.ROOT, "  %s thread(s) of sgemm %d³ at once: %.1f GFLOP/s each -> %.0f samples/s%n",
              r[2], GemmCeiling.SIZE, d(r[4]), ceiling.get(Integer.parseInt(r[2])));
        }
      }
    }
    throughput(rows, "train", "Training step on Fashion-MNIST batches, MLP 784-256-128-10 (ReLU, softmax + sparse CE, Adam),"
        + " batch 128: samples/s ± 99.9% CI", ceiling, out);
    throughput(rows, "epoch", "Whole epochs on Fashion-MNIST (plain loop, same batches in the same order),"
        + " samples/s: median ± half the range over epochs", ceiling, out);
    for (String[] r : rows) {
      if (r[0].equals("scaling")) {
        out.println();
        out.println("Two threads against one, MLP training step on Fashion-MNIST, interleaved blocks of 0.4 s: " + r[6]);
      }
    }
    throughput(rows, "rnn-lstm", "LSTM step: Fashion-MNIST as 28 steps of 28 pixels, LSTM 128 + dense softmax, Adam,"
        + " batch 128: samples/s ± 99.9% CI", Map.of(), out);
    throughput(rows, "rnn-gru", "GRU step: the same with a GRU of 128 units", Map.of(), out);
    throughput(rows, "train-random", "Extra, not a comparison: the same step on uniform random inputs"
        + " (PyTorch 1.13 falls into its slow Adam path on these)", ceiling, out);
  }

  /** The MLP every throughput row trains. */
  static final int[] MLP_WIDTHS = {784, 256, 128, 10};

  static String trainKind(String data) {
    return data.equals("random") ? "train-random" : "train";
  }

  /**
   * One table of throughput rows of a kind: each Dendrite row next to the fastest PyTorch row on as many
   * cores, and its fraction of the GEMM-bound ceiling on that many cores.
   */
  private static void throughput(List<String[]> rows, String kind, String title, Map<Integer, Double> ceiling,
                                 PrintStream out) {
    List<String[]> dendrite = new ArrayList<>();
    Map<Integer, String[]> torch = new LinkedHashMap<>();
    List<String[]> torchRows = new ArrayList<>();
    for (String[] r : rows) {
      if (r[0].equals(kind) && r[1].startsWith("dendrite")) {
        dendrite.add(r);
      } else if (r[0].equals(kind) && r[1].startsWith("pytorch")) {
        torchRows.add(r);
        int cores = Integer.parseInt(r[2]);
        String[] best = torch.get(cores);
        if (best == null || d(r[4]) > d(best[4])) {
          torch.put(cores, r); // compare with PyTorch's best configuration on as many cores
        }
      }
    }
    if (dendrite.isEmpty() && torchRows.isEmpty()) {
      return;
    }
    out.println();
    out.println(title);
    out.println("| implementation | JVM/torch threads | BLAS threads | samples/s | ms/step | of the GEMM ceiling"
        + " | vs fastest PyTorch, same cores |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (String[] r : dendrite) {
      int cores = Integer.parseInt(r[2]) * parseOr(r[3], 1);
      String[] t = torch.get(cores);
      String ratio = t == null ? "-" : String.format(Locale.ROOT, "%.2f× (vs %s, %s threads)",
          d(r[4]) / d(t[4]), t[1], t[2]);
      out.println(trainRow(r, ceilingShare(r, cores, ceiling), ratio));
    }
    for (String[] t : torchRows) {
      String[] best = torch.get(Integer.parseInt(t[2]));
      out.println(trainRow(t, ceilingShare(t, Integer.parseInt(t[2]), ceiling),
          String.format(Locale.ROOT, "%.2f×", d(t[4]) / d(best[4]))));
    }
  }

  private static String ceilingShare(String[] r, int cores, Map<Integer, Double> ceiling) {
    Double c = ceiling.get(cores);
    return c == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * d(r[4]) / c);
  }

  private static String trainRow(String[] r, String share, String ratio) {
    return String.format(Locale.ROOT, "| %s | %s | %s | %.0f ± %.0f | %.2f | %s | %s |",
        r[1], r[2], r[3], d(r[4]), d(r[5]), 128e3 / d(r[4]), share, ratio);
  }

  private static int parseOr(String s, int fallback) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static double d(String s) {
    return Double.parseDouble(s);
  }

  private static String pct(double value, double peak) {
    return peak <= 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * value / peak);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    int i = 0;
    if (i < args.length && args[i].equals("run")) {
      i++;
    }
    for (; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a + "; options start with --");
      }
      String key = a.substring(2);
      if (key.equals("quick")) {
        opts.put(key, "true");
      } else if (i + 1 < args.length) {
        opts.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
    }
    return opts;
  }
}
