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
      if (c.getFileName().toString().endsWith("-space.yaml")) { // a search space for dendrite tune
        dev.dendrite.jobs.tune.SearchSpace.read(c, ConfigFiles.load(c));
        continue;
      }
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
    String report = Files.readString(out.resolve("report.html"));
    assertTrue(report.contains("id=\"reconstructions\"") && report.contains("data:image/png;base64,"),
        "report.html shows test images beside their reconstructions");
    assertTrue(!report.contains("id=\"prior-samples\"") && !test.containsKey("test_elbo"),
        "a plain autoencoder has no prior to sample and no ELBO");
  }

  @Test
  @SuppressWarnings("unchecked")
  void variationalAutoencoderTrainsOnSparkReportsItsElboAndSamplesImages(@TempDir Path dir) throws Exception {
    Path fm = ROOT.resolve("data/fashion-mnist");
    assertTrue(Files.exists(fm.resolve("t10k-images-idx3-ubyte.gz")), "Fashion-MNIST in " + fm + ": run bin/fetch-data");
    Path out = dir.resolve("out");
    // local[2] (JobTestSupport.localMaster); mode auto picks the collective path on 2 partitions
    JobTestSupport.ok("train", ROOT.resolve("conf/fashion-mnist-vae.yaml").toString(),
        "--output", out.toString(), "--set", "training.epochs=2",
        "--set", "data.train=" + fm.resolve("train-images-idx3-ubyte.gz"),
        "--set", "data.test=" + fm.resolve("t10k-images-idx3-ubyte.gz"));
    Map<String, Object> metrics = Json.parseObject(Files.readString(out.resolve("metrics.json")), "metrics.json");
    Map<String, Object> test = (Map<String, Object>) metrics.get("test_metrics");
    double reconstruction = ((Number) test.get("test_reconstruction")).doubleValue();
    double kl = ((Number) test.get("test_kl")).doubleValue();
    double elbo = ((Number) test.get("test_elbo")).doubleValue();
    assertEquals(-(reconstruction + kl), elbo, 1e-9 * Math.abs(elbo), "ELBO = -(reconstruction + KL): " + test);
    // ‖x − d(μ)‖² per image is the test MSE summed over the 784 pixels; R² against every pixel's mean
    double mse = ((Number) test.get("test_mse")).doubleValue();
    assertEquals(784 * mse, reconstruction, 1e-3 * reconstruction, "reconstruction vs test_mse " + mse);
    // predicting every pixel's test-set mean costs 67.9 per image (Σ_j Var x_j over t10k); two epochs
    // measured 17.9 (test_r2 averages per-pixel R², which the near-constant border pixels dominate)
    assertTrue(reconstruction < 0.5 * 67.9, "reconstruction " + reconstruction + " per image, the pixel means "
        + "give 67.9");
    assertTrue(kl > 1 && kl < 100, "KL " + kl + " nats per image: the posterior moved off the prior");
    double loss = ((Number) ((Map<String, Object>) metrics.get("final_metrics")).get("loss")).doubleValue();
    assertTrue(loss > kl, "the training loss (reconstruction + KL) " + loss + " includes the KL " + kl);
    String report = Files.readString(out.resolve("report.html"));
    for (String part : List.of("Test ELBO", "test_kl", "id=\"reconstructions\"", "id=\"prior-samples\"",
        "data:image/png;base64,")) {
      assertTrue(report.contains(part), "report.html shows " + part);
    }

    Path samples = dir.resolve("samples");
    JobTestSupport.ok("sample", "--model", out.toString(), "--count", "5", "--output", samples.toString());
    for (int i = 0; i < 5; i++) {
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(samples.resolve("sample-000" + i + ".png")
          .toFile());
      assertEquals(28, image.getWidth(), "sample " + i);
      assertEquals(28, image.getHeight(), "sample " + i);
    }
    assertTrue(Files.readString(samples.resolve("samples.json")).contains("\"count\" : 5")
        || Files.readString(samples.resolve("samples.json")).contains("\"count\": 5"),
        Files.readString(samples.resolve("samples.json")));
    JobTestSupport.Result again = JobTestSupport.run("sample", "--model", out.toString(), "--count", "2",
        "--output", samples.toString());
    assertEquals(Dendrite.BAD_INPUT, again.code(), "an existing output is not replaced without --overwrite");
  }

  @Test
  void sampleRefusesAModelWithoutASamplingLayer(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("mlp.dndr");
    dev.dendrite.core.io.ModelFile.write(dev.dendrite.core.io.SavedModel.of(
        dev.dendrite.core.network.Network.builder(1, 28, 28).dense(16, "relu").dense(784, "sigmoid").seed(1)
            .build()).withLoss("mse"), model);
    JobTestSupport.Result r = JobTestSupport.run("sample", "--model", model.toString(), "--count", "3",
        "--output", dir.resolve("samples").toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("has no sampling layer") && r.err().contains(model.toString()), r.err());
    assertTrue(!Files.exists(dir.resolve("samples")), "nothing written");
    JobTestSupport.Result count = JobTestSupport.run("sample", "--model", model.toString(), "--count", "0",
        "--output", dir.resolve("samples").toString());
    assertEquals(Dendrite.BAD_INPUT, count.code());
    assertTrue(count.err().contains("--count 0"), count.err());
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
