package dev.dendrite.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one section of a parsed configuration with a path for messages. Every accessor records the key
 * as known; {@link #finish()} rejects the keys nobody asked for, naming them and the allowed ones.
 */
public final class ConfigMap {

  private final String path;
  private final Map<String, Object> values;
  private final Set<String> known = new LinkedHashSet<>();

  public ConfigMap(String path, Map<String, ?> values) {
    this.path = path;
    this.values = new LinkedHashMap<>(values);
  }

  /** The path of this section, e.g. {@code network.layers[1]}. */
  public String path() {
    return path;
  }

  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    known.add(name);
    return values.containsKey(name) && values.get(name) != null;
  }

  private Object raw(String name) {
    known.add(name);
    return values.get(name);
  }

  private Object required(String name) {
    Object v = raw(name);
    if (v == null) {
      throw new ConfigException(key(name), "is required");
    }
    return v;
  }

  public String string(String name) {
    Object v = required(name);
    if (!(v instanceof String)) {
      throw new ConfigException(key(name), "expected a string, got " + describe(v));
    }
    return (String) v;
  }

  public String string(String name, String fallback) {
    return has(name) ? string(name) : fallback;
  }

  /** A string that must be one of {@code allowed} (compared case-insensitively, returned lower-case). */
  public String choice(String name, String fallback, Collection<String> allowed) {
    String v = string(name, fallback);
    if (v == null) {
      return null;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new ConfigException(key(name), "'" + v + "' is not allowed; expected one of " + allowed);
    }
    return lower;
  }

  public double number(String name) {
    Object v = required(name);
    if (!(v instanceof Number)) {
      throw new ConfigException(key(name), "expected a number, got " + describe(v));
    }
    return ((Number) v).doubleValue();
  }

  public double number(String name, double fallback) {
    return has(name) ? number(name) : fallback;
  }

  /** A number in {@code [min, max]}. */
  public double number(String name, double fallback, double min, double max) {
    double v = number(name, fallback);
    if (!(v >= min && v <= max)) {
      throw new ConfigException(key(name), v + " is out of range; expected a value in [" + min + ", " + max + "]");
    }
    return v;
  }

  public long integer(String name) {
    Object v = required(name);
    if (v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())) {
      return ((Number) v).longValue();
    }
    throw new ConfigException(key(name), "expected an integer, got " + describe(v));
  }

  public long integer(String name, long fallback) {
    return has(name) ? integer(name) : fallback;
  }

  /** An integer in {@code [min, max]}. */
  public int integer(String name, int fallback, int min, int max) {
    long v = has(name) ? integer(name) : fallback;
    if (v < min || v > max) {
      throw new ConfigException(key(name), v + " is out of range; expected an integer in [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  public boolean bool(String name, boolean fallback) {
    if (!has(name)) {
      return fallback;
    }
    Object v = raw(name);
    if (!(v instanceof Boolean)) {
      throw new ConfigException(key(name), "expected true or false, got " + describe(v));
    }
    return (Boolean) v;
  }

  /** A nested section; an absent key gives an empty section. */
  @SuppressWarnings("unchecked")
  public ConfigMap section(String name) {
    Object v = raw(name);
    if (v == null) {
      return new ConfigMap(key(name), Map.of());
    }
    if (!(v instanceof Map)) {
      throw new ConfigException(key(name), "expected a section (key: value pairs), got " + describe(v));
    }
    return new ConfigMap(key(name), (Map<String, ?>) v);
  }

  /** A list of sections, e.g. the layers. */
  @SuppressWarnings("unchecked")
  public List<ConfigMap> sections(String name) {
    Object v = required(name);
    if (!(v instanceof List)) {
      throw new ConfigException(key(name), "expected a list, got " + describe(v));
    }
    List<ConfigMap> out = new ArrayList<>();
    List<?> list = (List<?>) v;
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      String itemKey = key(name) + "[" + i + "]";
      if (!(item instanceof Map)) {
        throw new ConfigException(itemKey, "expected a section, got " + describe(item));
      }
      out.add(new ConfigMap(itemKey, (Map<String, ?>) item));
    }
    return out;
  }

  /** A list of integers, e.g. a shape. */
  public int[] integers(String name) {
    Object v = required(name);
    if (!(v instanceof List)) {
      throw new ConfigException(key(name), "expected a list of integers, got " + describe(v));
    }
    List<?> list = (List<?>) v;
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object item = list.get(i);
      if (!(item instanceof Number) || ((Number) item).doubleValue() != ((Number) item).intValue()) {
        throw new ConfigException(key(name) + "[" + i + "]", "expected an integer, got " + describe(item));
      }
      out[i] = ((Number) item).intValue();
    }
    return out;
  }

  /** The raw value, for callers that accept several forms. */
  public Object value(String name) {
    return raw(name);
  }

  /** Rejects every key that no accessor asked for. */
  public void finish() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      String first = unknown.iterator().next();
      throw new ConfigException(key(first), "unknown key" + (unknown.size() > 1 ? "s " + unknown : "")
          + "; allowed keys here are " + known);
    }
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String) {
      return "'" + v + "' (a string)";
    }
    if (v instanceof Map) {
      return "a section";
    }
    if (v instanceof List) {
      return "a list";
    }
    return v + " (" + v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ")";
  }
}
