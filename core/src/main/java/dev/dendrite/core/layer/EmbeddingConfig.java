package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An embedding table for integer ids: each of the input's T ids in {@code [0, vocabulary)} becomes its row
 * of a learned {@code [vocabulary, dimension]} table, initialized by {@code embeddings_init} (default
 * {@code uniform(0.05)}, as Keras).
 */
public record EmbeddingConfig(int vocabulary, int dimension, String embeddingsInit) implements LayerConfig {

  public static final String TYPE = "embedding";

  public EmbeddingConfig {
    if (vocabulary <= 0) {
      throw new ConfigException("vocabulary", "must be > 0, got " + vocabulary);
    }
    if (dimension <= 0) {
      throw new ConfigException("dimension", "must be > 0, got " + dimension);
    }
    try {
      Math.multiplyExact(vocabulary, dimension);
    } catch (ArithmeticException e) {
      throw new ConfigException("dimension", "vocabulary × dimension = " + vocabulary + " × " + dimension
          + " is too large");
    }
    Initializers.parse(embeddingsInit);
  }

  public static EmbeddingConfig of(int vocabulary, int dimension) {
    return new EmbeddingConfig(vocabulary, dimension, "uniform(0.05)");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new EmbeddingLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("vocabulary", vocabulary);
    m.put("dimension", dimension);
    m.put("embeddings_init", embeddingsInit);
    return m;
  }

  static EmbeddingConfig read(ConfigMap m) {
    return new EmbeddingConfig((int) m.integer("vocabulary"), (int) m.integer("dimension"),
        m.string("embeddings_init", "uniform(0.05)"));
  }
}
