package dev.dendrite.core.network;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.layer.LayerConfigs;
import dev.dendrite.core.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequential network's architecture: the shape of one input example and the layers in order.
 * This is the record config files map to and model files store.
 */
public record NetworkConfig(int[] inputShape, List<LayerConfig> layers) {

  public NetworkConfig {
    Shape input = Shape.of(inputShape); // validates
    if (input.size() > Network.MAX_EXAMPLE_SIZE) {
      throw new IllegalArgumentException("input shape " + input + " has " + input.size() + " values per example; "
          + "at most " + Network.MAX_EXAMPLE_SIZE + " are supported");
    }
    inputShape = inputShape.clone();
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new ConfigException("layers", "a network needs at least one layer");
    }
  }

  public Shape input() {
    return Shape.of(inputShape);
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** The JSON form: {@code {"input_shape": [...], "layers": [{...}, ...]}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> shape = new ArrayList<>();
    for (int d : inputShape) {
      shape.add(d);
    }
    m.put("input_shape", shape);
    List<Object> list = new ArrayList<>();
    for (LayerConfig layer : layers) {
      list.add(layer.toMap());
    }
    m.put("layers", list);
    return m;
  }

  /** Reads the form {@link #toMap()} writes; every key and value is checked. */
  public static NetworkConfig read(ConfigMap m) {
    int[] shape = m.integers("input_shape");
    List<LayerConfig> layers = new ArrayList<>();
    for (ConfigMap layer : m.sections("layers")) {
      layers.add(LayerConfigs.read(layer));
    }
    m.finish();
    try {
      return new NetworkConfig(shape, layers);
    } catch (IllegalArgumentException e) {
      throw e instanceof ConfigException ? e : new ConfigException(m.key("input_shape"), e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkConfig
        && Arrays.equals(inputShape, ((NetworkConfig) o).inputShape)
        && layers.equals(((NetworkConfig) o).layers);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(inputShape) + layers.hashCode();
  }

  @Override
  public String toString() {
    return "NetworkConfig" + toMap();
  }
}
