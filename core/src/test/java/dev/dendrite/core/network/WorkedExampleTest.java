package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import org.junit.jupiter.api.Test;

/**
 * The lecture's worked example, number by number: x = (2, -1); hidden unit w1 = 1.5, w2 = 2, b1 = 3,
 * ReLU; output ŷ = w3·h + b2 with w3 = 2.5, b2 = -2; target y = 6; loss (ŷ - y)².
 */
class WorkedExampleTest {

  private static final float[] X = {2f, -1f};
  private static final float[] Y = {6f};

  private Network network() {
    Network net = Network.builder(2)
        .add(new DenseConfig(1, "relu", "zeros", "zeros", 0, 0))
        .add(new DenseConfig(1, "identity", "zeros", "zeros", 0, 0))
        .gemm(new EjmlGemm())
        .build();
    // layout: dense_0/W [1,2], dense_0/b [1], dense_1/W [1,1], dense_1/b [1]
    net.setParameters(new float[] {1.5f, 2f, 3f, 2.5f, -2f});
    return net;
  }

  @Test
  void forwardAndGradientsMatchTheLecture() {
    Network net = network();
    assertEquals(5, net.parameterCount());
    assertEquals(0, net.layout().tensor("dense_0/W").offset());
    assertEquals(3, net.layout().tensor("dense_1/W").offset());

    double loss = net.computeGradients(X, 0, Y, 0, null, 0, 1, new MeanSquaredError(), 1f, null);
    Network probe = network();
    float[] out = probe.forward(X, 0, 1, false, null);
    assertEquals(8f, out[0], 1e-6, "ŷ = 2.5 · 4 - 2");
    assertEquals(4.0, loss, 1e-6, "L = (8 - 6)²");

    float[] g = net.gradients(new float[5]);
    assertEquals(20f, g[0], 1e-5, "∂L/∂w1 = 2(ŷ-y)·w3·x1 = 4·2.5·2");
    assertEquals(-10f, g[1], 1e-5, "∂L/∂w2 = 4·2.5·(-1)");
    assertEquals(10f, g[2], 1e-5, "∂L/∂b1 = 4·2.5");
    assertEquals(16f, g[3], 1e-5, "∂L/∂w3 = 4·h = 4·4");
    assertEquals(4f, g[4], 1e-5, "∂L/∂b2 = 2(ŷ-y)");
  }

  @Test
  void oneSgdStepGivesTheLecturesNewPrediction() {
    Network net = network();
    net.computeGradients(X, 0, Y, 0, null, 0, 1, new MeanSquaredError(), 1f, null);
    float[] p = net.parameters();
    float[] g = net.gradients(new float[5]);
    float lr = 0.01f;
    // The lecture updates the three weights it differentiated (w1, b1, w3) and keeps w2 and b2.
    float[] lecture = p.clone();
    for (int i : new int[] {0, 2, 3}) {
      lecture[i] -= lr * g[i];
    }
    assertEquals(1.3f, lecture[0], 1e-6);
    assertEquals(2.9f, lecture[2], 1e-6);
    assertEquals(2.34f, lecture[3], 1e-6);
    net.setParameters(lecture);
    // z = 1.3·2 + 2·(-1) + 2.9 = 3.5; ŷ = 2.34·3.5 - 2 = 6.19
    assertEquals(6.19f, net.predict(X)[0], 1e-4);

    // The full SGD step moves every parameter: w2 = 2.1, b2 = -2.04, so ŷ = 2.34·3.4 - 2.04 = 5.916.
    float[] full = p.clone();
    for (int i = 0; i < full.length; i++) {
      full[i] -= lr * g[i];
    }
    net.setParameters(full);
    assertEquals(5.916f, net.predict(X)[0], 1e-4);
  }
}
