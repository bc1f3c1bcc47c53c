package dev.dendrite.core.train;

import dev.dendrite.core.config.ConfigException;

/** How examples are weighted by class in the loss ({@code class_weight}). */
public enum ClassWeight {
  /** Every example weighs 1. */
  NONE,
  /** Weights n / (classes · count_c), as scikit-learn's {@code class_weight="balanced"}. */
  BALANCED;

  /** The name written in configs. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The kind named {@code name} (null means none); fails naming the key {@code class_weight}. */
  public static ClassWeight parse(String name) {
    if (name == null) {
      return NONE;
    }
    for (ClassWeight w : values()) {
      if (w.key().equals(name)) {
        return w;
      }
    }
    throw new ConfigException("class_weight", "'" + name + "' is not allowed; expected one of "
        + TrainingConfig.CLASS_WEIGHTS);
  }

  @Override
  public String toString() {
    return key();
  }
}
