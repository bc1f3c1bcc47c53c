package dev.dendrite.jobs.tune;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.random.Rng;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One searched config key ({@code training.optimizer.learning_rate}, {@code network.layers.0.units}): a
 * list of values to choose from, or a range of floats or integers, uniform or on a log scale (as
 * Optuna's {@code suggest_float(..., log=True)} and Keras Tuner's {@code sampling="log"}).
 *
 * @param key    the dotted key path into the job config, as {@code --set} spells it (list items by index)
 * @param values the choices (strings, numbers, booleans, lists), or null for a range
 * @param steps  the number of grid points a range gives grid search
 */
public record Hyperparameter(String key, List<Object> values, boolean integer, double low, double high,
                             boolean log, int steps) {

  /** The kinds a parameter section may hold, by its keys. */
  private static final List<String> RANGE_TYPES = List.of("float", "int");

  /** Reads {@code parameters.KEY}: {@code {values: [...]}} or {@code {low: L, high: H, log: true, type: int}}. */
  static Hyperparameter read(String key, ConfigMap m) {
    if (m.has("values")) {
      Object raw = m.value("values");
      if (!(raw instanceof List<?> list)) {
        throw new ConfigException(m.key("values"), "expected a list of choices, e.g. [adam, sgd], got " + raw);
      }
      if (list.isEmpty()) {
        throw new ConfigException(m.key("values"), "is empty; give at least one value");
      }
      if (new LinkedHashSet<>(list).size() != list.size()) {
        throw new ConfigException(m.key("values"), "lists a value twice: " + list);
      }
      for (Object v : list) {
        if (v == null || v instanceof Map) {
          throw new ConfigException(m.key("values"), "holds " + (v == null ? "an empty value" : "a section")
              + "; choices are numbers, strings, booleans or lists");
        }
      }
      m.finish();
      return new Hyperparameter(key, List.copyOf(list), false, Double.NaN, Double.NaN, false, list.size());
    }
    if (!m.has("low") || !m.has("high")) {
      throw new ConfigException(m.path(), "give either values: [...] or a range low: ..., high: ...");
    }
    Object lowRaw = m.value("low");
    Object highRaw = m.value("high");
    double low = m.number("low");
    double high = m.number("high");
    String type = m.choice("type", integral(lowRaw) && integral(highRaw) ? "int" : "float", RANGE_TYPES);
    boolean integer = type.equals("int");
    boolean log = m.bool("log", false);
    int steps = m.integer("steps", 3, 2, 1000);
    m.finish();
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new ConfigException(m.path(), "low and high must be finite, got low " + low + ", high " + high);
    }
    if (!(low < high)) {
      throw new ConfigException(m.path(), "the range is empty: low " + num(low) + " must be below high "
          + num(high));
    }
    if (integer && (low != Math.rint(low) || high != Math.rint(high))) {
      throw new ConfigException(m.path(), "type int needs whole bounds, got low " + num(low) + ", high " + num(high));
    }
    if (log && low <= 0) {
      throw new ConfigException(m.key("low"), "a log scale needs bounds above 0, got " + num(low));
    }
    return new Hyperparameter(key, null, integer, low, high, log, steps);
  }

  private static boolean integral(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger;
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  public boolean isChoice() {
    return values != null;
  }

  /** One value drawn with {@code rng}: a choice uniformly, a range uniformly in its value or its log. */
  Object sample(Rng rng) {
    if (isChoice()) {
      return values.get(rng.nextInt(values.size()));
    }
    double u = rng.nextDouble();
    if (integer) {
      double lo = log ? Math.log(low) : low;
      double hi = log ? Math.log(high + 1) : high + 1; // every integer of [low, high] equally wide
      double v = lo + u * (hi - lo);
      long n = (long) Math.floor(log ? Math.exp(v) : v);
      return Math.max((long) low, Math.min((long) high, n));
    }
    return log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
  }

  /** The values grid search tries: the choices, or {@link #steps} points spread evenly (in log for log scales). */
  List<Object> grid() {
    if (isChoice()) {
      return values;
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      double f = (double) i / (steps - 1);
      double v = log ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low);
      Object value = integer ? (Object) Math.round(v) : (Object) v;
      if (!out.contains(value)) {
        out.add(value);
      }
    }
    return out;
  }

  /** How the report draws it: a log axis for log scales, categories for choices. */
  public String scale() {
    return isChoice() ? "choice" : log ? "log" : "linear";
  }
}
