package dev.dendrite.jobs.report;

import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.RegressionMetrics;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.jobs.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports like the train job's, with made-up but plausible numbers, for the report tests. */
final class ReportSamples {

  static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
      "Shirt", "Sneaker", "Bag", "Ankle boot");

  private ReportSamples() {
  }

  /** Epochs whose loss falls and accuracy rises like a real run's; val metrics unless {@code trainOnly}. */
  static List<EpochRecord> classificationEpochs(int n) {
    List<EpochRecord> epochs = new ArrayList<>();
    for (int e = 1; e <= n; e++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("loss", 0.35 + 0.9 * Math.exp(-e / 2.5));
      m.put("accuracy", 0.88 - 0.5 * Math.exp(-e / 2.0));
      m.put("val_loss", 0.40 + 0.8 * Math.exp(-e / 2.5) + 0.004 * e);
      m.put("val_accuracy", 0.86 - 0.45 * Math.exp(-e / 2.0));
      epochs.add(new EpochRecord(e, m, 3.2 + 0.1 * (e % 3), 18_000 + 150 * e, e <= 8 ? 0.001f : 0.0005f));
    }
    return epochs;
  }

  /** Test metrics over {@code k} classes: about 80% right, the errors spread at random. */
  static ClassificationMetrics classification(int k, int examples, long seed) {
    Rng rng = new Rng(seed);
    ClassificationMetrics m = new ClassificationMetrics(k);
    float[] row = new float[k];
    for (int i = 0; i < examples; i++) {
      int t = rng.nextInt(k);
      int p = rng.nextDouble() < 0.8 ? t : rng.nextInt(k);
      java.util.Arrays.fill(row, 0.1f / k);
      row[p] = 0.9f;
      m.add(row, 0, k, t);
    }
    return m;
  }

  static Map<String, Object> summary(double seconds, int epochs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", 42);
    m.put("data", "Fashion-MNIST idx: 60000 training images 28x28");
    m.put("training_examples", 54000);
    m.put("epochs", epochs);
    m.put("stop_reason", "early_stopping");
    m.put("seconds", seconds);
    m.put("spark_master", "local[2]");
    m.put("final_metrics", Map.of("loss", 0.36));
    m.put("test_metrics", new LinkedHashMap<>(Map.of("test_accuracy", 0.8512)));
    return m;
  }

  static Map<String, String> spark() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.master", "local[2]");
    m.put("spark.app.name", "dendrite train");
    m.put("spark.executor.memory", "2g");
    m.put("spark.authenticate.secret", "hunter2-do-not-show");
    m.put("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    m.put("spark.driver.extraJavaOptions", "--add-opens=java.base/java.lang=ALL-UNNAMED "
        + "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    return Redaction.DEFAULT.settings(m); // as Report.sparkSettings captures them
  }

  static final String CONFIG = """
      data:
        format: idx
        train: data/fashion-mnist/train-images-idx3-ubyte.gz
        class_names: [T-shirt/top, Trouser, Pullover]
      network:
        input_shape: [784]
        layers:
          - {type: dense, units: 128, activation: relu}
          - {type: dense, units: 10, activation: softmax}
      training:
        loss: sparse_categorical_crossentropy
        epochs: 12
      """;

  /** A Fashion-MNIST-like classification report. */
  static Report fashion() {
    List<EpochRecord> epochs = classificationEpochs(12);
    return new Report("Fashion-MNIST MLP", epochs, "early_stopping", 9, 5064, null, null, null, null, null, null)
        .withClassification(classification(10, 10_000, 3), FASHION)
        .withSummary(summary(41.7, 12))
        .withSpark(spark())
        .withConfig(CONFIG);
  }

  /** A regression report: mse/mae with validation twins and one val-only metric. */
  static Report regression() {
    List<EpochRecord> epochs = new ArrayList<>();
    for (int e = 1; e <= 20; e++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("loss", 1.0 / e);
      m.put("mae", 0.8 / Math.sqrt(e));
      m.put("val_loss", 1.1 / e);
      m.put("val_mae", 0.85 / Math.sqrt(e));
      m.put("val_r2", 1 - 1.0 / e);
      epochs.add(new EpochRecord(e, m, 0.5, 4000, 0.01f));
    }
    RegressionMetrics r = new RegressionMetrics(2);
    for (int i = 0; i < 100; i++) {
      r.add(new float[] {i * 0.01f, 1 - i * 0.01f}, 0, new float[] {i * 0.011f, 1 - i * 0.009f}, 0);
    }
    return Report.of("Diabetes regression", epochs).withRegression(r).withSummary(Map.of("seconds", 10.5))
        .withSpark(Map.of("spark.master", "local[*]"));
  }

  /**
   * A variational autoencoder's report: regression-like epochs, the ELBO in the test metrics, and two image
   * grids of 28×28 pictures (16 pairs of a disc and its blurred copy; 32 rings of growing radius).
   */
  static Report vae() {
    int side = 28;
    float[] pairs = new float[32 * side * side];
    for (int i = 0; i < 32; i++) {
      for (int r = 0; r < side; r++) {
        for (int c = 0; c < side; c++) {
          double d = Math.hypot(r - 13.5, c - 13.5);
          pairs[(i * side + r) * side + c] = (float) (i % 2 == 0 ? (d < 4 + i / 4 ? 1 : 0)
              : Math.max(0, 1 - Math.abs(d - 4 - i / 4) / 3));
        }
      }
    }
    float[] rings = new float[32 * side * side];
    for (int i = 0; i < 32; i++) {
      for (int r = 0; r < side; r++) {
        for (int c = 0; c < side; c++) {
          double d = Math.hypot(r - 13.5, c - 13.5);
          rings[(i * side + r) * side + c] = (float) Math.max(0, 1 - Math.abs(d - 3 - i / 3.0));
        }
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>(summary(61.0, 10));
    summary.put("test_metrics", new LinkedHashMap<>(Map.of("test_reconstruction", 24.6, "test_kl", 11.2,
        "test_elbo", -35.8)));
    return regression().withSummary(summary).withImages(List.of(
        ImageGrid.of("reconstructions", "Test images and reconstructions", "each pair: test image, reconstruction",
            pairs, 32, side, side, 8),
        ImageGrid.of("prior-samples", "Decoded from z ~ N(0, I)", "32 codes from the prior", rings, 32, side, side,
            8)));
  }
}
