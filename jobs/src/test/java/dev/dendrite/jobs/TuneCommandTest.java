package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dendrite tune end to end in local[2] on the shipped breast-cancer config. */
class TuneCommandTest {

  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  private static JobTestSupport.Result tune(Path space, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("tune", ROOT.resolve("conf/breast-cancer-libsvm.yaml").toString(),
        "--space", space.toString(), "--output", out.toString(),
        "--set", "data.train=" + ROOT.resolve("examples/data/breast-cancer-train.libsvm"),
        "--set", "data.test=" + ROOT.resolve("examples/data/breast-cancer-test.libsvm")));
    args.addAll(List.of(more));
    return JobTestSupport.run(args.toArray(new String[0]));
  }

  private static Map<String, Object> results(Path out) throws Exception {
    return Json.parseObject(Files.readString(out.resolve("results.json")), "results.json");
  }

  private static double bestValue(Path out) throws Exception {
    return ((Number) ((Map<?, ?>) results(out).get("best")).get("value")).doubleValue();
  }

  /** What a run decided: each trial's settings, value and epochs (not its time or executor). */
  @SuppressWarnings("unchecked")
  private static List<Object> decisions(Path out) throws Exception {
    List<Object> rows = new ArrayList<>();
    for (Object o : (List<Object>) results(out).get("trials")) {
      Map<String, Object> row = (Map<String, Object>) o;
      rows.add(List.of(row.get("trial"), row.get("settings"), String.valueOf(row.get("value")), row.get("epochs")));
    }
    rows.add(((Map<?, ?>) results(out).get("best")).get("trial"));
    return rows;
  }

  @Test
  void aSmallSpaceOnTheBreastCancerConfigFindsAConfigurationAtLeastAsGoodAsTheShippedOne(@TempDir Path dir)
      throws Exception {
    Path space = dir.resolve("space.yaml");
    Files.writeString(space, """
        method: random
        trials: 6
        seed: 11
        metric: val_loss
        parameters:
          training.optimizer.learning_rate: {low: 0.001, high: 0.03, log: true}
          network.layers.0.units: {values: [8, 16, 32]}
        """);
    Path out = dir.resolve("tuned");
    JobTestSupport.Result r = tune(space, out);
    assertEquals(0, r.code(), r.err());
    long progress = r.out().lines().filter(l -> l.matches("\\[\\d/6\\] trial \\d: val_loss .*")).count();
    assertEquals(6, progress, "a progress line per finished trial:\n" + r.out());
    assertTrue(r.out().contains("trials run in parallel as Spark tasks"), "the choice is told:\n" + r.out());

    // the shipped configuration itself, through the same trial runner: one value, the shipped batch size
    Path shipped = dir.resolve("shipped.yaml");
    Files.writeString(shipped, """
        method: grid
        parameters:
          training.batch_size: {values: [32]}
        """);
    Path baseline = dir.resolve("baseline");
    assertEquals(0, tune(shipped, baseline).code());
    assertTrue(bestValue(out) <= bestValue(baseline), "the search's best val_loss " + bestValue(out)
        + " must be at most the shipped config's " + bestValue(baseline) + " (same split, same seed)");

    for (String f : List.of("results.json", "results.csv", "best.yaml", "tune.html", StagedOutput.MARKER)) {
      assertTrue(Files.exists(out.resolve(f)), f + " written");
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(7, csv.size(), "a header and a row per trial:\n" + String.join("\n", csv));
    assertTrue(csv.get(0).startsWith("trial,rung,epochs_budget,training.optimizer.learning_rate,"
        + "network.layers.0.units,loss,accuracy,val_loss,val_accuracy,epochs,kept_epoch,seconds"), csv.get(0));
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".crc")).toList(), "no checksum files");
    }

    // best.yaml is the winner's whole config: dendrite train runs it
    Map<?, ?> best = (Map<?, ?>) results(out).get("best");
    Map<?, ?> settings = (Map<?, ?>) best.get("settings");
    JobConfig winner = JobConfig.load(out.resolve("best.yaml"), List.of());
    assertEquals(((Number) settings.get("training.optimizer.learning_rate")).doubleValue(),
        winner.training().optimizer().learningRate(), 0, "best.yaml holds the winner's learning rate");
    Path trained = dir.resolve("trained");
    JobTestSupport.ok("train", out.resolve("best.yaml").toString(), "--output", trained.toString(),
        "--set", "training.epochs=2");
    assertTrue(Files.exists(trained.resolve("model.dndr")));

    // the same seed and space: the same trials and the same winner
    Path again = dir.resolve("again");
    assertEquals(0, tune(space, again).code());
    assertEquals(decisions(out), decisions(again));
  }

  @Test
  void halvingTrainsTheBestThirdLongerAndDistributedExecutionRunsThemOneAfterAnother(@TempDir Path dir)
      throws Exception {
    Path space = dir.resolve("space.yaml");
    Files.writeString(space, """
        method: halving
        trials: 3
        seed: 3
        metric: val_accuracy
        execution: distributed
        halving: {min_epochs: 2, factor: 3}
        parameters:
          training.optimizer.learning_rate: {low: 0.001, high: 0.03, log: true}
        """);
    Path out = dir.resolve("tuned");
    JobTestSupport.Result r = tune(space, out, "--set", "training.epochs=6", "--set", "distributed.mode=allreduce");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("one after another as distributed runs"), r.out());
    assertTrue(r.out().contains("[rung 2/2, 6 epochs]"), r.out());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 3 + 1, csv.size(), "3 trials of 2 epochs, then the best one for 6:\n" + String.join("\n", csv));
    Map<?, ?> best = (Map<?, ?>) results(out).get("best");
    assertEquals(1L, best.get("rung"), "the winner comes from the last rung");
    assertEquals("maximize", results(out).get("goal"));
  }

  @Test
  void aBadSpaceFailsBeforeSparkStartsNamingTheKey(@TempDir Path dir) throws Exception {
    Path space = dir.resolve("space.yaml");
    Files.writeString(space, """
        parameters:
          training.optimizer.learning_rate: {low: -1, high: 0.1, log: true}
        """);
    JobTestSupport.Result r = tune(space, dir.resolve("out"));
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("space file " + space + ", parameters.training.optimizer.learning_rate.low: "
        + "a log scale needs bounds above 0, got -1"), r.err());
  }
}
