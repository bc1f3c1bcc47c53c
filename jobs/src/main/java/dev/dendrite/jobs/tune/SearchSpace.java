package dev.dendrite.jobs.tune;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A search space file: which config keys to search and over what, how ({@code grid}, {@code random} or
 * {@code halving}, successive halving as in Hyperband's inner loop), which metric decides and in which
 * direction, the seed of the draws, and where trials run. Read strictly: an unknown key, an empty range, a
 * log scale over a bound {@code <= 0} or a value of the wrong type fails naming the file and the key.
 *
 * @param trials     configurations drawn ({@code random}, {@code halving}); not read for {@code grid}
 * @param seed       the seed of the draws, or null for the config's {@code training.seed}
 * @param metric     a metric of the trials' histories, e.g. {@code val_loss} or {@code val_accuracy}
 * @param maximize   whether larger is better
 * @param execution  {@code auto}, {@code parallel} (local trials as Spark tasks) or {@code distributed}
 * @param minEpochs  halving: the first rung's epochs (the last rung trains {@code training.epochs})
 * @param factor     halving: each rung keeps the best 1/factor and trains them factor times longer
 */
public record SearchSpace(String method, int trials, Long seed, String metric, boolean maximize, String execution,
                          int minEpochs, int factor, List<Hyperparameter> parameters) {

  public static final List<String> METHODS = List.of("grid", "random", "halving");
  public static final List<String> EXECUTIONS = List.of("auto", "parallel", "distributed");
  /** The most trials a space may ask for (a grid multiplies up quickly). */
  public static final int MAX_TRIALS = 10_000;

  /**
   * Keys a trial may not change, with the reason: the data is read, split and preprocessed once for all
   * trials, so every trial must see the same examples.
   */
  static String fixed(String key) {
    String[] parts = key.split("\\.");
    switch (parts[0]) {
      case "data":
        return "the data is read once for all trials";
      case "output":
        return "tune writes its own output (--output DIR)";
      case "spark":
      case "distributed":
        return "it sets how trials run, not what they train";
      default:
        break;
    }
    switch (key) {
      case "training.seed":
        return "every trial uses the config's seed, so trials differ only in the searched keys (set the "
            + "space's seed: to change the draws)";
      case "training.validation_split":
        return "every trial is scored on the same held-out rows";
      case "training.loss":
        return "the targets are prepared once for the config's loss";
      case "network.input_shape":
        return "the data's width is fixed";
      default:
        return null;
    }
  }

  /** Checks a space file's parsed tree ({@code ConfigFiles.load}); errors name the file and the key path. */
  public static SearchSpace read(Path file, Map<String, Object> tree) {
    try {
      return read(tree);
    } catch (ConfigException e) {
      String message = e.getMessage().substring(e.key().length() + 2);
      throw new ConfigException("space file " + file + ", " + e.key(), message);
    }
  }

  /** Reads a parsed space; errors name the key path within the file. */
  @SuppressWarnings("unchecked")
  public static SearchSpace read(Map<String, Object> tree) {
    ConfigMap m = new ConfigMap("", tree);
    String method = m.choice("method", "random", METHODS);
    if (method.equals("grid") && tree.containsKey("trials")) {
      throw new ConfigException("trials", "is not read with method: grid, which tries every point of the grid "
          + "(set steps: on ranges, or use method: random)");
    }
    int trials = m.integer("trials", method.equals("halving") ? 27 : 20, 1, MAX_TRIALS);
    Long seed = m.has("seed") ? m.integer("seed") : null;
    String metric = m.string("metric", "val_loss");
    String goal = m.choice("goal", defaultGoal(metric), List.of("minimize", "maximize"));
    String execution = m.choice("execution", "auto", EXECUTIONS);
    ConfigMap halving = m.section("halving");
    int factor = halving.integer("factor", 3, 2, 100);
    int minEpochs = halving.integer("min_epochs", 0, 0, 1_000_000);
    halving.finish();
    if (!method.equals("halving") && tree.containsKey("halving")) {
      throw new ConfigException("halving", "is read only with method: halving (this space's method is "
          + method + ")");
    }
    Object raw = m.value("parameters");
    if (!(raw instanceof Map<?, ?> params) || params.isEmpty()) {
      throw new ConfigException("parameters", "expected a section of config keys to search, e.g. "
          + "training.optimizer.learning_rate: {low: 0.0001, high: 0.1, log: true}");
    }
    List<Hyperparameter> parameters = new ArrayList<>();
    for (Map.Entry<?, ?> e : params.entrySet()) {
      String key = String.valueOf(e.getKey());
      String where = "parameters." + key;
      if (key.isBlank() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
        throw new ConfigException(where, "is not a key path; write it as --set does, e.g. training.batch_size");
      }
      String why = fixed(key);
      if (why != null) {
        throw new ConfigException(where, "cannot be searched: " + why);
      }
      if (method.equals("halving") && key.equals("training.epochs")) {
        throw new ConfigException(where, "halving sets the epochs of each rung itself (halving.min_epochs up "
            + "to training.epochs)");
      }
      if (!(e.getValue() instanceof Map)) {
        throw new ConfigException(where, "expected {values: [...]} or {low: ..., high: ...}, got "
            + describe(e.getValue()));
      }
      parameters.add(Hyperparameter.read(key, new ConfigMap(where, (Map<String, Object>) e.getValue())));
    }
    m.finish();
    return new SearchSpace(method, trials, seed, metric, goal.equals("maximize"), execution, minEpochs, factor,
        List.copyOf(parameters));
  }

  /** Larger is better for accuracies, AUC, F1, precision, recall and R²; smaller for losses and errors. */
  static String defaultGoal(String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    for (String up : List.of("accuracy", "auc", "f1", "precision", "recall", "r2")) {
      if (m.endsWith(up)) {
        return "maximize";
      }
    }
    return "minimize";
  }

  private static String describe(Object v) {
    return v == null ? "nothing" : v instanceof List ? "a list " + v : "'" + v + "'";
  }

  /** Whether {@code a} is strictly better than {@code b} (a NaN, e.g. a diverged trial, is never better). */
  public boolean better(double a, double b) {
    if (Double.isNaN(a)) {
      return false;
    }
    if (Double.isNaN(b)) {
      return true;
    }
    return maximize ? a > b : a < b;
  }
}
