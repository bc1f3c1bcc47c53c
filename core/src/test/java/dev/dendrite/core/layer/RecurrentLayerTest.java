package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.linalg.BlasGemm;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.ParameterTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recurrent layers: hand-computed forwards, shapes and layout, configs and their errors, initializers. */
class RecurrentLayerTest {

  private static final float[] X12 = {1f, 2f}; // one example, T = 2 steps of F = 1 feature

  private static void set(Network net, String tensor, float... values) {
    ParameterTensor t = net.layout().tensor(tensor);
    assertEquals(t.size(), values.length, tensor);
    System.arraycopy(values, 0, net.parameterArray(), t.offset(), values.length);
  }

  private static Network oneUnit(LayerConfig layer) {
    return new Network(new NetworkConfig(new int[] {2, 1}, List.of(layer)), new EjmlGemm());
  }

  @Test
  void simpleRnnForwardByHand() {
    // W = 0.5, U = -1, b = 0.1, x = (1, 2):
    //   h_0 = tanh(0.5·1 + 0.1)                 = tanh(0.6)                = 0.5370496
    //   h_1 = tanh(0.5·2 - 1·0.5370496 + 0.1)   = tanh(0.5629504)          = 0.5101633
    for (boolean sequences : new boolean[] {false, true}) {
      Network net = oneUnit(SimpleRnnConfig.of(1, sequences));
      set(net, "simple_rnn_0/W", 0.5f);
      set(net, "simple_rnn_0/U", -1f);
      set(net, "simple_rnn_0/b", 0.1f);
      float[] y = net.forward(X12, 0, 1, false, null);
      float[] expected = sequences ? new float[] {0.5370496f, 0.5101633f} : new float[] {0.5101633f};
      assertArrayEquals(expected, Arrays.copyOf(y, expected.length), 1e-6f);
    }
  }

  @Test
  void lstmForwardByHand() {
    // Gates i, f, g, o: W = (0.5, -0.5, 1, 0.25), U = (0.1, 0.2, -0.3, 0.4), b = (0, 1, 0, 0), x = (1, 2).
    // t = 0: z = (0.5, 0.5, 1, 0.25); i = f = σ(0.5) = 0.6224593, g = tanh 1 = 0.7615942, o = σ(0.25) = 0.5621765
    //        c_0 = 0.6224593·0 + 0.6224593·0.7615942 = 0.4740614;  h_0 = 0.5621765·tanh(0.4740614) = 0.2481869
    // t = 1: z = 2W + h_0 U + b = (1.0248187, 0.0496374, 1.9255439, 0.5992747)
    //        i = 0.7359102, f = 0.5124068, g = 0.9583717, o = 0.6454904
    //        c_1 = 0.5124068·0.4740614 + 0.7359102·0.9583717 = 0.9481877;  h_1 = 0.6454904·tanh(0.9481877) = 0.4769925
    Network net = oneUnit(LstmConfig.of(1, true));
    set(net, "lstm_0/W", 0.5f, -0.5f, 1f, 0.25f);
    set(net, "lstm_0/U", 0.1f, 0.2f, -0.3f, 0.4f);
    set(net, "lstm_0/b", 0f, 1f, 0f, 0f);
    float[] y = net.forward(X12, 0, 1, false, null);
    assertArrayEquals(new float[] {0.2481869f, 0.4769925f}, Arrays.copyOf(y, 2), 1e-6f);
    LstmLayer lstm = (LstmLayer) net.layers().get(0);
    assertArrayEquals(new float[] {0.4740614f, 0.9481877f}, Arrays.copyOf(lstm.cellStates(), 2), 1e-6f);
  }

