package dev.dendrite.jobs;

import static dev.dendrite.jobs.JobTestSupport.ok;
import static dev.dendrite.jobs.JobTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dendrite evaluate} on models trained by {@code dendrite train}, in local[2], and its refusals. */
class EvaluateCommandTest extends TrainedModelsTest {

  private static Map<String, Object> json(Path file) throws Exception {
    return Json.parseObject(Files.readString(file), file.toString());
  }

  private static double number(Map<?, ?> map, String key) {
    return ((Number) map.get(key)).doubleValue();
  }

  @Test
  void classificationMetricsEqualWhatTrainReported() throws Exception {
    Path model = dir.resolve("binary/model.dndr");
    JobTestSupport.Result r = ok("evaluate", config.toString(), "--model", model.toString(),
        "--set", "data.class_names=[negative, positive]");
    Path saved = dir.resolve("binary/evaluation.json");
    assertTrue(Files.exists(saved), "evaluation.json beside the model");
    Map<String, Object> evaluation = json(saved);
    Map<?, ?> trained = (Map<?, ?>) json(dir.resolve("binary/metrics.json")).get("test_metrics");
    Map<?, ?> metrics = (Map<?, ?>) evaluation.get("metrics");
    assertEquals(number(trained, "test_accuracy"), number(metrics, "accuracy"), 0.0);
    assertEquals(number(trained, "test_log_loss"), number(metrics, "log_loss"), 1e-9);
    assertEquals(300L, evaluation.get("examples"));
    assertEquals(List.of("negative", "positive"), evaluation.get("class_names"));
    List<?> matrix = (List<?>) evaluation.get("confusion_matrix");
    long total = 0;
    long diagonal = 0;
    for (int t = 0; t < 2; t++) {
      for (int p = 0; p < 2; p++) {
        long c = ((Number) ((List<?>) matrix.get(t)).get(p)).longValue();
        total += c;
        diagonal += t == p ? c : 0;
      }
    }
    assertEquals(300, total);
    assertEquals(number(metrics, "accuracy"), diagonal / 300.0, 1e-12);
    assertTrue(r.out().contains("true \\ predicted"), r.out());
    assertTrue(r.out().contains("positive"), r.out());
    assertTrue(r.out().contains("accuracy"), r.out());
    try (Stream<Path> files = Files.list(dir.resolve("binary"))) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary file left");
    }
  }

  @Test
  void otherDataAndOutputFile(@TempDir Path tmp) throws Exception {
    // the first 100 examples only, through --data, metrics to --output
    List<String> lines = Files.readAllLines(data).stream().filter(l -> !l.startsWith("#")).limit(100)
        .collect(Collectors.toList());
    Path part = tmp.resolve("part.libsvm");
    Files.write(part, lines);
    Path out = tmp.resolve("reports/eval.json");
    ok("evaluate", config.toString(), "--model", dir.resolve("binary").toString(), "--data", part.toString(),
        "--output", out.toString());
    Map<String, Object> evaluation = json(out);
    assertEquals(100L, evaluation.get("examples"));
    assertTrue(((String) evaluation.get("data")).contains("part.libsvm"), evaluation.toString());
  }

  @Test
  void replacesOnlyAMetricsFileDendriteWrote(@TempDir Path tmp) throws Exception {
    Path thesis = Files.writeString(tmp.resolve("thesis.docx"), "years of work");
    String model = dir.resolve("binary/model.dndr").toString();
    JobTestSupport.Result r = run("evaluate", config.toString(), "--model", model, "--output", thesis.toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("output file file:" + thesis + " was not written by Dendrite"), r.err());
    assertEquals("years of work", Files.readString(thesis));
    Path out = tmp.resolve("eval.json");
    ok("evaluate", config.toString(), "--model", model, "--output", out.toString());
    ok("evaluate", config.toString(), "--model", model, "--output", out.toString());
    assertEquals("dendrite evaluate", ((Map<?, ?>) json(out).get(StagedOutput.MARKER_FIELD)).get("command"));
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of("eval.json", "thesis.docx"), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).sorted().toList(), "no claim or temporary file left");
    }
  }

  @Test
  void regressionMetricsEqualWhatTrainReported() throws Exception {
    Path out = dir.resolve("regression-eval.json");
    ok("evaluate", regressionConfig.toString(), "--model", dir.resolve("regression/model.dndr").toString(),
        "--output", out.toString());
    Map<?, ?> metrics = (Map<?, ?>) json(out).get("metrics");
    Map<?, ?> trained = (Map<?, ?>) json(dir.resolve("regression/metrics.json")).get("test_metrics");
    assertEquals(number(trained, "test_rmse"), number(metrics, "rmse"), 1e-9);
    assertEquals(number(trained, "test_r2"), number(metrics, "r2"), 1e-9);
    assertEquals(400L, json(out).get("examples"));
  }

  @Test
  void refusesDataOfAnotherWidth(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("eval.json");
    JobTestSupport.Result r = run("evaluate", config.toString(), "--model", dir.resolve("binary/model.dndr").toString(),
        "--set", "data.format=csv", "--set", "data.label=y",
        "--data", JobTestSupport.resource("regression.csv").toString(), "--output", out.toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("model expects 6 features"), r.err());
    assertTrue(r.err().contains("regression.csv has 3"), r.err());
    assertFalse(Files.exists(out), "no metrics written");
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(0, files.count(), "nothing left behind");
    }
  }

  @Test
  void refusesMissingAndCorruptedModels(@TempDir Path tmp) throws Exception {
    JobTestSupport.Result missing = run("evaluate", config.toString(), "--model", tmp.resolve("none.dndr").toString());
    assertEquals(Dendrite.BAD_INPUT, missing.code(), missing.err());
    assertTrue(missing.err().contains("none.dndr does not exist"), missing.err());
    Path corrupted = tmp.resolve("corrupted.dndr");
    Files.writeString(corrupted, "this is not a model file at all, just some text of some length");
    JobTestSupport.Result bad = run("evaluate", config.toString(), "--model", corrupted.toString());
    assertEquals(Dendrite.BAD_INPUT, bad.code(), bad.err());
    assertTrue(bad.err().contains("corrupted.dndr"), bad.err());
    assertTrue(bad.err().contains("not a Dendrite model file"), bad.err());
    assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
    // a model file cut short
    byte[] good = Files.readAllBytes(dir.resolve("binary/model.dndr"));
    Path truncated = tmp.resolve("truncated.dndr");
    Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
    JobTestSupport.Result cut = run("evaluate", config.toString(), "--model", truncated.toString());
    assertEquals(Dendrite.BAD_INPUT, cut.code(), cut.err());
    assertTrue(cut.err().contains("truncated"), cut.err());
  }

  @Test
  void refusesLabelsThatAreNotClasses() throws Exception {
    // the original file has -1/+1 labels: the model's classes are 0/1
    JobTestSupport.Result r = run("evaluate", config.toString(), "--model", dir.resolve("binary/model.dndr").toString(),
        "--data", JobTestSupport.resource("binary.libsvm").toString(), "--output", dir.resolve("x.json").toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("binary.libsvm"), r.err());
    assertTrue(r.err().contains("line 2"), r.err());
    assertTrue(r.err().contains("'-1'"), r.err());
    assertTrue(r.err().contains("not a class index"), r.err());
  }

  @Test
  void linearSvmScoresAreEvaluatedWithThresholdZero(@TempDir Path tmp) throws Exception {
    // hinge loss on the original -1/+1 labels: one score output, class 1 from score 0
    Path svm = tmp.resolve("svm.yaml");
    Files.writeString(svm, Files.readString(config)
        .replace("- {type: dense, units: 8, activation: tanh}\n", "")
        .replace("units: 2, activation: softmax", "units: 1, activation: identity, l2: 0.001")
        .replace("loss: sparse_categorical_crossentropy", "loss: hinge")
        .replace(data.toString(), JobTestSupport.resource("binary.libsvm").toString())
        .replace(dir.resolve("binary").toString(), tmp.resolve("svm").toString()));
    ok("train", svm.toString());
    Path out = tmp.resolve("svm-eval.json");
    ok("evaluate", svm.toString(), "--model", tmp.resolve("svm").toString(), "--output", out.toString());
    Map<?, ?> metrics = (Map<?, ?>) json(out).get("metrics");
    Map<?, ?> trained = (Map<?, ?>) json(tmp.resolve("svm/metrics.json")).get("test_metrics");
    assertEquals(number(trained, "test_accuracy"), number(metrics, "accuracy"), 0.0);
    assertTrue(number(metrics, "accuracy") > 0.8, metrics.toString());
    assertEquals("binary_score", json(out).get("task"));
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    JobTestSupport.Result r = run("evaluate", "--help");
    assertEquals(0, r.code());
    for (String option : new String[] {"--model", "--data", "--labels", "--set", "--output", "CONFIG"}) {
      assertTrue(r.out().contains(option), option + " in " + r.out());
    }
    assertTrue(r.out().contains("evaluation.json"), r.out());
  }
}
