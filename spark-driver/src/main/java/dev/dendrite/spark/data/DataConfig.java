package dev.dendrite.spark.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.data.DigitSequences;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the examples come from. {@code format}: {@code idx} (MNIST-format image and label files, read on
 * the driver and parallelized once), {@code libsvm}, {@code csv} or {@code parquet} (read by Spark from any
 * Hadoop path). {@code train} and {@code test} are paths (for IDX the image files, with
 * {@code train_labels} / {@code test_labels}); {@code label} names the label column (CSV, Parquet),
 * {@code features} the vector column (Parquet); {@code dimension} is LibSVM's feature count;
 * {@code preprocessing} is {@code none}, {@code pixel}, {@code standard} or {@code minmax}, fitted on the
 * training split only and saved with the model. {@code targets} is {@code labels} (the default) or
 * {@code inputs}: the network learns to reproduce its (preprocessed) input, as an autoencoder does,
 * and labels are ignored. {@code generated}: {@code train} and {@code test} are not paths but specs of a
 * digit-sequence task made from a seed on the driver ({@link DigitSequences}), e.g.
 * {@code sort_digits(length=8, examples=20000, seed=1)}.
 */
public record DataConfig(String format, String train, String trainLabels, String test, String testLabels,
                         String label, String features, int dimension, String delimiter, boolean header,
                         String preprocessing, List<String> classNames, String targets) {

  public static final List<String> FORMATS = List.of("idx", "libsvm", "csv", "parquet", "generated");
  public static final List<String> PREPROCESSING = List.of("none", "pixel", "standard", "minmax");
  public static final List<String> TARGETS = List.of("labels", "inputs");

  public DataConfig {
    if (format.equals("idx") && !"inputs".equals(targets) && (trainLabels == null || (test != null && testLabels == null))) {
      throw new ConfigException("data.train_labels", "IDX data needs label files: train_labels (and test_labels "
          + "when test is given)");
    }
    if (format.equals("csv") && label == null && !"inputs".equals(targets)) {
      throw new ConfigException("data.label", "CSV data needs the name of its label column");
    }
    if (format.equals("generated")) {
      checkGenerated("data.train", train);
      checkGenerated("data.test", test);
      if (!"none".equals(preprocessing)) {
        throw new ConfigException("data.preprocessing", "generated digit sequences are ids for an embedding and take "
            + "no preprocessing; use none, got '" + preprocessing + "'");
      }
    }
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  private static void checkGenerated(String key, String spec) {
    if (spec == null) {
      return;
    }
    try {
      DigitSequences.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  /** Whether the network reproduces its input (an autoencoder) instead of predicting labels. */
  public boolean reconstructsInputs() {
    return "inputs".equals(targets);
  }

  public static DataConfig read(ConfigMap m) {
    String format = m.choice("format", null, FORMATS);
    if (format == null) {
      throw new ConfigException(m.key("format"), "is required; one of " + FORMATS);
    }
    List<String> names = null;
    if (m.has("class_names")) {
      Object v = m.value("class_names");
      if (!(v instanceof List)) {
        throw new ConfigException(m.key("class_names"), "expected a list of names");
      }
      names = ((List<?>) v).stream().map(String::valueOf).toList();
    }
    DataConfig c = new DataConfig(format, m.string("train"), m.string("train_labels", null),
        m.string("test", null), m.string("test_labels", null), m.string("label", "label"),
        m.string("features", "features"), m.integer("dimension", 0, 0, Integer.MAX_VALUE),
        m.string("delimiter", ","), m.bool("header", true),
        m.choice("preprocessing", "none", PREPROCESSING), names, m.choice("targets", "labels", TARGETS));
    m.finish();
    return c;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("train", train);
    if (trainLabels != null) {
      m.put("train_labels", trainLabels);
    }
    if (test != null) {
      m.put("test", test);
    }
    if (testLabels != null) {
      m.put("test_labels", testLabels);
    }
    m.put("label", label);
    m.put("features", features);
    m.put("dimension", dimension);
    m.put("delimiter", delimiter);
    m.put("header", header);
    m.put("preprocessing", preprocessing);
    if (!classNames.isEmpty()) {
      m.put("class_names", classNames);
    }
    m.put("targets", targets);
    return m;
  }
}
