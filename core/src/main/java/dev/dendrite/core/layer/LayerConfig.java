package dev.dendrite.core.layer;

import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.Shape;
import java.util.Map;

/**
 * The immutable description of a layer, as written in config and model files. {@link #toMap()} gives
 * its JSON form ({@code type} plus the record's fields); {@link LayerConfigs#fromMap} reads it back.
 */
public interface LayerConfig {

  /** The type name in configs: {@code dense}, {@code dropout}, ... */
  String type();

  /** Builds the layer for inputs of the given shape; {@code index} makes its name unique. */
  Layer build(Shape input, int index, Gemm gemm);

  /** The JSON form: {@code type} and every field, with defaults written out. */
  Map<String, Object> toMap();
}
