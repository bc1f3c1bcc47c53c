package dev.dendrite.jobs.report;

import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.RegressionMetrics;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.jobs.Redaction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;

/**
 * What the training report shows: the epochs of a run and how it ended, the test metrics (classification
 * or regression, either may be absent), the run summary, the Spark settings and the resolved configuration.
 * Build it with {@link #of(String, History)} and the {@code with...} methods; {@link HtmlReport} renders it.
 *
 * @param classNames one name per class, or empty for {@code 0..k-1}
 * @param summary    run facts shown in the header (seconds, epochs, stop_reason, spark_master, ...); values
 *                   are numbers, strings, booleans, null, or maps and lists of them
 * @param spark      Spark settings by key, shown sorted and as given: pass them redacted
 *                   ({@link #sparkSettings} does)
 * @param config     the resolved configuration as YAML text (redacted, see {@link Redaction#config}), or empty
 * @param images     grids of images to show (an autoencoder's test images and reconstructions, a VAE's
 *                   samples), in order; empty for none
 */
public record Report(String title, List<EpochRecord> epochs, String stopReason, int bestEpoch, long steps,
                     ClassificationMetrics classification, List<String> classNames, RegressionMetrics regression,
                     Map<String, Object> summary, Map<String, String> spark, String config, List<ImageGrid> images) {

  /** A report without images. */
  public Report(String title, List<EpochRecord> epochs, String stopReason, int bestEpoch, long steps,
                ClassificationMetrics classification, List<String> classNames, RegressionMetrics regression,
                Map<String, Object> summary, Map<String, String> spark, String config) {
    this(title, epochs, stopReason, bestEpoch, steps, classification, classNames, regression, summary, spark, config,
        List.of());
  }

  public Report {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a report needs a title, got " + (title == null ? "null" : "a blank one"));
    }
    epochs = List.copyOf(epochs);
    stopReason = stopReason == null ? "completed" : stopReason;
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    if (classification != null && !classNames.isEmpty() && classNames.size() != classification.numClasses()) {
      throw new IllegalArgumentException("got " + classNames.size() + " class names " + classNames + " for "
          + classification.numClasses() + " classes");
    }
    summary = summary == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    spark = spark == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(spark));
    config = config == null ? "" : config;
    images = images == null ? List.of() : List.copyOf(images);
  }

  /** A report of a run: its epochs, stop reason, best epoch and steps; no test metrics yet. */
  public static Report of(String title, History history) {
    return new Report(title, history.epochs(), history.stopReason(), history.bestEpoch(), history.steps(), null,
        null, null, null, null, null);
  }

  /** A report of a run that completed these epochs. */
  public static Report of(String title, List<EpochRecord> epochs) {
    return new Report(title, epochs, "completed", -1, 0, null, null, null, null, null, null);
  }

  /** With the test set's classification metrics and class names (null or empty for {@code 0..k-1}). */
  public Report withClassification(ClassificationMetrics metrics, List<String> names) {
    return new Report(title, epochs, stopReason, bestEpoch, steps, metrics, names, regression, summary, spark, config,
        images);
  }

  /** With the test set's regression metrics. */
  public Report withRegression(RegressionMetrics metrics) {
    return new Report(title, epochs, stopReason, bestEpoch, steps, classification, classNames, metrics, summary,
        spark, config, images);
  }

  /** With the run summary (e.g. the provenance map the model file carries). */
  public Report withSummary(Map<String, ?> facts) {
    return new Report(title, epochs, stopReason, bestEpoch, steps, classification, classNames, regression,
        facts == null ? null : new LinkedHashMap<>(facts), spark, config, images);
  }

  /** With the Spark settings. */
  public Report withSpark(Map<String, String> settings) {
    return new Report(title, epochs, stopReason, bestEpoch, steps, classification, classNames, regression, summary,
        settings, config, images);
  }

  /** With the resolved configuration as YAML. */
  public Report withConfig(String yaml) {
    return new Report(title, epochs, stopReason, bestEpoch, steps, classification, classNames, regression, summary,
        spark, yaml, images);
  }

  /** With these image grids added after any already there. */
  public Report withImages(List<ImageGrid> grids) {
    List<ImageGrid> all = new java.util.ArrayList<>(images);
    all.addAll(grids);
    return new Report(title, epochs, stopReason, bestEpoch, steps, classification, classNames, regression, summary,
        spark, config, all);
  }

  /**
   * Every setting of a Spark configuration (e.g. {@code spark.sparkContext().getConf()}), by key, with the
   * values that its {@code spark.redaction.regex} hides replaced (see {@link Redaction}).
   */
  public static Map<String, String> sparkSettings(SparkConf conf) {
    return Redaction.settings(conf);
  }
}
