package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train job end to end in local[2], and its refusals of bad input. */
class TrainCommandTest {

  @BeforeAll
  static void localMaster() {
    System.setProperty("spark.master", "local[2]");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    System.setProperty("spark.ui.enabled", "false");
  }

  private static Path resource(String name) throws Exception {
    return Paths.get(TrainCommandTest.class.getResource("/" + name).toURI());
  }

  private static Path libsvmConfig(Path dir, String extra) throws Exception {
    Path config = dir.resolve("binary.yaml");
    Files.writeString(config, """
        data:
          format: libsvm
          train: %s
          test: %s
          dimension: 6
          preprocessing: standard
        network:
          input_shape: [6]
          layers:
            - {type: dense, units: 8, activation: tanh}
            - {type: dense, units: 2, activation: softmax}
        training:
          loss: sparse_categorical_crossentropy
          optimizer: {type: adam, learning_rate: 0.02}
          batch_size: 32
          epochs: 15
          seed: 7
          validation_split: 0.2
        distributed: {mode: averaging, averaging_frequency: 4, partitions: 2}
        output: {dir: %s}
        %s
        """.formatted(resource("binary.libsvm"), resource("binary.libsvm"), dir.resolve("out"), extra));
    return config;
  }

  /** Runs the CLI capturing standard error. */
  private static Object[] run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int code = Dendrite.execute(args);
      return new Object[] {code, bytes.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void trainsFromLibSvmAndWritesEveryOutput(@TempDir Path dir) throws Exception {
    // LibSVM labels are -1/+1: map them to classes 0/1 with a config override of the loss-free kind
    Path data = dir.resolve("binary01.libsvm");
    Files.writeString(data, Files.readString(resource("binary.libsvm")).replaceAll("(?m)^-1 ", "0 ")
        .replaceAll("(?m)^\\+?1 ", "1 "));
    Path config = libsvmConfig(dir, "");
    Object[] result = run("train", config.toString(), "--set", "data.train=" + data, "--set", "data.test=" + data);
    assertEquals(0, result[0], (String) result[1]);
    Path out = dir.resolve("out");
    for (String f : new String[] {"model.dndr", "history.json", "metrics.jsonl", "metrics.json", "config.yaml",
        "confusion_matrix.txt", "report.html"}) {
      assertTrue(Files.exists(out.resolve(f)), f + " written");
    }
    SavedModel model = ModelFile.read(out.resolve("model.dndr"));
    assertEquals("standard", model.preprocessing().get("type"));
    Map<String, Object> metrics = Json.parseObject(Files.readString(out.resolve("metrics.json")), "metrics.json");
    double accuracy = ((Number) ((Map<?, ?>) metrics.get("test_metrics")).get("test_accuracy")).doubleValue();
    assertTrue(accuracy > 0.85, "test accuracy " + accuracy);
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary output left");
    }
  }

  @Test
  void refusesAnExistingOutputDirectory(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Object[] result = run("train", libsvmConfig(dir, "").toString());
    assertEquals(Dendrite.BAD_INPUT, result[0]);
    assertTrue(((String) result[1]).contains("exists") && ((String) result[1]).contains("--overwrite"),
        (String) result[1]);
  }

  @Test
  void unknownKeysAndBadValuesFailBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Object[] unknown = run("train", libsvmConfig(dir, "").toString(), "--set", "training.epoch=3");
    assertEquals(Dendrite.BAD_INPUT, unknown[0]);
    assertTrue(((String) unknown[1]).contains("training.epoch") && ((String) unknown[1]).contains("unknown key"),
        (String) unknown[1]);
    Object[] bad = run("train", libsvmConfig(dir, "").toString(), "--set", "training.batch_size=0");
    assertEquals(Dendrite.BAD_INPUT, bad[0]);
    assertTrue(((String) bad[1]).contains("training.batch_size"), (String) bad[1]);
    Object[] missing = run("train", libsvmConfig(dir, "").toString(), "--set", "data.train=/nonexistent/x.libsvm");
    assertEquals(Dendrite.BAD_INPUT, missing[0]);
    assertTrue(((String) missing[1]).contains("/nonexistent/x.libsvm does not exist"), (String) missing[1]);
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  @Test
  void helpListsTheOptions() {
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Dendrite.execute("train", "--help"));
    } finally {
      System.setOut(out);
    }
    String help = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--set") && help.contains("--overwrite") && help.contains("--output"), help);
  }
}
