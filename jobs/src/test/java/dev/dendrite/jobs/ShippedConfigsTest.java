package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every configuration in conf/ is valid, and the two small tabular examples train from their shipped files. */
class ShippedConfigsTest {

  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  @Test
  void everyShippedConfigValidates() throws Exception {
    List<Path> configs;
    try (Stream<Path> files = Files.list(ROOT.resolve("conf"))) {
      configs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(configs.size() >= 4, "configs in conf/: " + configs);
    for (Path c : configs) {
      JobConfig job = JobConfig.load(c, List.of());
      assertTrue(job.outputDir().startsWith("out/"), c + " writes under out/");
    }
  }

  @Test
  void breastCancerLibSvmTrainsAsABinaryClassifier(@TempDir Path dir) throws Exception {
    Map<String, Object> test = train("breast-cancer-libsvm.yaml", dir, "training.epochs=20");
    double accuracy = ((Number) test.get("test_accuracy")).doubleValue();
    double auc = ((Number) test.get("test_roc_auc")).doubleValue();
    // 114 held-out rows; predicting the majority class (benign) would score 0.63
    assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
    assertTrue(auc > 0.95, "test ROC-AUC " + auc);
    assertTrue(Files.readString(dir.resolve("out/confusion_matrix.txt")).contains("malignant"));
  }

  @Test
  void diabetesCsvTrainsAsARegression(@TempDir Path dir) throws Exception {
    Map<String, Object> test = train("diabetes-csv.yaml", dir, "training.epochs=60");
    double r2 = ((Number) test.get("test_r2")).doubleValue();
    // the held-out target's own variance gives R² = 0; a linear fit of these 10 features reaches about 0.45
    assertTrue(r2 > 0.3, "test R² " + r2);
  }

  @Test
  void autoencoderReconstructsFashionMnist(@TempDir Path dir) throws Exception {
    Path fm = ROOT.resolve("data/fashion-mnist");
    assertTrue(Files.exists(fm.resolve("t10k-images-idx3-ubyte.gz")), "Fashion-MNIST in " + fm + ": run bin/fetch-data");
    Path out = dir.resolve("out");
    JobTestSupport.ok("train", ROOT.resolve("conf/fashion-mnist-autoencoder.yaml").toString(),
        "--output", out.toString(), "--set", "training.epochs=2",
        "--set", "data.train=" + fm.resolve("train-images-idx3-ubyte.gz"),
        "--set", "data.test=" + fm.resolve("t10k-images-idx3-ubyte.gz"));
    Map<?, ?> test = (Map<?, ?>) Json.parseObject(Files.readString(out.resolve("metrics.json")), "metrics.json")
        .get("test_metrics");
    // R² against predicting every pixel's own mean; ten epochs reach 0.83 (README)
    double r2 = ((Number) test.get("test_r2")).doubleValue();
    assertTrue(r2 > 0.6, "reconstruction R² " + r2 + ", MSE " + test.get("test_mse"));
  }

  @Test
  void inputsAsTargetsNeedAsManyOutputsAsInputs(@TempDir Path dir) throws Exception {
    JobTestSupport.Result r = JobTestSupport.run("train", ROOT.resolve("conf/diabetes-csv.yaml").toString(),
        "--output", dir.resolve("out").toString(), "--set", "data.targets=inputs",
        "--set", "data.train=" + ROOT.resolve("examples/data/diabetes-train.csv"));
    assertEquals(Dendrite.BAD_INPUT, r.code());
    String message = r.err();
    assertTrue(message.contains("data.targets"), message);
    assertTrue(message.contains("takes 10 features"), message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> train(String config, Path dir, String epochs) throws Exception {
    Path out = dir.resolve("out");
    String data = ROOT.resolve("examples/data").toString();
    String stem = config.startsWith("breast") ? "breast-cancer" : "diabetes";
    String ext = config.startsWith("breast") ? ".libsvm" : ".csv";
    JobTestSupport.ok("train", ROOT.resolve("conf").resolve(config).toString(), "--output", out.toString(),
        "--set", epochs, "--set", "data.train=" + data + "/" + stem + "-train" + ext,
        "--set", "data.test=" + data + "/" + stem + "-test" + ext);
    Map<String, Object> metrics = Json.parseObject(Files.readString(out.resolve("metrics.json")), "metrics.json");
    assertTrue(Files.size(out.resolve("report.html")) > 1000, "report written");
    return (Map<String, Object>) metrics.get("test_metrics");
  }
}
