package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.SteadyAllocation;
import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PReLU and maxout: configs, layouts, and forward/backward numbers worked by hand. */
class PReluMaxoutTest {

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void configsRoundTripThroughTheirMaps() {
    for (LayerConfig c : new LayerConfig[] {PReluConfig.of(), new PReluConfig("uniform(0.1)"),
        MaxoutConfig.of(4, 3), new MaxoutConfig(2, 5, "he_normal", "constant(0.1)", 0.01, 0.02)}) {
      assertEquals(c, LayerConfigs.fromMap("layers[0]", c.toMap()));
    }
    assertEquals(map("type", "prelu", "alpha_init", "constant(0.25)"), PReluConfig.of().toMap());
    assertEquals(map("type", "maxout", "units", 4, "pieces", 3, "kernel_init", "glorot_uniform",
        "bias_init", "zeros", "l1", 0.0, "l2", 0.0), MaxoutConfig.of(4, 3).toMap());
  }

  @Test
  void defaultsWhenKeysAreLeftOut() {
    assertEquals(PReluConfig.of(), LayerConfigs.fromMap("l", map("type", "prelu")));
    assertEquals(MaxoutConfig.of(3, 2), LayerConfigs.fromMap("l", map("type", "maxout", "units", 3, "pieces", 2)));
  }

