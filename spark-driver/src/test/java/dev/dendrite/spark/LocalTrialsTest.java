package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.random.Rng;
import dev.dendrite.spark.tune.LocalTrials;
import dev.dendrite.spark.tune.TrialData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trials as Spark tasks on local[2]: in parallel, read once per executor, the results of running them one by one. */
class LocalTrialsTest {

  private static SparkSession spark;
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.local(2);
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Three Gaussian classes over {@code features} columns, as {@code partitions} blocks. */
  private static JavaRDD<DataBlock> blocks(int n, int features, long seed, int partitions) {
    Rng rng = new Rng(seed);
    List<DataBlock> list = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int rows = n / partitions;
      float[] x = new float[rows * features];
      float[] y = new float[rows];
      for (int i = 0; i < rows; i++) {
        int c = rng.nextInt(3);
        y[i] = c;
        for (int j = 0; j < features; j++) {
          x[i * features + j] = (float) (rng.nextGaussian() + (j % 3 == c ? 0.7 : 0));
        }
      }
      list.add(new DataBlock(p, rows, features, 1, x, y, null));
    }
    return sc.parallelize(list, partitions);
  }

  private static LocalTrials.Spec spec(int index, double learningRate, int epochs) {
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("input_shape", List.of(20));
    network.put("layers", List.of(Map.of("type", "dense", "units", 128, "activation", "relu"),
        Map.of("type", "dense", "units", 128, "activation", "relu"),
        Map.of("type", "dense", "units", 3, "activation", "softmax")));
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss", "sparse_categorical_crossentropy");
    training.put("optimizer", Map.of("type", "adam", "learning_rate", learningRate));
    training.put("batch_size", 32);
    training.put("epochs", epochs);
    training.put("seed", 5);
    return new LocalTrials.Spec(index, network, training, "learning_rate=" + learningRate);
  }

  /** A trial's history without its timings: what it measured, epoch by epoch. */
  private static List<Object> measured(LocalTrials.Outcome o) {
    List<Object> out = new ArrayList<>();
    for (Object e : (List<?>) o.history().get("epochs")) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) e);
      m.remove("seconds");
      m.remove("samples_per_second");
      out.add(m);
    }
    return out;
  }

  /** The most trials that were training at the same moment. */
  private static int mostAtOnce(List<LocalTrials.Outcome> outcomes) {
    int most = 0;
    for (LocalTrials.Outcome o : outcomes) { // the count just after some trial started
      int running = 0;
      for (LocalTrials.Outcome other : outcomes) {
        if (other.startedMillis() <= o.startedMillis() && o.startedMillis() < other.endedMillis()) {
          running++;
        }
      }
      most = Math.max(most, running);
    }
    return most;
  }

  /** The CPU time this JVM has used, all threads. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  @Test
  void parallelTrialsOnLocal2RunOnePerSlotAndFinishFasterThanTheSameTrialsInSequenceWithTheSameResults() {
    TrialData data = TrialData.collect(blocks(3000, 20, 1, 2), blocks(600, 20, 2, 2));
    List<LocalTrials.Spec> specs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      specs.add(spec(i, 0.0005 * (i + 1), 12));
    }
    int readsBefore = LocalTrials.readsInThisJvm();
    try (LocalTrials trials = new LocalTrials(sc, data)) {
      // warm-up, both ways: the JIT, and the data's one read here
      trials.run(List.of(spec(98, 0.001, 2)), o -> { });
      trials.run(List.of(spec(99, 0.001, 2), spec(100, 0.002, 2)), o -> { });

      // the same 4 trials one after another, then all at once; three rounds, alternating, and the fastest
      // round of each compared, so a burst of load from other processes on the machine decides nothing
      List<LocalTrials.Outcome> sequential = new ArrayList<>();
      List<LocalTrials.Outcome> parallel = List.of();
      List<Integer> heard = new ArrayList<>();
      double sequentialSeconds = Double.POSITIVE_INFINITY;
      double parallelSeconds = Double.POSITIVE_INFINITY;
      double parallelCores = 0;
      List<String> rounds = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        sequential = new ArrayList<>();
        for (LocalTrials.Spec s : specs) {
          sequential.addAll(trials.run(List.of(s), o -> { }));
        }
        double seq = (System.nanoTime() - t0) / 1e9;
        double seqCores = (cpuNanos() - cpu0) / 1e9 / seq;
        heard.clear();
        long cpu = cpuNanos();
        long t1 = System.nanoTime();
        parallel = trials.run(specs, o -> heard.add(o.index()));
        double par = (System.nanoTime() - t1) / 1e9;
        double cores = (cpuNanos() - cpu) / 1e9 / par;
        rounds.add(String.format(Locale.ROOT, "%.2f s / %.2f s (this JVM used %.2f / %.2f cores)", seq, par, seqCores,
            cores));
        sequentialSeconds = Math.min(sequentialSeconds, seq);
        if (par < parallelSeconds) {
          parallelSeconds = par;
          parallelCores = cores;
        }
      }
      String times = String.format(Locale.ROOT, "4 trials, fastest of 3 rounds: %.2f s one after another, %.2f s "
          + "in parallel (%.2fx); rounds (sequential / parallel) %s", sequentialSeconds, parallelSeconds,
          sequentialSeconds / parallelSeconds, rounds);
      System.out.println("LocalTrialsTest: " + times);
      assertEquals(2, mostAtOnce(parallel), "one trial per task slot of local[2], both slots busy: "
          + parallel.stream().map(o -> o.startedMillis() + "-" + o.endedMillis()).toList());
      assertEquals(4, heard.size(), "the caller hears every trial as it ends: " + heard);
      assertEquals(List.of(0, 1, 2, 3), parallel.stream().map(LocalTrials.Outcome::index).toList(), "trial order");
      for (int i = 0; i < 4; i++) {
        assertEquals(measured(sequential.get(i)), measured(parallel.get(i)),
            "trial " + i + " measures the same epochs whatever runs beside it");
      }
      Map<?, ?> last = (Map<?, ?>) ((List<?>) parallel.get(3).history().get("epochs")).get(11);
      assertTrue(((Number) last.get("val_accuracy")).doubleValue() > 0.6, "the trials learn: " + last);
      assertEquals(1, LocalTrials.readsInThisJvm() - readsBefore,
          "25 trials on local[2] (one executor JVM) read the data from its broadcast once");
      // last, so that the checks above are reported whatever the machine's load
      assertTrue(parallelSeconds < 0.8 * sequentialSeconds, "parallel must take under 0.8 x sequential: " + times
          + (parallelCores < 1.6 ? String.format(Locale.ROOT, "; the JVM got only %.2f of the 2 cores while the "
          + "trials ran in parallel: is the machine busy with other work? (load average %.1f)", parallelCores,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) : ""));
    }
  }
}
