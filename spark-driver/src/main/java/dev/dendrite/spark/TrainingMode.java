package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigException;
import java.util.Locale;

/** How training is spread over Spark ({@code distributed.mode}); see {@link DistributedConfig}. */
public enum TrainingMode {
  /** One gradient all-reduce per step, one Spark job each. */
  ALLREDUCE,
  /** k local steps per partition, then a weighted average of the parameters. */
  AVERAGING,
  /** All-reduce between the tasks of one long-lived barrier job: no Spark job per step. */
  COLLECTIVE,
  /** Collective when every partition can run at once, else measure Spark's overhead and choose. */
  AUTO;

  /** The name written in configs. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code name}; fails naming the key {@code mode} and the allowed names. */
  public static TrainingMode parse(String name) {
    for (TrainingMode m : values()) {
      if (m.key().equals(name)) {
        return m;
      }
    }
    throw new ConfigException("mode", "'" + name + "' is not allowed; expected one of " + DistributedConfig.MODES);
  }

  @Override
  public String toString() {
    return key();
  }
}
