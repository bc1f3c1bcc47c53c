package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Reads layer configs by their {@code type}; the one place that knows every layer type. */
public final class LayerConfigs {

  private static final Map<String, Function<ConfigMap, LayerConfig>> READERS = new LinkedHashMap<>();

  static {
    READERS.put(DenseConfig.TYPE, DenseConfig::read);
    READERS.put(ActivationConfig.TYPE, ActivationConfig::read);
    READERS.put(DropoutConfig.TYPE, DropoutConfig::read);
    READERS.put(PReluConfig.TYPE, PReluConfig::read);
    READERS.put(MaxoutConfig.TYPE, MaxoutConfig::read);
    READERS.put(Conv2DConfig.TYPE, Conv2DConfig::read);
    READERS.put(MaxPool2DConfig.TYPE, MaxPool2DConfig::read);
    READERS.put(AvgPool2DConfig.TYPE, AvgPool2DConfig::read);
    READERS.put(FlattenConfig.TYPE, FlattenConfig::read);
    READERS.put(BatchNormConfig.TYPE, BatchNormConfig::read);
    READERS.put(EmbeddingConfig.TYPE, EmbeddingConfig::read);
    READERS.put(SimpleRnnConfig.TYPE, SimpleRnnConfig::read);
    READERS.put(LstmConfig.TYPE, LstmConfig::read);
    READERS.put(GruConfig.TYPE, GruConfig::read);
    // attention (issue 17)
    READERS.put(LayerNormConfig.TYPE, LayerNormConfig::read);
    READERS.put(PositionalEmbeddingConfig.TYPE, PositionalEmbeddingConfig::read);
    READERS.put(MultiHeadAttentionConfig.TYPE, MultiHeadAttentionConfig::read);
    READERS.put(TransformerEncoderConfig.TYPE, TransformerEncoderConfig::read);
    READERS.put(TimeDistributedDenseConfig.TYPE, TimeDistributedDenseConfig::read);
    // variational autoencoder (issue 17)
    READERS.put(SamplingConfig.TYPE, SamplingConfig::read);
  }

  private LayerConfigs() {
  }

  /** Reads one layer section, rejecting unknown types and keys with the section's path. */
  public static LayerConfig read(ConfigMap m) {
    String type = m.string("type");
    Function<ConfigMap, LayerConfig> reader = READERS.get(type);
    if (reader == null) {
      throw new ConfigException(m.key("type"), "unknown layer type '" + type + "'; expected one of "
          + READERS.keySet());
    }
    LayerConfig config;
    try {
      config = reader.apply(m);
    } catch (ConfigException e) {
      if (e.key().startsWith(m.path())) {
        throw e;
      }
      throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(m.path(), e.getMessage());
    }
    m.finish();
    return config;
  }

  /** Reads a layer from its {@link LayerConfig#toMap()} form. */
  public static LayerConfig fromMap(String path, Map<String, ?> map) {
    return read(new ConfigMap(path, map));
  }
}