  @Test
  void badValuesAreRejectedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[2]", map("type", "maxout", "units", 3, "pieces", 1)));
    assertTrue(e.getMessage().contains("network.layers[2].pieces"), e.getMessage());
    assertTrue(e.getMessage().contains("got 1"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[2]", map("type", "maxout", "units", 0, "pieces", 2)));
    assertTrue(e.getMessage().contains("units"), e.getMessage());
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[0]", map("type", "maxout", "pieces", 2)));
    assertTrue(e.getMessage().contains("network.layers[0].units"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[1]", map("type", "prelu", "alpha", 0.1)));
    assertTrue(e.getMessage().contains("network.layers[1].alpha"), e.getMessage());
    assertTrue(e.getMessage().contains("alpha_init"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[1]", map("type", "prelu", "alpha_init", "bogus")));
    assertTrue(e.getMessage().contains("bogus"), e.getMessage());
    assertThrows(ConfigException.class, () -> new MaxoutConfig(2, 2, "zeros", "zeros", -1, 0));
    assertThrows(ConfigException.class, () -> new MaxoutConfig(1 << 16, 1 << 16, "zeros", "zeros", 0, 0));
  }

  @Test
  void builderLayoutAndInitialValues() {
    Network net = Network.builder(2, 3).prelu().maxout(4, 3).prelu("constant(0.1)")
        .gemm(new EjmlGemm()).seed(3).build();
    assertEquals(Shape.of(2, 3), net.layout().tensor("prelu_0/alpha").shape());
    assertEquals(Shape.of(12, 6), net.layout().tensor("maxout_1/W").shape());
    assertEquals(Shape.of(12), net.layout().tensor("maxout_1/b").shape());
    assertEquals(Shape.of(4), net.layout().tensor("prelu_2/alpha").shape());
    assertEquals(Shape.of(4), net.outputShape());
    float[] p = net.parameters();
    for (int i = 0; i < 6; i++) {
      assertEquals(0.25f, p[i]);
    }
    for (int i = p.length - 4; i < p.length; i++) {
      assertEquals(0.1f, p[i]);
    }
    NetworkConfig config = net.config();
    assertEquals(config, NetworkConfig.read(new ConfigMap("network", config.toMap())));
  }

  @Test
  void preluForwardAndBackwardByHand() {
    Network net = Network.builder(3).prelu().gemm(new EjmlGemm()).build();
    net.setParameters(new float[] {0.25f, 0.5f, -0.1f});
    float[] x = {2f, -4f, 0f, -1f, 3f, -2f}; // two rows
    assertArrayEquals(new float[] {2f, -2f, 0f}, net.predict(new float[] {2f, -4f, 0f}), 1e-7f); // α·0 = -0
    assertArrayEquals(new float[] {-0.25f, 3f, 0.2f}, net.predict(new float[] {-1f, 3f, -2f}));

    // As the only layer there is no dX; the loss Σ y (gradient of "sum" via MSE against y - 0.5).
    Layer prelu = net.layers().get(0);
    float[] params = net.parameterArray();
    float[] grads = new float[3];
    prelu.bind(params, grads, 0);
    float[] y = new float[6];
    prelu.forward(x, 0, y, 2, true, null);
    float[] dY = {1f, 1f, 1f, 2f, 2f, 2f};
    float[] dX = new float[6];
    prelu.backward(x, 0, y, dY, dX, 2);
    // dα_j = Σ_rows dY·x where x ≤ 0: α0: row 1 (x=-1, dY=2) → -2; α1: row 0 (x=-4) → -4;
    // α2: row 0 (x=0, adds 0) and row 1 (x=-2, dY=2) → -4
    assertArrayEquals(new float[] {-2f, -4f, -4f}, grads);
    // dX = dY where x > 0, α·dY where x ≤ 0 (x = 0 takes the negative branch: -0.1·1)
    assertArrayEquals(new float[] {1f, 0.5f, -0.1f, 0.5f, 2f, -0.2f}, dX);
  }

  @Test
  void maxoutForwardAndBackwardByHand() {
    // 2 inputs, 2 units × 2 pieces; W rows are unit-major: [u0p0, u0p1, u1p0, u1p1]
    Network net = Network.builder(2).maxout(2, 2).gemm(new EjmlGemm()).build();
    float[] w = {
        1f, 0f,   // unit 0, piece 0: z = x0
        0f, 1f,   // unit 0, piece 1: z = x1
        1f, 1f,   // unit 1, piece 0: z = x0 + x1
        -1f, 0f}; // unit 1, piece 1: z = -x0 + 0.5 (bias)
    float[] b = {0f, 0f, 0f, 0.5f};
    float[] params = new float[12];
    System.arraycopy(w, 0, params, 0, 8);
    System.arraycopy(b, 0, params, 8, 4);
    net.setParameters(params);
    MaxoutLayer layer = (MaxoutLayer) net.layers().get(0);
    float[] x = {2f, 3f, -1f, -1f}; // two rows
    float[] y = net.forward(x, 0, 2, false, null);
    // row 0: unit 0 = max(2, 3) = 3 (piece 1); unit 1 = max(5, -1.5) = 5 (piece 0)
    // row 1: unit 0 = max(-1, -1) = -1, a tie: piece 0; unit 1 = max(-2, 1.5) = 1.5 (piece 1)
    assertArrayEquals(new float[] {3f, 5f, -1f, 1.5f}, java.util.Arrays.copyOf(y, 4));
    assertArrayEquals(new int[] {1, 0, 0, 1}, java.util.Arrays.copyOf(layer.argmax(), 4));

    float[] grads = new float[12];
    layer.bind(net.parameterArray(), grads, 0);
    float[] dY = {1f, 2f, 3f, 4f};
    float[] dX = new float[4];
    layer.backward(x, 0, y, dY, dX, 2);
    // dW row u0p1 += 1·x_row0; u1p0 += 2·x_row0; u0p0 += 3·x_row1; u1p1 += 4·x_row1
    assertArrayEquals(new float[] {-3f, -3f, 2f, 3f, 4f, 6f, -4f, -4f}, java.util.Arrays.copyOf(grads, 8));
    assertArrayEquals(new float[] {3f, 1f, 2f, 4f}, java.util.Arrays.copyOfRange(grads, 8, 12));
    // dX row 0 = 1·W[u0p1] + 2·W[u1p0] = (2, 3); row 1 = 3·W[u0p0] + 4·W[u1p1] = (-1, 0)
    assertArrayEquals(new float[] {2f, 3f, -1f, 0f}, dX);
  }

  @Test
  void aSteadyStateStepAllocatesNothing() {
    int batch = 32;
    Network net = Network.builder(20).maxout(16, 3).prelu().dense(4).seed(1).build();
    float[] x = new float[batch * 20];
    float[] t = new float[batch * 4];
    dev.dendrite.core.random.Rng data = new dev.dendrite.core.random.Rng(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = data.nextFloat() - 0.5f;
    }
    dev.dendrite.core.loss.Loss loss = new dev.dendrite.core.loss.MeanSquaredError();
    Runnable step = () -> net.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f / batch, null);
    for (int i = 0; i < 50; i++) {
      step.run();
    }
    long perStep = SteadyAllocation.bytesPerCall(step, 100, 256);
    assertTrue(perStep < 256, "a step through maxout and prelu allocated " + perStep + " bytes");
  }

  @Test
  void aModelFileKeepsTheLayersAndTheirParameters() throws java.io.IOException {
    Network net = Network.builder(3).maxout(4, 2).prelu("uniform(0.3)").dense(2).gemm(new EjmlGemm())
        .seed(4).build();
    dev.dendrite.core.io.SavedModel back = dev.dendrite.core.io.ModelFile.read(
        dev.dendrite.core.io.ModelFile.toBytes(dev.dendrite.core.io.SavedModel.of(net)), "memory");
    assertEquals(net.config(), back.network());
    assertArrayEquals(net.parameters(), back.parameters());
    Network copy = net.copy();
    float[] row = {0.3f, -0.7f, 0.2f};
    assertArrayEquals(net.predict(row), copy.predict(row));
  }

  @Test
  void activationNamesPointToTheLayers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DenseConfig(3, "prelu", "zeros", "zeros", 0, 0));
    assertTrue(e.getMessage().contains(".prelu("), e.getMessage());
  }
}
