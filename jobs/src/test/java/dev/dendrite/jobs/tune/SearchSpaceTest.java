package dev.dendrite.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.jobs.ConfigFiles;
import dev.dendrite.jobs.TrialConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Space files: what they draw, and the named errors for bad ones (no Spark). */
class SearchSpaceTest {

  private static final Path BREAST_CANCER = Paths.get("..", "conf", "breast-cancer-libsvm.yaml");

  private static Path space(Path dir, String yaml) throws Exception {
    Path file = dir.resolve("space.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** The message of the error that loading {@code yaml} and checking its trials against breast-cancer gives. */
  private static String error(Path dir, String yaml) throws Exception {
    Path file = space(dir, yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> {
      SearchSpace s = load(file);
      TrialConfigs.of(ConfigFiles.load(BREAST_CANCER), s, 7, file.toString(), (d, t, n) -> 1);
    });
    return e.getMessage();
  }

  @Test
  void theShippedSpaceReadsAndEveryTrialIsAValidConfig() {
    SearchSpace s = load(Paths.get("..", "conf", "breast-cancer-space.yaml"));
    assertEquals("random", s.method());
    assertEquals(5, s.parameters().size());
    TrialConfigs trials = TrialConfigs.of(ConfigFiles.load(BREAST_CANCER), s, 7, "space", (d, t, n) -> 1);
    assertEquals(16, trials.configurations().size());
    Map<String, Object> tree = trials.tree(3, 11);
    Object units = ((Map<?, ?>) ((List<?>) ((Map<?, ?>) tree.get("network")).get("layers")).get(0)).get("units");
    assertEquals(trials.configurations().get(3).get("network.layers.0.units"), units, "list items by index");
    assertEquals(11, ((Map<?, ?>) tree.get("training")).get("epochs"));
  }

  @Test
  void sameSeedSameTrialsAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
    SearchSpace s = load(space(dir, """
        method: random
        trials: 8
        parameters:
          training.optimizer.learning_rate: {low: 0.0001, high: 0.1, log: true}
          network.layers.0.units: {low: 4, high: 64, log: true}
          training.optimizer.type: {values: [adam, sgd]}
        """));
    List<Map<String, Object>> a = Search.configurations(s, 1);
    assertEquals(a, Search.configurations(s, 1));
    assertNotEquals(a, Search.configurations(s, 2));
    for (Map<String, Object> c : a) {
      double lr = (Double) c.get("training.optimizer.learning_rate");
      long units = (Long) c.get("network.layers.0.units");
      assertTrue(lr >= 1e-4 && lr <= 0.1 && units >= 4 && units <= 64, c.toString());
    }
    // trial i depends on (seed, i) alone: more trials keep the first ones
    SearchSpace more = new SearchSpace("random", 12, null, s.metric(), false, "auto", 0, 3, s.parameters());
    assertEquals(a, Search.configurations(more, 1).subList(0, 8));
  }

  @Test
  void gridWalksEveryCombinationLastKeyFastestWithLogSpacedSteps(@TempDir Path dir) throws Exception {
    SearchSpace s = load(space(dir, """
        method: grid
        parameters:
          training.optimizer.learning_rate: {low: 0.001, high: 0.1, log: true, steps: 3}
          training.batch_size: {values: [16, 32]}
        """));
    List<Map<String, Object>> grid = Search.configurations(s, 0);
    assertEquals(6, grid.size());
    assertEquals(List.of(16, 32, 16, 32, 16, 32), grid.stream().map(g -> g.get("training.batch_size")).toList());
    assertEquals(0.01, (Double) grid.get(2).get("training.optimizer.learning_rate"), 1e-12, "log-spaced middle");
  }

  @Test
  void halvingRungsEndAtTheConfiguredEpochsAndKeepAThird() {
    assertEquals(List.of(6, 20, 60), Search.rungEpochs(0, 60, 3));
    assertEquals(List.of(5, 10, 20), Search.rungEpochs(5, 20, 2));
    assertEquals(List.of(4), Search.rungEpochs(9, 4, 3));
    assertEquals(9, Search.survivors(27, 3));
    assertEquals(1, Search.survivors(2, 3));
  }

  @Test
  void tiesAreBrokenByTrialIndexAndNaNRanksLast() {
    SearchSpace s = new SearchSpace("random", 3, null, "val_loss", false, "auto", 0, 3, List.of());
    dev.dendrite.core.train.History h = new dev.dendrite.core.train.History();
    List<TrialResult> results = List.of(
        new TrialResult(new Trial(2, Map.of(), 0, 1), 0.5, Map.of(), 1, 1, 0, "completed", "0", h),
        new TrialResult(new Trial(0, Map.of(), 0, 1), Double.NaN, Map.of(), 1, 1, 0, "diverged: x", "0", h),
        new TrialResult(new Trial(1, Map.of(), 0, 1), 0.5, Map.of(), 1, 1, 0, "completed", "0", h));
    assertEquals(List.of(1, 2, 0), Search.ranked(results, s).stream().map(r -> r.trial().index()).toList());
  }

  @Test
  void anUnknownConfigKeyIsNamedWithItsTrialAndValue(@TempDir Path dir) throws Exception {
    String m = error(dir, """
        parameters:
          training.optimizer.learnin_rate: {values: [0.01]}
        """);
    assertTrue(m.contains("space.yaml") && m.contains("training.optimizer.learnin_rate=0.01")
        && m.contains("unknown key"), m);
  }

  @Test
  void aListIndexThatDoesNotExistIsNamed(@TempDir Path dir) throws Exception {
    String m = error(dir, """
        parameters:
          network.layers.7.units: {values: [8]}
        """);
    assertTrue(m.contains("network.layers has 3 items") && m.contains("no item 7"), m);
  }

  @Test
  void anEmptyRangeIsNamed(@TempDir Path dir) throws Exception {
    String m = error(dir, """
        parameters:
          network.layers.1.rate: {low: 0.5, high: 0.5}
        """);
    assertTrue(m.contains("parameters.network.layers.1.rate") && m.contains("the range is empty: low 0.5"), m);
    String empty = error(dir, """
        parameters:
          training.batch_size: {values: []}
        """);
    assertTrue(empty.contains("parameters.training.batch_size.values") && empty.contains("is empty"), empty);
  }

  @Test
  void aLogScaleWithANonPositiveBoundIsNamed(@TempDir Path dir) throws Exception {
    String m = error(dir, """
        parameters:
          training.optimizer.learning_rate: {low: 0, high: 0.1, log: true}
        """);
    assertTrue(m.contains("parameters.training.optimizer.learning_rate.low")
        && m.contains("a log scale needs bounds above 0, got 0"), m);
  }

  @Test
  void wrongTypesAreNamed(@TempDir Path dir) throws Exception {
    String bound = error(dir, """
        parameters:
          training.optimizer.learning_rate: {low: small, high: 0.1}
        """);
    assertTrue(bound.contains("parameters.training.optimizer.learning_rate.low")
        && bound.contains("expected a number, got 'small'"), bound);
    String values = error(dir, """
        parameters:
          training.batch_size: {values: 32}
        """);
    assertTrue(values.contains("parameters.training.batch_size.values") && values.contains("expected a list"), values);
    String valueForKey = error(dir, """
        parameters:
          training.batch_size: {values: [big]}
        """);
    assertTrue(valueForKey.contains("training.batch_size=big") && valueForKey.contains("training.batch_size"),
        valueForKey);
    String method = error(dir, """
        method: bayes
        parameters:
          training.batch_size: {values: [16]}
        """);
    assertTrue(method.contains("method") && method.contains("[grid, random, halving]"), method);
    String gridTrials = error(dir, """
        method: grid
        trials: 5
        parameters:
          training.batch_size: {values: [16]}
        """);
    assertTrue(gridTrials.contains("trials: is not read with method: grid"), gridTrials);
    String unknown = error(dir, """
        trails: 5
        parameters:
          training.batch_size: {values: [16]}
        """);
    assertTrue(unknown.contains("trails") && unknown.contains("unknown key"), unknown);
  }

  @Test
  void keysEveryTrialMustShareCannotBeSearched(@TempDir Path dir) throws Exception {
    String m = error(dir, """
        parameters:
          data.preprocessing: {values: [standard, minmax]}
        """);
    assertTrue(m.contains("parameters.data.preprocessing") && m.contains("the data is read once"), m);
    String seed = error(dir, """
        parameters:
          training.seed: {values: [1, 2]}
        """);
    assertTrue(seed.contains("training.seed") && seed.contains("cannot be searched"), seed);
  }

  private static SearchSpace load(Path file) {
    return SearchSpace.read(file, ConfigFiles.load(file));
  }
}
