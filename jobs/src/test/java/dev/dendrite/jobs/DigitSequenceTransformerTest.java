package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/digit-sequence-transformer.yaml trains from bin/dendrite's entry point on Spark in local[2], its data
 * generated from the seeds in the config, and evaluate regenerates the test set from the same spec; predict,
 * which reads files, refuses generated data with a message.
 */
class DigitSequenceTransformerTest {

  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
  private static final Path CONFIG = ROOT.resolve("conf/digit-sequence-transformer.yaml");

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  private static Map<String, Object> json(Path file) throws Exception {
    return Json.parseObject(Files.readString(file), file.toString());
  }

  @Test
  void transformerLearnsToSortDigitsOnSparkAndEvaluateRegeneratesTheTestSetButPredictNeedsFiles(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    // the shipped config trains 6 epochs on 20 000 sequences; 3 epochs on 10 000 keep the test short
    JobTestSupport.ok("train", CONFIG.toString(), "--output", out.toString(), "--set", "training.epochs=3",
        "--set", "data.train=sort_digits(length=8, digits=10, examples=10000, seed=1)");
    Map<?, ?> test = (Map<?, ?>) json(out.resolve("metrics.json")).get("test_metrics");
    double accuracy = ((Number) test.get("test_accuracy")).doubleValue();
    // per position, over 2 000 held-out sequences; guessing gives 0.1
    assertTrue(accuracy >= 0.97, "held-out per-position accuracy " + accuracy + " (" + test + ")");

    JobTestSupport.ok("evaluate", CONFIG.toString(), "--model", out.resolve("model.dndr").toString());
    Map<?, ?> metrics = (Map<?, ?>) json(out.resolve("evaluation.json")).get("metrics");
    assertEquals(accuracy, ((Number) metrics.get("accuracy")).doubleValue(), 0.0);

    // predict reads files; generated data has none, and says so
    JobTestSupport.Result r = JobTestSupport.run("predict", CONFIG.toString(), "--model",
        out.resolve("model.dndr").toString(), "--output", dir.resolve("predictions").toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("data.format generated has none"), r.err());
  }

  @Test
  void aBadGeneratedSpecFailsNamingTheKey(@TempDir Path dir) {
    JobTestSupport.Result r = JobTestSupport.run("train", CONFIG.toString(), "--output", dir.resolve("o").toString(),
        "--set", "data.train=sort_digits(length=8, examples=100)");
    assertEquals(Dendrite.BAD_INPUT, r.code());
    assertTrue(r.err().contains("data.train") && r.err().contains("seed is required"), r.err());
  }
}
