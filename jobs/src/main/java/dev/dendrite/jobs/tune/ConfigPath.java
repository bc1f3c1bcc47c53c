package dev.dendrite.jobs.tune;

import dev.dendrite.core.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets a value at a dotted key path in a parsed job config, as {@code --set} does, where a number
 * indexes a list: {@code network.layers.1.rate} is the {@code rate} of the second layer. Sections that
 * do not exist yet are created (the config reader then says whether the key is known).
 */
public final class ConfigPath {

  private ConfigPath() {
  }

  /** A deep copy of a parsed config (maps, lists and scalars). */
  @SuppressWarnings("unchecked")
  public static Object copy(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), copy(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(copy(x)));
      return out;
    }
    return v;
  }

  /** Sets {@code key} to {@code value} in {@code tree}; {@code where} names the key in messages. */
  @SuppressWarnings("unchecked")
  public static void set(Map<String, Object> tree, String key, Object value, String where) {
    String[] path = key.split("\\.");
    Object node = tree;
    for (int i = 0; i < path.length; i++) {
      boolean last = i == path.length - 1;
      String part = path[i];
      String so = String.join(".", java.util.Arrays.copyOfRange(path, 0, i));
      if (node instanceof Map<?, ?> m) {
        Map<String, Object> map = (Map<String, Object>) m;
        if (last) {
          map.put(part, copy(value));
          return;
        }
        Object next = map.get(part);
        if (next == null) {
          next = new LinkedHashMap<String, Object>();
          map.put(part, next);
        }
        node = next;
      } else if (node instanceof List<?> l) {
        List<Object> list = (List<Object>) l;
        int index;
        try {
          index = Integer.parseInt(part);
        } catch (NumberFormatException e) {
          throw new ConfigException(where, so + " is a list: name an item by its index (0 to " + (list.size() - 1)
              + "), not '" + part + "'");
        }
        if (index < 0 || index >= list.size()) {
          throw new ConfigException(where, so + " has " + list.size() + " items (indices 0 to " + (list.size() - 1)
              + "); there is no item " + index);
        }
        if (last) {
          list.set(index, copy(value));
          return;
        }
        node = list.get(index);
      } else {
        throw new ConfigException(where, so + " is a value (" + node + "), not a section or list");
      }
    }
  }
}