  @Test
  void gruForwardByHand() {
    // Gates r, z, n: W = (0.5, -0.5, 1), U = (0.1, 0.2, -0.3), b = (0, 0, 0.1), bh = (0, 0, 0.2), x = (1, 2).
    // t = 0: gx = (0.5, -0.5, 1.1), gh = bh = (0, 0, 0.2); r = σ(0.5) = 0.6224593, z = σ(-0.5) = 0.3775407,
    //        n = tanh(1.1 + 0.6224593·0.2) = 0.8409742;  h_0 = (1 - z)·n + z·0 = 0.5234722
    // t = 1: gx = (1, -1, 2.1), gh = U h_0 + bh = (0.0523472, 0.1046944, 0.0429583)
    //        r = σ(1.0523472) = 0.7412254, z = σ(-0.8953056) = 0.2900162, n = tanh(2.1 + r·0.0429583) = 0.9722497
    //        h_1 = 0.7099838·0.9722497 + 0.2900162·0.5234722 = 0.8420970
    Network net = oneUnit(GruConfig.of(1, true));
    set(net, "gru_0/W", 0.5f, -0.5f, 1f);
    set(net, "gru_0/U", 0.1f, 0.2f, -0.3f);
    set(net, "gru_0/b", 0f, 0f, 0.1f);
    set(net, "gru_0/bh", 0f, 0f, 0.2f);
    float[] y = net.forward(X12, 0, 1, false, null);
    assertArrayEquals(new float[] {0.5234722f, 0.8420970f}, Arrays.copyOf(y, 2), 1e-6f);
  }

  @Test
  void parameterLayoutAndShapes() {
    Network net = Network.builder(7, 3).simpleRnn(5, true).lstm(4, true).gru(2, false).dense(1).seed(3).build();
    List<String> names = net.layout().tensors().stream().map(t -> t.name() + t.shape()).toList();
    assertEquals(List.of(
        "simple_rnn_0/W[5, 3]", "simple_rnn_0/U[5, 5]", "simple_rnn_0/b[5]",
        "lstm_1/W[16, 5]", "lstm_1/U[16, 4]", "lstm_1/b[16]",
        "gru_2/W[6, 4]", "gru_2/U[6, 2]", "gru_2/b[6]", "gru_2/bh[6]",
        "dense_3/W[1, 2]", "dense_3/b[1]"), names);
    assertEquals("[7, 5]", net.layers().get(0).outputShape().toString());
    assertEquals("[7, 4]", net.layers().get(1).outputShape().toString());
    assertEquals("[2]", net.layers().get(2).outputShape().toString());
  }

  @Test
  void initializersOrthogonalRecurrentBlocksAndForgetBias() {
    int u = 6;
    Network net = Network.builder(5, 3).lstm(u, false).seed(11).build();
    float[] p = net.parameterArray();
    ParameterTensor uT = net.layout().tensor("lstm_0/U");
    for (int gate = 0; gate < 4; gate++) {
      // each gate's block U_k [u, u] is orthogonal: U_k U_kᵀ = I
      for (int i = 0; i < u; i++) {
        for (int j = 0; j < u; j++) {
          double dot = 0;
          for (int k = 0; k < u; k++) {
            dot += p[uT.offset() + (gate * u + i) * u + k] * p[uT.offset() + (gate * u + j) * u + k];
          }
          assertEquals(i == j ? 1.0 : 0.0, dot, 1e-5, "gate " + gate + " rows " + i + ", " + j);
        }
      }
    }
    ParameterTensor b = net.layout().tensor("lstm_0/b");
    for (int j = 0; j < 4 * u; j++) {
      assertEquals(j >= u && j < 2 * u ? 1f : 0f, p[b.offset() + j], "b[" + j + "]");
    }
    // Without unit_forget_bias, b is all bias_init; a scaled orthogonal U has singular values = gain.
    Network plain = Network.builder(5, 3).add(LstmConfig.of(u, false).withInit("glorot_uniform", "orthogonal(2)",
        "zeros", false)).seed(11).build();
    ParameterTensor pb = plain.layout().tensor("lstm_0/b");
    for (int j = 0; j < 4 * u; j++) {
      assertEquals(0f, plain.parameterArray()[pb.offset() + j]);
    }
    ParameterTensor pu = plain.layout().tensor("lstm_0/U");
    double rowNorm = 0;
    for (int k = 0; k < u; k++) {
      rowNorm += Math.pow(plain.parameterArray()[pu.offset() + k], 2);
    }
    assertEquals(4.0, rowNorm, 1e-4);
  }

