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
 * run [--suite peak,gemm,train] [--train-threads 1,2] [--backends ejml,blas-native,blas-java]
 *     [--shapes 128x784x256,...] [--ops nn] [--forks 1] [--quick] [--tsv FILE] [--log FILE]
 * summary FILE
 * </pre>
 */
public final class BenchRunner {

  /** TSV columns: kind, implementation, a, b, value, error, note. */
  private static final String TSV_HEADER = "# kind\timpl\ta\tb\tvalue\terror\tnote";

  private BenchRunner() {
  }

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length >= 1 && args[0].equals("summary")) {
      if (args.length != 2) {
        throw new IllegalArgumentException("usage: summary FILE");
      }
      summary(Path.of(args[1]), System.out);
      return;
    }
    Map<String, String> opts = parse(args);
    List<String> suites = List.of(opts.getOrDefault("suite", "peak,gemm,train").split(","));
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

    if (suites.contains("train")) {
      Collection<RunResult> results = run(base(forks, log)
          .include(TrainingStepBenchmark.class.getName() + ".step")
          .param("threads", opts.getOrDefault("train-threads", "1,2").split(","))
          .param("gemm", opts.getOrDefault("train-gemm", "blas").split(","))
          .warmupIterations(quick ? 3 : 5).warmupTime(TimeValue.seconds(1))
          .measurementIterations(quick ? 4 : 8).measurementTime(TimeValue.seconds(1)));
      for (RunResult r : results) {
        Result<?> res = r.getPrimaryResult(); // samples per second
        String gemm = r.getParams().getParam("gemm");
        rows.add(String.join("\t", "train", gemm.equals("blas") ? "dendrite" : "dendrite-" + gemm,
            r.getParams().getParam("threads"), blasThreads, fmt(res.getScore()), fmt(res.getScoreError()),
            "MLP 784-256-128-10, Adam, batch 128"));
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

    // Training step: Dendrite rows, each next to the PyTorch row using as many cores in total
    List<String[]> dendrite = new ArrayList<>();
    Map<Integer, String[]> torch = new LinkedHashMap<>();
    List<String[]> torchRows = new ArrayList<>();
    for (String[] r : rows) {
      if (r[0].equals("train") && r[1].startsWith("dendrite")) {
        dendrite.add(r);
      } else if (r[0].equals("train") && r[1].startsWith("pytorch")) {
        torchRows.add(r);
        int cores = Integer.parseInt(r[2]);
        String[] best = torch.get(cores);
        if (best == null || d(r[4]) > d(best[4])) {
          torch.put(cores, r); // compare with PyTorch's best configuration on as many cores
        }
      }
    }
    if (!dendrite.isEmpty() || !torchRows.isEmpty()) {
      out.println();
      out.println("Training step, MLP 784-256-128-10 (ReLU, softmax + sparse CE, Adam), batch 128: samples/s ± 99.9% CI");
      out.println("| implementation | JVM/torch threads | BLAS threads | samples/s | ms/step | vs fastest PyTorch, same cores |");
      out.println("|---|---:|---:|---:|---:|---:|");
      for (String[] r : dendrite) {
        int cores = Integer.parseInt(r[2]) * parseOr(r[3], 1);
        String[] t = torch.get(cores);
        String ratio = t == null ? "-" : String.format(Locale.ROOT, "%.2f× (vs %s, %s threads)",
            d(r[4]) / d(t[4]), t[1], t[2]);
        out.println(trainRow(r, ratio));
      }
      for (String[] t : torchRows) {
        String[] best = torch.get(Integer.parseInt(t[2]));
        out.println(trainRow(t, String.format(Locale.ROOT, "%.2f×", d(t[4]) / d(best[4]))));
      }
    }
  }

  private static String trainRow(String[] r, String ratio) {
    return String.format(Locale.ROOT, "| %s | %s | %s | %.0f ± %.0f | %.2f | %s |",
        r[1], r[2], r[3], d(r[4]), d(r[5]), 128e3 / d(r[4]), ratio);
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
