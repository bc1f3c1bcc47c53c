package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.loss.SumSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sampling layer's numbers worked by hand: the KL term, z = μ + σ·ε, and z = μ at inference. */
class SamplingLayerTest {

  // two examples of k = 2: [μ1, μ2, log σ²1, log σ²2]
  private static final float LN2 = (float) Math.log(2);
  private static final float[] X = {1f, 0f, 0f, LN2, 0f, -2f, -1f, 0f};

  private static Network samplingOnly(double beta) {
    return Network.builder(4).add(new SamplingConfig(beta)).seed(1).build();
  }

  @Test
  void theKlTermMatchesTheClosedFormWorkedByHand() {
    // KL = ½ Σ_j (μ² + σ² − 1 − log σ²)
    // example 1: ½ [(1 + 1 − 1 − 0) + (0 + 2 − 1 − ln 2)] = 1 − ½ ln 2 = 0.6534264
    // example 2: ½ [(0 + e⁻¹ − 1 + 1) + (4 + 1 − 1 − 0)] = 2 + 1/(2e) = 2.1839397
    double kl1 = 1 - 0.5 * Math.log(2);
    double kl2 = 2 + 0.5 / Math.E;
    Network net = samplingOnly(0.5);
    float[] mu = {1f, 0f, 0f, -2f}; // targets: the means, so at inference the reconstruction costs 0
    double loss = net.loss(X, 0, mu, 0, null, 0, 2, new SumSquaredError());
    assertEquals(0.6534264, kl1, 1e-7);
    assertEquals(2.1839397, kl2, 1e-7);
    assertEquals(kl1 + kl2, net.lastLossTerm(0), 1e-6, "the unweighted term, summed over the batch");
    assertEquals(0.5 * (kl1 + kl2), loss, 1e-6, "β · KL is in the loss");
    assertEquals(List.of("kl"), net.lossTermNames());
    float[] kl = ((SamplingLayer) net.layers().get(0)).divergences();
    assertEquals(kl1, kl[0], 1e-6);
    assertEquals(kl2, kl[1], 1e-6);
    // example weights weigh the term per example
    net.loss(X, 0, mu, 0, new float[] {2f, 0f}, 0, 2, new SumSquaredError());
    assertEquals(2 * kl1, net.lastLossTerm(0), 1e-6);
  }

  @Test
  void trainingDrawsZFromTheReparameterizationAndInferenceGivesTheMean() {
    Network net = samplingOnly(1);
    float[] z = net.forward(X, 0, 2, true, new Rng(9)).clone();
    float[] eps = ((SamplingLayer) net.layers().get(0)).noise();
    float[] expected = {
        1f + eps[0], 0f + (float) Math.sqrt(2) * eps[1],
        0f + (float) Math.exp(-0.5) * eps[2], -2f + eps[3]};
    assertArrayEquals(expected, z, 1e-6f, "z = μ + exp(½ log σ²)·ε");
    float[] again = net.forward(X, 0, 2, true, new Rng(9));
    assertArrayEquals(z, again, "the same seed draws the same ε");
    assertArrayEquals(new float[] {1f, 0f, 0f, -2f}, net.forward(X, 0, 2, false, null), "inference: z = μ");
  }

  @Test
  void theKlGradientReachesTheEncoderOutputs() {
    // sampling after an identity dense layer whose weights are the identity: ∂loss/∂b is ∂loss/∂x
    Network net = Network.builder(4).add(new DenseConfig(4, "identity", "zeros", "zeros", 0, 0))
        .add(new SamplingConfig(1)).seed(1).build();
    float[] p = new float[20];
    for (int i = 0; i < 4; i++) {
      p[i * 4 + i] = 1f;
    }
    net.setParameters(p);
    float[] x = {1f, 0f, 0f, LN2}; // one example
    // targets equal to z make the reconstruction gradient 0; only the KL's gradient is left
    float[] z = net.forward(x, 0, 1, true, new Rng(4)).clone();
    net.computeGradients(x, 0, z, 0, null, 0, 1, new SumSquaredError(), 1f, new Rng(4));
    float[] g = net.gradients(new float[20]);
    // ∂KL/∂μ = μ = (1, 0); ∂KL/∂v = (σ² − 1)/2 = (0, ½)
    assertArrayEquals(new float[] {1f, 0f, 0f, 0.5f}, java.util.Arrays.copyOfRange(g, 16, 20), 1e-6f,
        "gradient of the bias = ∂KL/∂[μ, log σ²]");
  }

  @Test
  void configReadsBetaWithDefaultOneAndRefusesBadValues() {
    assertEquals(new SamplingConfig(1.0), LayerConfigs.fromMap("network.layers[2]", Map.of("type", "sampling")));
    assertEquals(new SamplingConfig(0.5),
        LayerConfigs.fromMap("network.layers[2]", Map.of("type", "sampling", "beta", 0.5)));
    ConfigException e = assertThrows(ConfigException.class,
        () -> LayerConfigs.fromMap("network.layers[2]", Map.of("type", "sampling", "beta", -1)));
    assertTrue(e.getMessage().contains("network.layers[2].beta") && e.getMessage().contains("-1"), e.getMessage());
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> Network.builder(5).add(new SamplingConfig(1)).build());
    assertTrue(odd.getMessage().contains("even width 2k") && odd.getMessage().contains("[5]"), odd.getMessage());
    assertEquals(Map.of("type", "sampling", "beta", 0.5), new SamplingConfig(0.5).toMap());
  }
}
