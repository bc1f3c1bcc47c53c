package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterTensor;
import java.util.Arrays;

/**
 * The saved values of one layer's parameter tensors, by their names within the layer ({@code W}, {@code b}),
 * or within one part of a composite layer ({@link #part}: {@code attention/W_in} of a transformer block).
 */
public final class LayerParameters {

  private final String prefix; // "<layer name>/", or "<layer name>/<part>/"
  private final ParameterLayout layout;
  private final float[] parameters;

  LayerParameters(Layer layer, ParameterLayout layout, float[] parameters) {
    this(layer.name() + "/", layout, parameters);
  }

  private LayerParameters(String prefix, ParameterLayout layout, float[] parameters) {
    this.prefix = prefix;
    this.layout = layout;
    this.parameters = parameters;
  }

  /** The parameters of part {@code part} of a composite layer, named within that part. */
  public LayerParameters part(String part) {
    return new LayerParameters(prefix + part + "/", layout, parameters);
  }

  /** A copy of tensor {@code name} of this layer (row-major, in its declared shape). */
  public float[] values(String name) {
    ParameterTensor t = layout.tensor(prefix + name);
    return Arrays.copyOfRange(parameters, t.offset(), t.end());
  }

  /** The shape of tensor {@code name} as ONNX dimensions. */
  public long[] dims(String name) {
    int[] dims = layout.tensor(prefix + name).shape().dims();
    return Arrays.stream(dims).asLongStream().toArray();
  }
}
