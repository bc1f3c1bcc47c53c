package dev.dendrite.jobs;

import static dev.dendrite.jobs.JobTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data choice {@code evaluate} and {@code predict} share: --data and --labels over the config's
 * data.test and data.test_labels, --set applied first, and the refusals that come before Spark starts.
 */
class SavedModelArgsTest {

  /** An IDX config (so it may name label files) whose files all exist under {@code dir}. */
  private static Path idxConfig(Path dir, boolean withTest) throws Exception {
    for (String f : new String[] {"train.idx", "train-labels.idx", "test.idx", "test-labels.idx", "m.dndr"}) {
      Files.writeString(dir.resolve(f), "x");
    }
    Path config = dir.resolve("idx.yaml");
    String test = withTest ? ", test: " + dir.resolve("test.idx") + ", test_labels: " + dir.resolve("test-labels.idx")
        : "";
    Files.writeString(config, String.join("\n",
        "data: {format: idx, train: " + dir.resolve("train.idx") + ", train_labels: " + dir.resolve("train-labels.idx")
            + test + "}",
        "network: {input_shape: [4], layers: [{type: dense, units: 2, activation: softmax}]}",
        "training: {loss: sparse_categorical_crossentropy, optimizer: {type: adam, learning_rate: 0.01}}",
        "output: {dir: " + dir.resolve("out") + "}"));
    return config;
  }

  /** Chooses as {@code CONFIG --model model [--set overrides] [--data data] [--labels labels]} would. */
  private static SavedModelArgs.Selection select(Path config, String model, List<String> overrides, String data,
                                                 String labels, String purpose) {
    SavedModelArgs a = new SavedModelArgs();
    a.model = model;
    return a.select(config, overrides, data, labels, purpose);
  }

  @Test
  void theConfigsTestDataAndLabelsByDefault(@TempDir Path dir) throws Exception {
    String model = dir.resolve("m.dndr").toString();
    SavedModelArgs.Selection s = select(idxConfig(dir, true), model, List.of(), null, null, "predict");
    assertEquals(model, s.model());
    assertEquals(dir.resolve("test.idx").toString(), s.path());
    assertEquals(dir.resolve("test-labels.idx").toString(), s.labels());
    assertEquals("idx", s.job().data().format());
  }

  @Test
  void dataOnTheCommandLineHasNoLabelsUnlessNamed(@TempDir Path dir) throws Exception {
    Path config = idxConfig(dir, true);
    String model = dir.resolve("m.dndr").toString();
    String other = dir.resolve("train.idx").toString();
    SavedModelArgs.Selection s = select(config, model, List.of(), other, null, "predict");
    assertEquals(other, s.path());
    assertNull(s.labels());
    String labels = dir.resolve("train-labels.idx").toString();
    s = select(config, model, List.of(), other, labels, "predict");
    assertEquals(labels, s.labels());
    s = select(config, model, List.of("data.test=" + other), null, labels, "evaluate on");
    assertEquals(other, s.path(), "--set applies before the default is taken");
    assertEquals(labels, s.labels());
  }

  @Test
  void refusesNoDataAndMissingFilesNamingThem(@TempDir Path dir) throws Exception {
    Path noTest = idxConfig(dir, false);
    String model = dir.resolve("m.dndr").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> select(noTest, model, List.of(), null, null, "evaluate on"));
    assertEquals("no data to evaluate on: the config has no data.test; pass --data PATH (or --set data.test=PATH)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> select(noTest, dir.resolve("none.dndr").toString(), List.of(), model, null, "predict"));
    assertEquals("model file " + dir.resolve("none.dndr") + " does not exist", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> select(noTest, model, List.of(), dir.resolve("gone.idx").toString(), null, "predict"));
    assertEquals("data file " + dir.resolve("gone.idx") + " does not exist", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> select(noTest, model, List.of(), model, dir.resolve("gone-labels.idx").toString(), "predict"));
    assertEquals("label file " + dir.resolve("gone-labels.idx") + " does not exist", e.getMessage());
  }

  @Test
  void bothCommandsRefuseMissingDataBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Path noTest = idxConfig(dir, false);
    String model = dir.resolve("m.dndr").toString();
    JobTestSupport.Result r = run("evaluate", noTest.toString(), "--model", model);
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("no data to evaluate on: the config has no data.test; pass --data PATH "
        + "(or --set data.test=PATH)"), r.err());
    r = run("predict", noTest.toString(), "--model", model, "--output", dir.resolve("predictions").toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("no data to predict: the config has no data.test; pass --data PATH "
        + "(or --set data.test=PATH)"), r.err());
    assertTrue(!Files.exists(dir.resolve("predictions")), "no output directory");
  }
}
