package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterTensor;
import java.util.Arrays;

/** The saved values of one layer's parameter tensors, by their names within the layer ({@code W}, {@code b}). */
public final class LayerParameters {

  private final Layer layer;
  private final ParameterLayout layout;
  private final float[] parameters;

  LayerParameters(Layer layer, ParameterLayout layout, float[] parameters) {
    this.layer = layer;
    this.layout = layout;
    this.parameters = parameters;
  }

  /** A copy of tensor {@code name} of this layer (row-major, in its declared shape). */
  public float[] values(String name) {
    ParameterTensor t = layout.tensor(layer.name() + "/" + name);
    return Arrays.copyOfRange(parameters, t.offset(), t.end());
  }

  /** The shape of tensor {@code name} as ONNX dimensions. */
  public long[] dims(String name) {
    int[] dims = layout.tensor(layer.name() + "/" + name).shape().dims();
    return Arrays.stream(dims).asLongStream().toArray();
  }
}
