package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learned positional embedding (as BERT and GPT-2 use, instead of the fixed sinusoids of Vaswani et al.
 * 2017): a table {@code P [T, d]}, one row per position of the {@code [T, d]} input, added to it. Self-attention
 * is blind to order without it. {@code embeddingsInit} defaults to {@code normal(0.02)} (GPT-2).
 */
public record PositionalEmbeddingConfig(String embeddingsInit) implements LayerConfig {

  public static final String TYPE = "positional_embedding";
  static final String DEFAULT_INIT = "normal(0.02)";

  public PositionalEmbeddingConfig {
    if (embeddingsInit == null) {
      throw new ConfigException("embeddings_init", "is required");
    }
    try {
      Initializers.parse(embeddingsInit);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("embeddings_init", e.getMessage());
    }
  }

  public static PositionalEmbeddingConfig of() {
    return new PositionalEmbeddingConfig(DEFAULT_INIT);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Layer build(Shape input, int index, Gemm gemm) {
    return new PositionalEmbeddingLayer(TYPE + "_" + index, this, input);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("embeddings_init", embeddingsInit);
    return m;
  }

  static PositionalEmbeddingConfig read(ConfigMap m) {
    return new PositionalEmbeddingConfig(m.string("embeddings_init", DEFAULT_INIT));
  }
}
