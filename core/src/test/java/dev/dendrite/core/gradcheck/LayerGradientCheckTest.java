package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.ActivationConfig;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.DropoutConfig;
import dev.dendrite.core.layer.DropoutLayer;
import dev.dendrite.core.layer.MaxoutConfig;
import dev.dendrite.core.layer.PReluConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.CategoricalCrossEntropy;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkBuilder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every layer type passes the gradient check, including dX of inner layers and example weights. */
class LayerGradientCheckTest {

  private static final int BATCH = 5;
  private static final float[] X4 = uniform(21, BATCH * 4, -1, 1);
  private static final float[] T3 = uniform(22, BATCH * 3, -1, 1);
  private static final float[] T2 = uniform(23, BATCH * 2, -1, 1);

  private static DenseConfig dense(int units, String activation) {
    return new DenseConfig(units, activation, "glorot_uniform", "uniform(0.1)", 0, 0);
  }

  private static Gemm gemm(String backend) {
    return Gemms.factory(backend).get();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "blas"})
  void threeDenseLayers(String backend) {
    Network net = Network.builder(4).add(dense(6, "tanh")).add(dense(5, "sigmoid")).add(dense(3, "identity"))
        .gemm(gemm(backend)).seed(7).build();
    new GradientCheck(net, new MeanSquaredError()).batch(X4, T3, null, BATCH).run().assertPassed();
  }

  @Test
  void denseOnARankTwoInput() {
    Network net = Network.builder(2, 2).add(dense(4, "tanh")).add(dense(3, "identity"))
        .gemm(new EjmlGemm()).seed(8).build();
    new GradientCheck(net, new MeanSquaredError()).batch(X4, T3, null, BATCH).run().assertPassed();
  }

  @Test
  void activationLayersBetweenLinearDenseLayers() {
    Network net = Network.builder(4).add(dense(6, "identity")).add(new ActivationConfig("tanh"))
        .add(dense(5, "identity")).add(new ActivationConfig("softplus")).add(dense(3, "identity"))
        .gemm(new EjmlGemm()).seed(9).build();
    new GradientCheck(net, new MeanSquaredError()).batch(X4, T3, null, BATCH).run().assertPassed();
  }

  @Test
  void activationLayerSoftmaxWithFusedCrossEntropy() {
    Network net = Network.builder(4).add(dense(6, "tanh")).add(dense(3, "identity"))
        .add(new ActivationConfig("softmax")).gemm(new EjmlGemm()).seed(10).build();
    float[] labels = {0, 2, 1, 1, 0};
    new GradientCheck(net, new SparseCategoricalCrossEntropy()).batch(X4, labels, null, BATCH).run()
        .assertPassed();
  }

  @Test
  void dropoutWithAFixedMask() {
    NetworkBuilder b = Network.builder(4).add(dense(8, "tanh")).add(new DropoutConfig(0.3))
        .add(dense(5, "tanh")).add(new DropoutConfig(0.3)).add(dense(2, "identity"))
        .gemm(new EjmlGemm()).seed(11);
    Network net = b.build();
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(X4, T2, null, BATCH).run();
    r.assertPassed();

    // The mask really drops units (else this would be a plain dense test) and is the same every time.
    CheckSupport.forward(net, X4, BATCH);
    float[] mask = Arrays.copyOf(((DropoutLayer) net.layers().get(1)).mask(), BATCH * 8);
    long dropped = countZeros(mask);
    assertTrue(dropped > 0, "dropped " + dropped + " of " + mask.length);
    assertTrue(dropped < mask.length, "dropped " + dropped + " of " + mask.length);
    for (float m : mask) {
      assertTrue(m == 0f || Math.abs(m - 1 / 0.7f) < 1e-6, "mask value " + m);
    }
    CheckSupport.forward(net, X4, BATCH);
    assertArrayEquals(mask, Arrays.copyOf(((DropoutLayer) net.layers().get(1)).mask(), BATCH * 8));

    // Another mask gives another gradient, which passes the check as well.
    GradientCheck.Result other = new GradientCheck(net, new MeanSquaredError()).batch(X4, T2, null, BATCH)
        .dropoutSeed(99).run();
    other.assertPassed();
    assertNotEquals(r.entries().get(0).analytic(), other.entries().get(0).analytic());
  }

  private static long countZeros(float[] v) {
    long n = 0;
    for (float f : v) {
      if (f == 0f) {
        n++;
      }
    }
    return n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"constant(0.25)", "uniform(0.5)"})
  void preluAfterALinearLayer(String alphaInit) {
    // dense_0 is linear, so its pre-activation is PReLU's input: its signs are PReLU's regime.
    Network net = CheckSupport.withMargin(seed -> Network.builder(4).add(dense(6, "identity"))
            .add(new PReluConfig(alphaInit)).add(dense(5, "tanh")).add(new PReluConfig(alphaInit))
            .add(dense(2, "identity")).gemm(new EjmlGemm()).seed(seed).build(),
        X4, BATCH, n -> CheckSupport.minAbsPreActivation(n, 0, 2));
    assertTrue(CheckSupport.minAbsPreActivation(net, 0, 2) >= CheckSupport.MARGIN);
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(X4, T2, null, BATCH)
        .regime(CheckSupport.signs(0, 2)).run();
    r.assertPassed();
    // The slopes get their own, non-zero gradient.
    assertTrue(r.entries().stream().anyMatch(e -> e.tensor().equals("prelu_1/alpha")
        && Math.abs(e.analytic()) >= GradientCheck.FLOOR), r.report());
  }

  @Test
  void preluAsTheFirstLayer() {
    // Inputs at least MARGIN away from 0 (PReLU's kink); no dX is computed for the first layer.
    float[] x = X4.clone();
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.copySign(0.1f + Math.abs(x[i]), x[i]);
    }
    Network net = Network.builder(4).add(new PReluConfig("uniform(0.5)")).add(dense(3, "tanh"))
        .add(dense(2, "identity")).gemm(new EjmlGemm()).seed(12).build();
    new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH).run().assertPassed();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "blas"})
  void maxoutStack(String backend) {
    // Two maxout layers so the inner one's dX is exercised; every unit's best piece leads by MARGIN.
    Network net = CheckSupport.withMargin(seed -> Network.builder(4)
            .add(new MaxoutConfig(4, 3, "glorot_uniform", "uniform(0.2)", 0, 0))
            .add(new MaxoutConfig(3, 2, "glorot_uniform", "uniform(0.2)", 0, 0))
            .add(dense(2, "identity")).gemm(gemm(backend)).seed(seed).build(),
        X4, BATCH, n -> Math.min(CheckSupport.maxoutGap(n, 0, BATCH), CheckSupport.maxoutGap(n, 1, BATCH)));
    assertTrue(CheckSupport.maxoutGap(net, 0, BATCH) >= CheckSupport.MARGIN);
    assertTrue(CheckSupport.maxoutGap(net, 1, BATCH) >= CheckSupport.MARGIN);
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(X4, T2, null, BATCH)
        .regime(CheckSupport.both(CheckSupport.argmax(0), CheckSupport.argmax(1))).run();
    r.assertPassed(10);
    // Pieces that never win in this batch get exactly zero gradient, in both the analytic and the
    // numeric derivative.
    assertTrue(r.entries().stream().anyMatch(e -> e.analytic() == 0 && e.numeric() == 0), r.report());
  }

  @Test
  void maxoutAsTheOutputWithSoftmaxAfterIt() {
    Network net = CheckSupport.withMargin(seed -> Network.builder(4)
            .add(dense(5, "tanh"))
            .add(new MaxoutConfig(3, 3, "glorot_uniform", "uniform(0.2)", 0, 0))
            .add(new ActivationConfig("softmax")).gemm(new EjmlGemm()).seed(seed).build(),
        X4, BATCH, n -> CheckSupport.maxoutGap(n, 1, BATCH));
    float[] labels = {2, 0, 1, 2, 1};
    new GradientCheck(net, new SparseCategoricalCrossEntropy()).batch(X4, labels, null, BATCH)
        .regime(CheckSupport.argmax(1)).run().assertPassed();
  }

  @Test
  void exampleWeights() {
    float[] weights = {0.5f, 2f, 1f, 0f, 3f};
    Network net = Network.builder(4).add(dense(6, "tanh")).add(dense(3, "softmax"))
        .gemm(new EjmlGemm()).seed(13).build();
    float[] onehot = new float[BATCH * 3];
    for (int r = 0; r < BATCH; r++) {
      onehot[r * 3 + (r * 7) % 3] = 1f;
    }
    GradientCheck.Result weighted = new GradientCheck(net, new CategoricalCrossEntropy())
        .batch(X4, onehot, weights, BATCH).run().assertPassed();
    GradientCheck.Result plain = new GradientCheck(net, new CategoricalCrossEntropy())
        .batch(X4, onehot, null, BATCH).run().assertPassed();
    assertNotEquals(weighted.loss(), plain.loss());
    assertNotEquals(weighted.entries().get(0).analytic(), plain.entries().get(0).analytic());

    Network mse = Network.builder(4).add(dense(6, "tanh")).add(dense(2, "identity"))
        .gemm(new EjmlGemm()).seed(14).build();
    new GradientCheck(mse, new MeanSquaredError()).batch(X4, T2, weights, BATCH).run().assertPassed();
  }

  @Test
  void aZeroWeightRemovesTheExample() {
    // Weighting example 3 by 0 gives the same gradient as leaving it out (up to the 1/batch scale).
    Network net = Network.builder(4).add(dense(6, "tanh")).add(dense(2, "identity"))
        .gemm(new EjmlGemm()).seed(15).build();
    float[] weights = {1, 1, 1, 0, 1};
    net.computeGradients(X4, 0, T2, 0, weights, 0, BATCH, new MeanSquaredError(), 1f, null);
    float[] withZero = net.gradientArray().clone();
    float[] x = new float[4 * 4];
    float[] t = new float[4 * 2];
    int k = 0;
    for (int r = 0; r < BATCH; r++) {
      if (r != 3) {
        System.arraycopy(X4, r * 4, x, k * 4, 4);
        System.arraycopy(T2, r * 2, t, k * 2, 2);
        k++;
      }
    }
    Network same = Network.builder(4).add(dense(6, "tanh")).add(dense(2, "identity"))
        .gemm(new EjmlGemm()).seed(15).build();
    same.computeGradients(x, 0, t, 0, null, 0, 4, new MeanSquaredError(), 1f, null);
    float[] without = same.gradientArray();
    for (int i = 0; i < without.length; i++) {
      assertEquals(without[i], withZero[i], 1e-5, "parameter " + i);
    }
    assertFalse(Arrays.equals(new float[without.length], without));
  }
}
