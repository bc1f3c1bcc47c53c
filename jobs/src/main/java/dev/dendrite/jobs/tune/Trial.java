package dev.dendrite.jobs.tune;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One configuration to train: its index in the search (0-based, the tie-breaker), the searched keys'
 * values, the rung (successive halving; 0 otherwise) and the epochs it trains.
 */
public record Trial(int index, Map<String, Object> settings, int rung, int epochs) {

  public Trial {
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
  }

  /** {@code key=value key=value}, numbers short, for progress lines and job descriptions. */
  public String label() {
    return settings.entrySet().stream().map(e -> e.getKey() + "=" + show(e.getValue()))
        .collect(Collectors.joining(" "));
  }

  static String show(Object v) {
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.4g", d);
    }
    return String.valueOf(v);
  }
}
