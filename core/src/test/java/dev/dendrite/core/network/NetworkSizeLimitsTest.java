package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sizes are checked before anything is allocated: a network too large for a Java array or for this JVM's
 * heap is refused with a message naming the layer, the size and the limit, never an ArithmeticException,
 * a NegativeArraySizeException or an OutOfMemoryError.
 */
class NetworkSizeLimitsTest {

  /** The network a config file with these layers describes. */
  private static NetworkConfig config(List<Integer> inputShape, List<Map<String, Object>> layers) {
    return NetworkConfig.read(new ConfigMap("network", Map.of("input_shape", inputShape, "layers", layers)));
  }

  private static Map<String, Object> dense(int units) {
    return Map.of("type", "dense", "units", units);
  }

  private static IllegalArgumentException refused(NetworkConfig config) {
    return assertThrows(IllegalArgumentException.class, () -> new Network(config, Gemms.factory("ejml").get()));
  }

  @Test
  void aDenseLayerOfTwoBillionUnitsIsRefusedNamingTheLayerTheSizeAndTheLimit() {
    IllegalArgumentException e = refused(config(List.of(784), List.of(dense(2_000_000_000))));
    assertTrue(e.getMessage().contains("layer 0 (dense)"), e.getMessage());
    assertTrue(e.getMessage().contains("2000000000"), e.getMessage());
    assertTrue(e.getMessage().contains("at most"), e.getMessage());
  }

  @Test
  void aDenseLayerOfTwoBillionUnitsOnOneInputIsRefusedForItsOutputWidth() {
    IllegalArgumentException e = refused(config(List.of(1), List.of(dense(2_000_000_000))));
    assertTrue(e.getMessage().contains("layer 0 (dense)"), e.getMessage());
    assertTrue(e.getMessage().contains("2000000000"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(Network.MAX_EXAMPLE_SIZE)), e.getMessage());
  }

  @Test
  void aWeightMatrixLargerThanAJavaArrayIsRefusedNamingItsShape() {
    // each example's width is fine; the 60000 x 60000 weight matrix has 3.6e9 elements
    IllegalArgumentException e = refused(config(List.of(60_000), List.of(dense(60_000))));
    assertTrue(e.getMessage().contains("layer 0 (dense)"), e.getMessage());
    assertTrue(e.getMessage().contains("[60000, 60000]"), e.getMessage());
    assertTrue(e.getMessage().contains("3600000000"), e.getMessage());
    assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
  }

  @Test
  void aParameterVectorLargerThanAJavaArrayIsRefusedNamingTheLayerThatCrossesTheLimit() {
    // two 1.6e9-element weight matrices: each fits an array, their flat vector does not (the second W
    // brings it to 40000·40000 + 40000 + 40000·40000)
    IllegalArgumentException e = refused(config(List.of(40_000), List.of(dense(40_000), dense(40_000))));
    assertTrue(e.getMessage().contains("layer 1 (dense)"), e.getMessage());
    assertTrue(e.getMessage().contains("3200040000"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(Network.MAX_PARAMETERS)), e.getMessage());
  }

  @Test
  void anInputOfTwoBillionValuesIsRefusedNamingTheShapeAndTheLimit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config(List.of(2_000_000_000), List.of(dense(10))));
    assertTrue(e.getMessage().contains("input_shape"), e.getMessage());
    assertTrue(e.getMessage().contains("2000000000"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(Network.MAX_EXAMPLE_SIZE)), e.getMessage());
  }

  @Test
  void aNetworkLargerThanThisJvmsHeapIsRefusedBeforeAllocating() {
    // 10^8 inputs to 20 units: 2e9 parameters, 16 GB with their gradients; the tests run with -Xmx3g
    long heap = Runtime.getRuntime().maxMemory();
    IllegalArgumentException e = refused(config(List.of(100_000_000), List.of(dense(20))));
    assertTrue(e.getMessage().contains("2000000020 parameters"), e.getMessage() + " (max heap " + heap + ")");
    assertTrue(e.getMessage().contains("heap"), e.getMessage() + " (max heap " + heap + ")");
  }

  @Test
  void aBatchWhoseWorkspaceOverflowsAnArrayIsRefusedNamingTheLayerAndTheBatch() {
    Network net = new Network(config(List.of(1 << 24), List.of(Map.of("type", "activation", "activation", "relu"))),
        Gemms.factory("ejml").get());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.ensureCapacity(256));
    assertTrue(e.getMessage().contains("batch of 256"), e.getMessage());
    assertTrue(e.getMessage().contains("activation_0"), e.getMessage());
    assertTrue(e.getMessage().contains("16777216"), e.getMessage());
  }

  @Test
  void aBatchWhoseWorkspacesExceedTheHeapIsRefusedBeforeAllocating() {
    // 2^22 values per example at batch 128: outputs and deltas alone need 4 GiB
    Network net = new Network(config(List.of(1 << 22), List.of(Map.of("type", "activation", "activation", "relu"))),
        Gemms.factory("ejml").get());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.ensureCapacity(128));
    assertTrue(e.getMessage().contains("batch of 128"), e.getMessage());
    assertTrue(e.getMessage().contains("heap"), e.getMessage());
  }

  @Test
  void theLayoutOfAConfigIsComputedWithoutAllocatingItsParameters() {
    // 10^8 x 20 weights would need 8 GB as a float[]: the layout alone is a few objects
    ParameterLayout layout = Network.layoutOf(config(List.of(100_000_000), List.of(dense(20))));
    assertEquals(2_000_000_020, layout.size());
    assertEquals(Shape.of(20, 100_000_000), layout.tensor("dense_0/W").shape());
  }
}
