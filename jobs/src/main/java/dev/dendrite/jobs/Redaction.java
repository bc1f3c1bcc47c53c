package dev.dendrite.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * Hides secrets (passwords, keys, tokens) in everything Dendrite writes or logs about a run's Spark
 * settings and configuration: the report, the saved {@code config.yaml}, the provenance in the model file
 * and the JSON results. One rule, Spark's own: a Spark setting's value is replaced by
 * {@value #REPLACEMENT} when its key or its value matches {@code spark.redaction.regex} (Spark's default
 * {@value #SPARK_DEFAULT}), as Spark's UI and event log do. The pattern is read from the run's
 * {@link SparkConf}, so a user's own pattern is honoured. Outside the config's {@code spark} section only
 * the key (its dotted path) is matched: those values are Dendrite's own (paths, numbers, names), and a
 * data path that happens to contain "token" should stay readable.
 */
public final class Redaction {

  /** The Spark setting that holds the pattern. */
  public static final String REGEX_KEY = "spark.redaction.regex";

  /** Spark's default {@code spark.redaction.regex} (the same in Spark 4.1 and 4.2). */
  public static final String SPARK_DEFAULT = "(?i)secret|password|token|access[.]?key";

  /** What a hidden value is replaced by (Spark's own text). */
  public static final String REPLACEMENT = "*********(redacted)";

  /** Spark's default rule, for a run without a Spark configuration. */
  public static final Redaction DEFAULT = new Redaction(Pattern.compile(SPARK_DEFAULT));

  private final Pattern pattern;

  private Redaction(Pattern pattern) {
    this.pattern = pattern;
  }

  /** The rule of a Spark configuration: its {@code spark.redaction.regex}, else Spark's default. */
  public static Redaction of(SparkConf conf) {
    return conf == null ? DEFAULT : of(conf.get(REGEX_KEY, SPARK_DEFAULT));
  }

  /** The rule of a regular expression; a bad one is named. */
  public static Redaction of(String regex) {
    try {
      return new Redaction(Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(REGEX_KEY + ": not a valid regular expression: " + e.getDescription()
          + " in '" + regex + "'", e);
    }
  }

  /** Whether the setting {@code key} with {@code value} (null: the key alone decides) is hidden. */
  public boolean hides(String key, String value) {
    return key != null && pattern.matcher(key).find() || value != null && pattern.matcher(value).find();
  }

  /** The value to show for a setting: the value itself, or {@value #REPLACEMENT}. */
  public String value(String key, String value) {
    return hides(key, value) ? REPLACEMENT : value;
  }

  /** Spark settings with hidden values replaced, by key. */
  public Map<String, String> settings(Map<String, String> settings) {
    Map<String, String> out = new TreeMap<>();
    settings.forEach((k, v) -> out.put(k, value(k, v)));
    return out;
  }

  /** Every setting of a Spark configuration (e.g. {@code spark.sparkContext().getConf()}), redacted by its rule. */
  public static Map<String, String> settings(SparkConf conf) {
    Map<String, String> m = new TreeMap<>();
    for (Tuple2<String, String> kv : conf.getAll()) {
      m.put(kv._1(), kv._2());
    }
    return of(conf).settings(m);
  }

  /**
   * A copy of a configuration tree (sections as maps, lists, scalars) with hidden values replaced: in the
   * {@code spark} section by Spark's rule (the setting's key, its path below {@code spark}, or its value),
   * elsewhere by the dotted path of the key.
   */
  public Map<String, Object> config(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> out.put(k, "spark".equals(k) ? copy(v, null, true) : copy(v, k, false)));
    return out;
  }

  private Object copy(Object v, String path, boolean spark) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), copy(x, path == null ? String.valueOf(k) : path + "." + k,
          spark)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(copy(x, path, spark));
      }
      return out;
    }
    if (v == null) {
      return null;
    }
    return hides(path, spark ? String.valueOf(v) : null) ? REPLACEMENT : v;
  }
}