  @Test
  void manyToOneIsTheLastStepOfManyToMany() {
    float[] x = uniform(5, 3 * 6 * 2);
    for (LayerConfig[] pair : new LayerConfig[][] {
        {SimpleRnnConfig.of(4, false), SimpleRnnConfig.of(4, true)},
        {LstmConfig.of(4, false), LstmConfig.of(4, true)},
        {GruConfig.of(4, false), GruConfig.of(4, true)}}) {
      Network last = Network.builder(6, 2).add(pair[0]).seed(9).build();
      Network all = Network.builder(6, 2).add(pair[1]).seed(9).build();
      assertArrayEquals(last.parameters(), all.parameters());
      float[] yLast = last.forward(x, 0, 3, false, null).clone();
      float[] yAll = all.forward(x, 0, 3, false, null);
      for (int r = 0; r < 3; r++) {
        assertArrayEquals(Arrays.copyOfRange(yAll, (r * 6 + 5) * 4, (r * 6 + 6) * 4),
            Arrays.copyOfRange(yLast, r * 4, r * 4 + 4), pair[0].type());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void examplesOfABatchAreIndependent(String type) {
    // A batch of 3 gives each example what it gets alone: the strided per-step GEMMs pick the right rows.
    int t = 5;
    int f = 2;
    float[] x = uniform(6, 3 * t * f);
    Network net = Network.builder(t, f).add(config(type, 3, true, 0)).seed(4).build();
    float[] batch = net.forward(x, 0, 3, false, null).clone();
    for (int r = 0; r < 3; r++) {
      float[] alone = net.forward(x, r * t * f, 1, false, null);
      assertArrayEquals(Arrays.copyOfRange(batch, r * t * 3, (r + 1) * t * 3), Arrays.copyOf(alone, t * 3), 1e-6f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void ejmlAndBlasAgree(String type) {
    float[] x = uniform(7, 4 * 6 * 3);
    float[] targets = uniform(8, 4 * 2);
    float[][] grads = new float[2][];
    float[][] outs = new float[2][];
    Gemm[] gemms = {new EjmlGemm(), BlasGemm.defaultInstance()};
    for (int i = 0; i < 2; i++) {
      Network net = Network.builder(6, 3).add(config(type, 5, true, 0)).add(config(type, 4, false, 0)).dense(2)
          .gemm(gemms[i]).seed(12).build();
      net.computeGradients(x, 0, targets, 0, null, 0, 4, new MeanSquaredError(), 0.25f, null);
      grads[i] = net.gradientArray().clone();
      outs[i] = net.lastOutput().clone();
    }
    assertArrayEquals(outs[0], outs[1], 1e-5f);
    assertArrayEquals(grads[0], grads[1], 1e-5f);
    assertFalse(Arrays.equals(new float[grads[0].length], grads[0]));
  }

  static LayerConfig config(String type, int units, boolean sequences, int truncate) {
    return switch (type) {
      case "simple_rnn" -> SimpleRnnConfig.of(units, sequences).withTruncate(truncate);
      case "lstm" -> LstmConfig.of(units, sequences).withTruncate(truncate);
      case "gru" -> GruConfig.of(units, sequences).withTruncate(truncate);
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static float[] uniform(long seed, int n) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return v;
  }

  // ---------------------------------------------------------------- configs

  @Test
  void configsRoundTripThroughTheirMaps() {
    List<LayerConfig> configs = List.of(
        SimpleRnnConfig.of(8, true).withTruncate(3).withRegularization(0.01, 0.02),
        new LstmConfig(16, false, 5, "he_uniform", "orthogonal(1.5)", "constant(0.1)", false, 0, 1e-4),
        GruConfig.of(4, true).withInit("lecun_normal", "glorot_uniform", "uniform(0.1)"));
    for (LayerConfig c : configs) {
      assertEquals(c, LayerConfigs.fromMap("layers[0]", c.toMap()));
    }
    assertEquals(List.of("type", "units", "return_sequences", "truncate", "kernel_init", "recurrent_init",
        "bias_init", "unit_forget_bias", "l1", "l2"), List.copyOf(configs.get(1).toMap().keySet()));
  }

  @Test
  void configDefaultsAreKeras() {
    LstmConfig lstm = (LstmConfig) LayerConfigs.fromMap("layers[0]", Map.of("type", "lstm", "units", 3));
    assertEquals(LstmConfig.of(3, false), lstm);
    assertTrue(lstm.unitForgetBias());
    assertEquals("orthogonal", lstm.recurrentInit());
    assertEquals(0, lstm.truncate());
    assertEquals(SimpleRnnConfig.of(2, true),
        LayerConfigs.fromMap("l", Map.of("type", "simple_rnn", "units", 2, "return_sequences", true)));
    assertEquals(GruConfig.of(2, false), LayerConfigs.fromMap("l", Map.of("type", "gru", "units", 2)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void badConfigsNameTheKeyAndTheValue(String type) {
    assertMessage(Map.of("type", type, "units", 0), "network.layers[1].units", "got 0");
    assertMessage(Map.of("type", type, "units", -3), "network.layers[1].units", "got -3");
    assertMessage(Map.of("type", type, "units", 4, "truncate", -1), "network.layers[1].truncate", "got -1");
    assertMessage(Map.of("type", type, "units", 4, "recurrent_init", "orthogonl"),
        "network.layers[1].recurrent_init", "orthogonl");
    assertMessage(Map.of("type", type, "units", 4, "return_sequence", true),
        "network.layers[1].return_sequence", "unknown key");
    ConfigException e = assertThrows(ConfigException.class, () -> config(type, 4, false, -2));
    assertTrue(e.getMessage().startsWith("truncate: "), e.getMessage());
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
  }

  private static void assertMessage(Map<String, Object> map, String key, String value) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[1]", new LinkedHashMap<>(map)));
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void anInputThatIsNotASequenceFails(String type) {
    for (int[] shape : new int[][] {{784}, {1, 28, 28}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Network(new NetworkConfig(shape, List.of(config(type, 4, false, 0))), new EjmlGemm()));
      String input = Arrays.toString(shape);
      assertTrue(e.getMessage().contains("input shape " + input), e.getMessage());
      assertTrue(e.getMessage().contains("rank " + shape.length), e.getMessage());
      assertTrue(e.getMessage().contains("[steps, features]"), e.getMessage());
    }
  }

  @Test
  void truncationLongerThanTheSequenceIsAllowed() {
    // truncate ≥ T means full backpropagation through time; it is not an error for shorter inputs.
    Network net = Network.builder(3, 1).add(LstmConfig.of(2, true).withTruncate(50)).seed(1).build();
    assertEquals(3 * 2, net.outputSize());
  }

  @Test
  void aModelFileRoundTripGivesTheSamePredictions() throws Exception {
    Network net = Network.builder(6, 2).add(LstmConfig.of(5, true).withTruncate(3))
        .add(GruConfig.of(4, true).withRegularization(0, 1e-4)).add(SimpleRnnConfig.of(3, false)).dense(2)
        .seed(21).build();
    float[] x = uniform(22, 4 * 6 * 2);
    float[] before = net.forward(x, 0, 4, false, null).clone();
    SavedModel back = ModelFile.read(ModelFile.toBytes(SavedModel.of(net)), "round trip");
    assertEquals(net.config().layers(), back.network().layers());
    Network loaded = back.toNetwork();
    assertArrayEquals(before, loaded.forward(x, 0, 4, false, null));
  }
}
