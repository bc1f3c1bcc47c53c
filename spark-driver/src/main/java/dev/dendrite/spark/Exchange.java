package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigException;
import java.util.Locale;

/**
 * How a step's vectors travel ({@code distributed.exchange}): {@code auto} and {@code spark} as
 * {@link VectorExchange} reads them; {@code collective} between the tasks of one long-lived barrier job.
 */
public enum Exchange {
  /** By reference when the tasks run in the driver's JVM, through Spark otherwise. */
  AUTO,
  /** Always through Spark: a broadcast out, task results back. */
  SPARK,
  /** Between the tasks of one barrier job. */
  COLLECTIVE;

  /** The name written in configs. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The exchange named {@code name}; fails naming the key {@code exchange} and the allowed names. */
  public static Exchange parse(String name) {
    for (Exchange e : values()) {
      if (e.key().equals(name)) {
        return e;
      }
    }
    throw new ConfigException("exchange", "'" + name + "' is not allowed; expected one of "
        + DistributedConfig.EXCHANGES);
  }

  @Override
  public String toString() {
    return key();
  }
}
