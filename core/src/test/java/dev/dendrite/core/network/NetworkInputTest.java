package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.random.Rng;
import org.junit.jupiter.api.Test;

/** Bad input gets an exception whose message names the problem and the value. */
class NetworkInputTest {

  private final Network net = Network.builder(3).dense(4, "relu").dense(2, "softmax").seed(7).build();

  @Test
  void wrongInputWidthIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.predict(new float[][] {{1, 2, 3}, {1, 2}}));
    assertTrue(e.getMessage().contains("input row 1 has 2 features, the network expects 3"), e.getMessage());
  }

  @Test
  void tooShortBatchArrayIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(new float[5], 0, 2, false, null));
    assertTrue(e.getMessage().contains("2 examples of width 3 need 6"), e.getMessage());
  }

  @Test
  void nanInInputIsNamed() {
    float[] x = {1, 2, 3, 4, Float.NaN, 6};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.computeGradients(x, 0, new float[] {0, 1}, 0, null, 0, 2,
            new SparseCategoricalCrossEntropy(), 0.5f, new Rng(1)));
    assertTrue(e.getMessage().contains("input example 1, feature 1 is NaN"), e.getMessage());
  }

  @Test
  void labelOutsideTheClassesIsNamed() {
    float[] x = {1, 2, 3, 4, 5, 6};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.computeGradients(x, 0, new float[] {0, 2}, 0, null, 0, 2,
            new SparseCategoricalCrossEntropy(), 0.5f, new Rng(1)));
    assertTrue(e.getMessage().contains("example 1"), e.getMessage());
    assertTrue(e.getMessage().contains("label 2.0 is not a class index in [0, 2)"), e.getMessage());
  }

  @Test
  void nonPositiveBatchIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(new float[3], 0, 0, false, null));
    assertTrue(e.getMessage().contains("batch size must be > 0, got 0"), e.getMessage());
  }

  @Test
  void badLayerConfigIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Network.builder(3).dense(0, "relu"));
    assertTrue(e.getMessage().contains("units"), e.getMessage());
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Network.builder(3).dense(4, "relux"));
    assertTrue(e.getMessage().contains("unknown activation 'relux'"), e.getMessage());
  }

  @Test
  void parametersRoundTripBitExactly() {
    float[] p = net.parameters();
    Network other = Network.builder(3).dense(4, "relu").dense(2, "softmax").seed(99).build();
    other.setParameters(p);
    assertArrayEquals(p, other.parameters());
    assertArrayEquals(net.predict(new float[] {0.5f, -1f, 2f}), other.predict(new float[] {0.5f, -1f, 2f}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> other.setParameters(new float[3]));
    assertTrue(e.getMessage().contains("length 3"), e.getMessage());
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    float[] a = Network.builder(3).dense(4, "relu").dense(2, "softmax").seed(7).build().parameters();
    float[] c = Network.builder(3).dense(4, "relu").dense(2, "softmax").seed(8).build().parameters();
    assertArrayEquals(a, net.parameters());
    assertEquals(false, java.util.Arrays.equals(a, c));
  }
}
