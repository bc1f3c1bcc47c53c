package dev.dendrite.core.optim;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;

/**
 * Range checks for hyper-parameters, with messages naming the owner, the key and the value. With a
 * {@code null} owner (a config record) the failure is a {@link ConfigException} for the key.
 */
final class HyperParameters {

  private HyperParameters() {
  }

  /** The float's shortest decimal as a double, so messages say 0.01 rather than 0.009999999776482582. */
  private static double decimal(float value) {
    return Double.parseDouble(Float.toString(value));
  }

  static void positive(String owner, String key, float value) {
    positive(owner, key, decimal(value));
  }

  static void nonNegative(String owner, String key, float value) {
    nonNegative(owner, key, decimal(value));
  }

  static void fraction(String owner, String key, float value) {
    fraction(owner, key, decimal(value));
  }

  /** {@code value > 0} and finite. */
  static void positive(String owner, String key, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw fail(owner, key, " must be > 0 and finite, got " + value);
    }
  }

  /** {@code value >= 0} and finite. */
  static void nonNegative(String owner, String key, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw fail(owner, key, " must be >= 0 and finite, got " + value);
    }
  }

  /** {@code 0 <= value < 1}, as for betas, momentum and decay rates of running averages. */
  static void fraction(String owner, String key, double value) {
    if (!(value >= 0 && value < 1)) {
      throw fail(owner, key, " must be in [0, 1), got " + value);
    }
  }

  /** {@code value >= 1}, for step counts. */
  static void atLeastOne(String owner, String key, long value) {
    if (value < 1) {
      throw fail(owner, key, " must be >= 1, got " + value);
    }
  }

  private static IllegalArgumentException fail(String owner, String key, String message) {
    return owner == null
        ? new ConfigException(key, message.substring(1))
        : new IllegalArgumentException(owner + ": " + key + message);
  }

  /**
   * Turns a validation failure into a {@link ConfigException} under {@code m}'s path, so that
   * {@code optimizer: beta1 must be in [0, 1), got 1.0} read from {@code training.optimizer} names
   * {@code training.optimizer.beta1}.
   */
  static ConfigException under(ConfigMap m, IllegalArgumentException e) {
    if (e instanceof ConfigException) {
      ConfigException c = (ConfigException) e;
      String p = m.path();
      if (!p.isEmpty() && (c.key().equals(p) || c.key().startsWith(p + ".") || c.key().startsWith(p + "["))) {
        return c;
      }
      return new ConfigException(m.key(c.key()), c.getMessage().substring(c.key().length() + 2));
    }
    return new ConfigException(m.path(), e.getMessage());
  }
}
