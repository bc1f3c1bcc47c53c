package dev.dendrite.jobs;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.CollectiveRoundTrip;
import dev.dendrite.spark.CollectiveRunner;
import dev.dendrite.spark.DistributedConfig;
import dev.dendrite.spark.Exchange;
import dev.dendrite.spark.TrainingMode;
import dev.dendrite.spark.DistributedEvaluator;
import dev.dendrite.spark.DistributedTrainer;
import dev.dendrite.spark.OverheadProbe;
import dev.dendrite.spark.data.DataBlock;
import dev.dendrite.spark.data.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dendrite benchmark CONFIG}: the end-to-end speed benchmark. Trains the configured network the
 * same number of epochs on one JVM ({@link LocalTrainer}, as many threads as Spark has task slots) and
 * on Spark in each requested mode, on the same cached data, then measures the Spark overheads a step
 * pays besides its compute (a trivial job over the cached blocks, and the all-reduce round trip of the
 * parameter vector without compute). Prints a table of epoch times, samples/s, accuracies and the
 * ratios the project tracks, and writes them as JSON.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Epoch time on one JVM vs on Spark, and Spark's per-step overheads, for a configuration.")
public final class BenchmarkCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "the job configuration (YAML or JSON)")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a configuration key (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--epochs", description = "epochs per run; the first is warm-up (default: ${DEFAULT-VALUE})")
  int epochs = 3;

  @Option(names = "--modes", split = ",", paramLabel = "MODE",
      description = "distributed modes to time: auto, allreduce, averaging, collective (default: the config's mode)")
  List<String> modes = new ArrayList<>();

  @Option(names = "--trials", description = "times to repeat the whole comparison; figures are medians over "
      + "trials and each ratio pairs runs of one trial, so a burst of load on a shared machine moves one trial, "
      + "not the result (default: ${DEFAULT-VALUE})")
  int trials = 3;

  @Option(names = "--repeats", description = "Spark jobs per overhead measurement (default: ${DEFAULT-VALUE})")
  int repeats = 20;

  @Option(names = "--output", paramLabel = "FILE",
      description = "where to write the results as JSON (default: ${DEFAULT-VALUE})")
  Path output = Path.of("benchmark.json");

  @Override
  public Integer call() throws Exception {
    if (epochs < 2) {
      throw new IllegalArgumentException("--epochs must be at least 2 (the first epoch is warm-up), got " + epochs);
    }
    if (trials < 1) {
      throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
    }
    JobConfig job = JobConfig.load(config, overrides);
    TrainingConfig training = job.training().withEpochs(epochs).withEarlyStopping(null);
    List<TrainingMode> runModes = modes.isEmpty() ? List.of(job.distributed().mode())
        : modes.stream().map(TrainingMode::parse).toList(); // fails naming a bad one
    SparkSession spark = TrainCommand.session(job);
    try (StagedOutput out = StagedOutput.begin(output.toAbsolutePath().toString(), true, "--output FILE",
        StagedOutput.Kind.JSON_FILE, "benchmark", spark.sparkContext().hadoopConfiguration())) {
      out.writeJson(run(spark, job, training, runModes));
      out.commit();
      System.out.println("dendrite benchmark: results in " + output);
    } finally {
      spark.stop();
    }
    return 0;
  }

  private Map<String, Object> run(SparkSession spark, JobConfig job, TrainingConfig training,
                                  List<TrainingMode> runModes) throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = sc.defaultParallelism();
    int partitions = job.distributed().partitions() > 0 ? job.distributed().partitions() : slots;
    Network probeNet = new Network(job.network()).initialize(training.seed());
    TrainingData data = TrainingData.load(spark, job.data(), job.training(), probeNet, partitions);
    try {
      Task task = Task.of(training.loss(), probeNet.outputSize());
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("config", config.toString());
      results.put("spark_master", Redaction.of(sc.getConf()).value("spark.master", sc.master()));
      results.put("task_slots", slots);
      results.put("partitions", partitions);
      results.put("parameters", probeNet.parameterCount());
      results.put("batch_size", training.batchSize());
      results.put("epochs", epochs);
      results.put("training_examples", data.trainExamples);

      results.put("trials", trials);

      // one JVM, as many threads as Spark has slots, on the same (already preprocessed) training rows
      Dataset local = collect(data.train, task, probeNet);
      Dataset localValidation = data.validation == null ? null : collect(data.validation, task, probeNet);
      List<Map<String, Object>> localTrials = new ArrayList<>();
      Map<String, List<Map<String, Object>>> modeTrials = new LinkedHashMap<>();
      for (int trial = 0; trial < trials; trial++) {
        Network net = new Network(job.network()).initialize(training.seed());
        History h = new LocalTrainer(training.withThreads(slots)).fit(net, local.copy(), localValidation);
        Map<String, Object> single = runSummary("local (" + slots + " threads)", h, net, data, task);
        localTrials.add(single);
        for (TrainingMode mode : runModes) {
          DistributedConfig d = job.distributed().withPartitions(partitions).withMode(mode,
              job.distributed().averagingFrequency());
          Network dnet = new Network(job.network()).initialize(training.seed());
          History dh = new DistributedTrainer(training, d).fitBlocks(dnet, data.train, data.validation);
          Map<String, Object> r = runSummary(mode.key(), dh, dnet, data, task);
          r.put("epoch_time_ratio_to_local", (Double) r.get("epoch_seconds") / (Double) single.get("epoch_seconds"));
          modeTrials.computeIfAbsent(mode.key(), k -> new ArrayList<>()).add(r);
        }
      }
      results.put("local", overTrials(localTrials));
      List<Map<String, Object>> distributed = new ArrayList<>();
      for (List<Map<String, Object>> runs : modeTrials.values()) {
        distributed.add(overTrials(runs));
      }
      results.put("distributed", distributed);

      int stepsPerEpoch = (int) ((data.trainExamples + training.batchSize() - 1) / training.batchSize());
      OverheadProbe.Measurement m = OverheadProbe.measure(sc, data.train, probeNet, training,
          job.distributed().shards(), job.distributed().exchange(), repeats);
      Map<String, Object> overhead = overheadFigures(m, repeats, stepsPerEpoch);
      if (!m.exchange().equals("spark")) {
        // what the same round trip costs through Spark's own data path (what a cluster pays)
        overhead.put("through_spark", overheadFigures(OverheadProbe.measure(sc, data.train, probeNet, training,
            job.distributed().shards(), Exchange.SPARK, repeats), repeats, stepsPerEpoch));
      }
      if (CollectiveRunner.obstacle(sc, partitions).isEmpty()) {
        // what a step of collective training pays instead: one all-reduce between the tasks
        CollectiveRoundTrip.Measurement c = CollectiveRoundTrip.measure(sc, data.train, probeNet.parameterCount(),
            Math.max(repeats, 100));
        Map<String, Object> collective = new LinkedHashMap<>();
        collective.put("path", c.sharedMemory() ? "memory (every task in one JVM)" : "tcp");
        collective.put("round_trip_ms", c.medianMillis());
        collective.put("round_trip_p90_ms", c.p90Millis());
        collective.put("calls", c.repeats());
        collective.put("bytes_per_task", c.bytesPerTask());
        collective.put("loopback_gb_per_s", c.loopbackBytesPerSecond() / 1e9);
        collective.put("bandwidth_floor_ms", c.bandwidthFloorMillis());
        overhead.put("collective", collective);
      }
      results.put("overhead", overhead);
      System.out.println(table(results));
      return results;
    } finally {
      data.release();
    }
  }

  private static Map<String, Object> overheadFigures(OverheadProbe.Measurement m, int repeats, int stepsPerEpoch) {
    Map<String, Object> overhead = new LinkedHashMap<>();
    overhead.put("exchange", m.exchange());
    overhead.put("trivial_job_ms", m.trivialJobMillis());
    overhead.put("allreduce_overhead_ms", m.allReduceOverheadMillis());
    overhead.put("allreduce_overhead_ratio_to_trivial_job", m.overheadRatio());
    overhead.put("publish_release_ms", m.publishMillis());
    overhead.put("job_reading_published_ms", m.publishedJobMillis());
    overhead.put("vectors_back_and_sum_ms", m.aggregateMillis());
    overhead.put("step_compute_ms_per_partition", m.computeMillis());
    overhead.put("repeats", repeats);
    overhead.put("auto_averaging_frequency", m.autoAveragingFrequency(stepsPerEpoch));
    return overhead;
  }

  /**
   * One run's figures over all trials: the last trial's metrics (the runs are seeded alike), and the
   * medians over trials of epoch time, samples/s and the ratio to the one-JVM run of the same trial,
   * with every trial's value listed beside them.
   */
  private static Map<String, Object> overTrials(List<Map<String, Object>> runs) {
    Map<String, Object> r = new LinkedHashMap<>(runs.get(runs.size() - 1));
    for (String key : List.of("epoch_seconds", "samples_per_second", "epoch_time_ratio_to_local")) {
      if (!r.containsKey(key)) {
        continue;
      }
      double[] values = runs.stream().mapToDouble(m -> (Double) m.get(key)).toArray();
      List<Double> listed = new ArrayList<>();
      for (double v : values) {
        listed.add(v);
      }
      Arrays.sort(values);
      int n = values.length;
      r.put(key, n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
      r.put("trials_" + key, listed);
    }
    return r;
  }

  /** Epoch time (median of the epochs after the first), samples/s, and the final held-out metric. */
  private static Map<String, Object> runSummary(String name, History h, Network net, TrainingData data, Task task) {
    List<EpochRecord> records = h.epochs();
    double[] seconds = records.stream().skip(1).mapToDouble(EpochRecord::seconds).sorted().toArray();
    double[] rates = records.stream().skip(1).mapToDouble(EpochRecord::samplesPerSecond).sorted().toArray();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run", name);
    r.put("epoch_seconds", seconds[seconds.length / 2]);
    r.put("first_epoch_seconds", records.get(0).seconds());
    r.put("samples_per_second", rates[rates.length / 2]);
    r.put("train_loss", finite(h.last().metric("loss")));
    if (data.test != null) {
      Map<String, Double> test = DistributedEvaluator.metrics(data.test, net, task, "test_");
      test.forEach((k, v) -> r.put(k, finite(v)));
    }
    return r;
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The blocks' rows on the driver, as one in-memory dataset for the single-JVM trainer. */
  private static Dataset collect(JavaRDD<DataBlock> blocks, Task task, Network network) {
    List<DataBlock> parts = blocks.collect();
    int rows = parts.stream().mapToInt(DataBlock::size).sum();
    int fw = network.inputSize();
    int tw = parts.isEmpty() ? 1 : parts.get(0).targetWidth();
    float[] x = new float[Math.multiplyExact(rows, fw)];
    float[] t = new float[Math.multiplyExact(rows, tw)];
    float[] w = parts.stream().anyMatch(b -> b.weights() != null) ? new float[rows] : null;
    int at = 0;
    for (DataBlock b : parts) {
      System.arraycopy(b.features(), 0, x, at * fw, b.size() * fw);
      System.arraycopy(b.targets(), 0, t, at * tw, b.size() * tw);
      if (w != null) {
        if (b.weights() != null) {
          System.arraycopy(b.weights(), 0, w, at, b.size());
        } else {
          Arrays.fill(w, at, at + b.size(), 1f);
        }
      }
      at += b.size();
    }
    Dataset.TargetKind kind = task == Task.MULTICLASS && tw == 1 ? Dataset.TargetKind.CLASS_INDEX
        : task == Task.MULTILABEL ? Dataset.TargetKind.MULTI_LABEL : Dataset.TargetKind.REGRESSION;
    return new Dataset(x, network.inputShape(), t, tw, kind,
        kind == Dataset.TargetKind.CLASS_INDEX ? network.outputSize() : 0, w, "cached training blocks");
  }

  @SuppressWarnings("unchecked")
  static String table(Map<String, Object> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nDendrite benchmark: %s on %s (%s task slots, %s partitions), "
            + "%s parameters, batch %s, %s epochs; epoch times are medians over %s trials of the median of "
            + "epochs 2..%s, each ratio the median of the trials' ratios%n%n",
        results.get("config"), results.get("spark_master"), results.get("task_slots"), results.get("partitions"),
        results.get("parameters"), results.get("batch_size"), results.get("epochs"), results.get("trials"),
        results.get("epochs")));
    sb.append(String.format(Locale.ROOT, "| %-22s | %9s | %10s | %10s | %13s |%n", "run", "epoch (s)", "samples/s",
        "vs local", "test metric"));
    sb.append("|------------------------|-----------|------------|------------|---------------|\n");
    Map<String, Object> local = (Map<String, Object>) results.get("local");
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(local);
    rows.addAll((List<Map<String, Object>>) results.get("distributed"));
    for (Map<String, Object> r : rows) {
      double ratio = r == local ? 1.0 : (Double) r.get("epoch_time_ratio_to_local");
      Object metric = r.containsKey("test_accuracy") ? r.get("test_accuracy") : r.get("test_rmse");
      sb.append(String.format(Locale.ROOT, "| %-22s | %9.2f | %10.0f | %9.2fx | %13s |%n", r.get("run"),
          (Double) r.get("epoch_seconds"), (Double) r.get("samples_per_second"), ratio,
          metric == null ? "-" : String.format(Locale.ROOT, "%s %.4f",
              r.containsKey("test_accuracy") ? "acc" : "rmse", (Double) metric)));
    }
    Map<String, Object> o = (Map<String, Object>) results.get("overhead");
    sb.append(String.format(Locale.ROOT, "%nSpark per-step overhead (medians of %s interleaved repeats): trivial job "
        + "%.1f ms.%n", o.get("repeats"), (Double) o.get("trivial_job_ms")));
    overheadLine(sb, o);
    if (o.containsKey("through_spark")) {
      overheadLine(sb, (Map<String, Object>) o.get("through_spark"));
    }
    if (o.containsKey("collective")) {
      Map<String, Object> c = (Map<String, Object>) o.get("collective");
      sb.append(String.format(Locale.ROOT, "Collective all-reduce between the tasks (no Spark job; %s): %.3f ms "
              + "median, %.3f ms p90 over %s calls; its %s bytes per task would take %.3f ms at the loopback "
              + "bandwidth measured in this run (%.2f GB/s).%n", c.get("path"), (Double) c.get("round_trip_ms"), (Double) c.get("round_trip_p90_ms"),
          c.get("calls"), c.get("bytes_per_task"), (Double) c.get("bandwidth_floor_ms"),
          (Double) c.get("loopback_gb_per_s")));
    }
    sb.append(String.format(Locale.ROOT, "One step's compute per partition %.2f ms; auto %s.%n",
        (Double) o.get("step_compute_ms_per_partition"), o.containsKey("collective")
            ? "trains collectively (every partition runs at once)"
            : "would average every " + o.get("auto_averaging_frequency") + " local steps"));
    return sb.toString();
  }

  private static void overheadLine(StringBuilder sb, Map<String, Object> o) {
    boolean spark = "spark".equals(o.get("exchange"));
    sb.append(String.format(Locale.ROOT, "All-reduce round trip without compute, %s: %.1f ms = %.2fx the trivial job "
            + "(%.1f ms in that probe), of which %s %.1f ms, the job whose tasks read it %.1f ms, vectors back + "
            + "ordered sum %.1f ms.%n",
        spark ? "through Spark (broadcast, task results)" : "in-process (by reference in the driver's JVM)",
        (Double) o.get("allreduce_overhead_ms"), (Double) o.get("allreduce_overhead_ratio_to_trivial_job"),
        (Double) o.get("trivial_job_ms"), spark ? "broadcast create + destroy" : "publish + release",
        (Double) o.get("publish_release_ms"), (Double) o.get("job_reading_published_ms"),
        (Double) o.get("vectors_back_and_sum_ms")));
  }
}
