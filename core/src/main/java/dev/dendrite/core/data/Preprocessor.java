package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.List;
import java.util.Map;

/**
 * A feature transformation fitted on the training split only, applied in place to every split and to
 * the inputs of predictions, and saved with the model. An instance is immutable: {@link #fit} returns a
 * new, fitted one. The map form of an unfitted preprocessor ({@code {type: standard}}) is what a config
 * file holds; the fitted form adds the learned values and is what a model file holds.
 */
public interface Preprocessor {

  /** The type names {@link #read} accepts. */
  List<String> TYPES = List.of(MinMaxScaler.TYPE, StandardScaler.TYPE, PixelScaler.TYPE, Pipeline.TYPE);

  /** The name in config and model files, e.g. {@code standard}. */
  String type();

  /** Whether {@link #fit} has been applied (or the fitted state was read). */
  boolean isFitted();

  /** The feature width it was fitted on; -1 when not fitted. */
  int width();

  /** A fitted copy, learned from {@code train}'s features (which are not changed). */
  Preprocessor fit(Dataset train);

  /**
   * Transforms {@code rows} feature rows of {@link #width()} floats in place, starting at index
   * {@code offset} of {@code features}.
   */
  void transform(float[] features, int offset, int rows);

  /** Transforms all of {@code data}'s features in place; the widths must agree. */
  default void transform(Dataset data) {
    if (!isFitted()) {
      throw new IllegalStateException(type() + " preprocessing is not fitted; call fit(train) first");
    }
    if (data.featureWidth() != width()) {
      throw new IllegalArgumentException(type() + " preprocessing was fitted on " + width()
          + " features but dataset '" + data.description() + "' has " + data.featureWidth());
    }
    transform(data.features(), 0, data.size());
  }

  /** Fits on {@code train}, transforms it in place and returns the fitted preprocessor. */
  default Preprocessor fitTransform(Dataset train) {
    Preprocessor fitted = fit(train);
    fitted.transform(train);
    return fitted;
  }

  /** The JSON form: {@code type} and, once fitted, {@code width} and the learned values. */
  Map<String, Object> toMap();

  /** Reads any preprocessor's map form, fitted or not; unknown types and keys are errors naming the key. */
  static Preprocessor read(ConfigMap m) {
    String type = m.choice("type", null, TYPES);
    if (type == null) {
      throw new ConfigException(m.key("type"), "is required; expected one of " + TYPES);
    }
    switch (type) {
      case MinMaxScaler.TYPE:
        return MinMaxScaler.read(m);
      case StandardScaler.TYPE:
        return StandardScaler.read(m);
      case PixelScaler.TYPE:
        return PixelScaler.read(m);
      default:
        return Pipeline.read(m);
    }
  }

  /** {@link #read(ConfigMap)} of a plain map, e.g. a model file header's {@code preprocessing}. */
  static Preprocessor fromMap(Map<String, ?> map) {
    return read(new ConfigMap("preprocessing", map));
  }
}
