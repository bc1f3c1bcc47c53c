package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train job end to end in local[2], and its refusals of bad input. */
class TrainCommandTest {

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  private static Path config(Path dir) throws Exception {
    return JobTestSupport.libsvmConfig(dir, JobTestSupport.binary01(dir), dir.resolve("out"));
  }

  @Test
  void trainsFromLibSvmAndWritesEveryOutput(@TempDir Path dir) throws Exception {
    JobTestSupport.ok("train", config(dir).toString());
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
    Map<String, Object> history = Json.parseObject(Files.readString(out.resolve("history.json")), "history.json");
    for (Object epoch : (java.util.List<?>) history.get("epochs")) {
      assertTrue(((Map<?, ?>) epoch).get("accuracy") instanceof Number && ((Map<?, ?>) epoch).get("val_accuracy")
          instanceof Number, "training and validation accuracy in every epoch: " + epoch);
    }
    assertTrue(Files.readString(out.resolve(StagedOutput.MARKER)).contains("\"dendrite train\""),
        "the output is marked as Dendrite's");
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".out.")),
          "no temporary output or claim left");
    }
    try (Stream<Path> files = Files.walk(out)) {
      java.util.List<String> crc = files.map(p -> out.relativize(p).toString()).filter(n -> n.endsWith(".crc"))
          .toList();
      assertEquals(java.util.List.of(), crc, "no Hadoop checksum files in the output directory");
    }
  }

  @Test
  void overwriteRefusesAFolderDendriteNeverWrote(@TempDir Path dir) throws Exception {
    Path thesis = Files.createDirectories(dir.resolve("out"));
    Files.writeString(thesis.resolve("thesis.tex"), "years of work");
    JobTestSupport.Result r = JobTestSupport.run("train", config(dir).toString(), "--overwrite",
        "--set", "training.epochs=1");
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("output directory file:" + thesis + " is not empty and was not written by Dendrite"),
        r.err());
    assertEquals("years of work", Files.readString(thesis.resolve("thesis.tex")));
  }

  @Test
  void overwriteReplacesAnOutputOfDendrite(@TempDir Path dir) throws Exception {
    String config = config(dir).toString();
    JobTestSupport.ok("train", config, "--set", "training.epochs=1");
    Files.writeString(dir.resolve("out/stale.txt"), "from before");
    JobTestSupport.ok("train", config, "--overwrite", "--set", "training.epochs=1");
    assertFalse(Files.exists(dir.resolve("out/stale.txt")), "replaced, not merged");
    assertTrue(Files.exists(dir.resolve("out/model.dndr")));
  }

  @Test
  void theCurrentDirectoryAsOutputIsRefusedByName() throws Exception {
    Path dir = Files.createTempDirectory("dendrite-dot");
    JobTestSupport.Result r = JobTestSupport.run("train", config(dir).toString(), "--output", ".");
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("output directory file:" + Path.of("").toAbsolutePath() + " exists"), r.err());
  }

  @Test
  void aFullDiskWhileWritingOutputsEndsWithANamedError(@TempDir Path dir) throws Exception {
    System.setProperty("spark.hadoop.fs.fulldisk.impl", org.apache.hadoop.fs.FullDiskFileSystem.class.getName());
    System.setProperty("spark.hadoop.fs.fulldisk.impl.disable.cache", "true");
    try {
      JobTestSupport.Result r = JobTestSupport.run("train", config(dir).toString(), "--set", "training.epochs=1",
          "--output", "fulldisk://" + dir.resolve("out"));
      assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
      assertTrue(r.err().contains("cannot write fulldisk:" + dir + "/.out.tmp-")
          && r.err().contains("No space left on device"), r.err());
      assertFalse(r.err().contains("FSError") || r.err().contains("\tat "), "no stack trace: " + r.err());
      try (Stream<Path> files = Files.list(dir)) {
        assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".out.")), "nothing left behind");
      }
      assertFalse(Files.exists(dir.resolve("out")));
    } finally {
      System.clearProperty("spark.hadoop.fs.fulldisk.impl");
      System.clearProperty("spark.hadoop.fs.fulldisk.impl.disable.cache");
    }
  }

  @Test
  void secretSparkSettingsAreRedactedInEveryOutputAndOnTheConsole(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    Files.writeString(config, Files.readString(config) + """
        spark:
          spark.ssl.keyPassword: pw-secret-123
          spark.hadoop.fs.s3a.secret.key: s3-secret-456
          spark.myapp.credential: cred-789
          spark.redaction.regex: "(?i)secret|password|credential"
        """);
    JobTestSupport.Result r = JobTestSupport.ok("train", config.toString(), "--set", "training.epochs=1");
    Path out = dir.resolve("out");
    StringBuilder written = new StringBuilder(r.out()).append(r.err());
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        written.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    for (String secret : new String[] {"pw-secret-123", "s3-secret-456", "cred-789"}) {
      assertFalse(written.toString().contains(secret), secret + " is written or printed somewhere");
    }
    String yaml = Files.readString(out.resolve("config.yaml"));
    assertTrue(yaml.contains("spark.ssl.keyPassword: \"" + Redaction.REPLACEMENT + "\""), yaml);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<tr><th>spark.myapp.credential</th><td>" + Redaction.REPLACEMENT + "</td></tr>"),
        "the user's spark.redaction.regex is honoured in the Spark table");
  }

  @Test
  void refusesAnExistingOutputDirectory(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    JobTestSupport.Result r = JobTestSupport.run("train", config(dir).toString());
    assertEquals(Dendrite.BAD_INPUT, r.code());
    assertTrue(r.err().contains("exists") && r.err().contains("--overwrite"), r.err());
  }

  @Test
  void unknownKeysAndBadValuesFailBeforeSparkStarts(@TempDir Path dir) throws Exception {
    String config = config(dir).toString();
    JobTestSupport.Result unknown = JobTestSupport.run("train", config, "--set", "training.epoch=3");
    assertEquals(Dendrite.BAD_INPUT, unknown.code());
    assertTrue(unknown.err().contains("training.epoch") && unknown.err().contains("unknown key"), unknown.err());
    JobTestSupport.Result bad = JobTestSupport.run("train", config, "--set", "training.batch_size=0");
    assertEquals(Dendrite.BAD_INPUT, bad.code());
    assertTrue(bad.err().contains("training.batch_size"), bad.err());
    JobTestSupport.Result missing = JobTestSupport.run("train", config, "--set", "data.train=/nonexistent/x.libsvm");
    assertEquals(Dendrite.BAD_INPUT, missing.code());
    assertTrue(missing.err().contains("/nonexistent/x.libsvm does not exist"), missing.err());
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  @Test
  void helpListsTheOptions() {
    JobTestSupport.Result r = JobTestSupport.run("train", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("--set") && r.out().contains("--overwrite") && r.out().contains("--output"), r.out());
  }
}
