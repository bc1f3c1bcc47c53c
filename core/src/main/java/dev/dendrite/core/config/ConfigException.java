package dev.dendrite.core.config;

/** A configuration value that is missing, unknown, of the wrong type or out of range; the message names the key. */
public class ConfigException extends IllegalArgumentException {

  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The full key path, e.g. {@code network.layers[2].units}. */
  public String key() {
    return key;
  }
}
