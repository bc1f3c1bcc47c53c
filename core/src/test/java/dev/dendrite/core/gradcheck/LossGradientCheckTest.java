package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.ActivatedLayer;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.DropoutConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.Losses;
import dev.dendrite.core.network.Network;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Every loss passes the gradient check behind a small tanh network, fused with its output activation
 * where it has a fused form and non-fused otherwise. A {@code dropout(0)} layer after the output is an
 * identity that is not an activated layer: it forces the non-fused path for losses that would fuse.
 */
class LossGradientCheckTest {

  private static final int BATCH = 6;
  private static final float[] X = uniform(31, BATCH * 3, -1, 1);

  private static DenseConfig dense(int units, String activation) {
    return new DenseConfig(units, activation, "glorot_uniform", "uniform(0.1)", 0, 0);
  }

  private static LongFunction<Network> net(int outputs, String outputActivation, boolean forceNonFused) {
    return seed -> {
      var b = Network.builder(3).add(dense(5, "tanh")).add(dense(outputs, outputActivation));
      if (forceNonFused) {
        b.add(new DropoutConfig(0));
      }
      return b.gemm(new EjmlGemm()).seed(seed).build();
    };
  }

  private static GradientCheck.Result check(Network net, Loss loss, float[] targets,
                                            GradientCheck.Regime regime) {
    return new GradientCheck(net, loss).batch(X, targets, null, BATCH).regime(regime).run().assertPassed();
  }

  private static boolean fused(Network net, Loss loss) {
    Layer last = net.layers().get(net.layers().size() - 1);
    return last instanceof ActivatedLayer && loss.fusesWith(((ActivatedLayer) last).activation());
  }

  private static float[] labels(long seed, int n, float negative) {
    float[] u = uniform(seed, n, 0, 1);
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = u[i] < 0.5 ? negative : 1f;
    }
    return t;
  }

  /** Rows of k positive values summing to 1 (a soft target distribution). */
  private static float[] distributions(long seed, int k) {
    float[] t = uniform(seed, BATCH * k, 0.1, 1);
    for (int r = 0; r < BATCH; r++) {
      float s = 0;
      for (int j = 0; j < k; j++) {
        s += t[r * k + j];
      }
      for (int j = 0; j < k; j++) {
        t[r * k + j] /= s;
      }
    }
    return t;
  }

  private static float[] oneHot(float[] labels, int k) {
    float[] t = new float[labels.length * k];
    for (int r = 0; r < labels.length; r++) {
      t[r * k + (int) labels[r]] = 1f;
    }
    return t;
  }

  private static final float[] CLASSES = {0, 2, 1, 1, 2, 0};

  /** min over outputs of |p - t| (MAE's kink) and the regime sign(p - t). */
  private static double minAbsError(float[] out, float[] t) {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < t.length; i++) {
      m = Math.min(m, Math.abs(out[i] - t[i]));
    }
    return m;
  }

  private static String signs(float[] out, float[] t, float offset, boolean product) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < t.length; i++) {
      float v = product ? offset - t[i] * out[i] : out[i] - t[i];
      sb.append(v > 0 ? '+' : '-');
    }
    return sb.toString();
  }

  @Test
  void mse() {
    Loss loss = Losses.parse("mse");
    check(net(2, "identity", false).apply(1), loss, uniform(32, BATCH * 2, -1, 1), null);
  }

  @Test
  void sumSquaredError() {
    check(net(2, "sigmoid", false).apply(1), Losses.parse("sse"), uniform(43, BATCH * 2, 0, 1), null);
  }

  @Test
  void adalineOnZeroOneAndPlusMinusOneLabels() {
    Loss loss = Losses.parse("adaline");
    check(net(2, "identity", false).apply(1), loss, labels(42, BATCH * 2, -1f), null);
    check(net(2, "identity", false).apply(1), loss, labels(42, BATCH * 2, 0f), null);
  }

  @Test
  void mae() {
    Loss loss = Losses.parse("mae");
    float[] t = uniform(33, BATCH * 2, -1, 1);
    Network n = CheckSupport.withMargin(net(2, "identity", false), X, BATCH,
        nn -> minAbsError(CheckSupport.forward(nn, X, BATCH), t));
    assertTrue(minAbsError(CheckSupport.forward(n, X, BATCH), t) >= CheckSupport.MARGIN);
    check(n, loss, t, (nn, out) -> signs(out, t, 0, false));
  }

  @Test
  void msleOnPositivePredictions() {
    // softplus keeps every prediction > 0, away from the clamp at 0.
    Loss loss = Losses.parse("msle");
    check(net(2, "softplus", false).apply(2), loss, uniform(34, BATCH * 2, 0, 3), null);
  }

  @Test
  void binaryCrossEntropyFusedAfterSigmoid() {
    Loss loss = Losses.parse("binary_crossentropy");
    Network n = net(2, "sigmoid", false).apply(3);
    assertTrue(fused(n, loss));
    check(n, loss, labels(35, BATCH * 2, 0f), null);
    check(n, loss, uniform(36, BATCH * 2, 0, 1), null); // soft targets
  }

  @Test
  void binaryCrossEntropyNonFusedOnProbabilitiesInsideTheClamp() {
    // Identity output: small weights around a bias of 0.5 keep p in (0.3, 0.7), far from 1e-7 and 1-1e-7.
    Loss loss = Losses.parse("binary_crossentropy");
    Network n = Network.builder(3).add(dense(5, "tanh"))
        .add(new DenseConfig(2, "identity", "uniform(0.1)", "constant(0.5)", 0, 0))
        .gemm(new EjmlGemm()).seed(4).build();
    assertFalse(fused(n, loss));
    for (float p : CheckSupport.forward(n, X, BATCH)) {
      assertTrue(p > 0.3f && p < 0.7f, "prediction " + p);
    }
    check(n, loss, labels(37, BATCH * 2, 0f), null);
  }

  @Test
  void binaryCrossEntropyWithLogits() {
    check(net(2, "identity", false).apply(5), Losses.parse("binary_crossentropy_logits"),
        labels(38, BATCH * 2, 0f), null);
  }

  @Test
  void hingeAndSquaredHingeAwayFromTheMargin() {
    float[] t = labels(39, BATCH * 2, -1f);
    for (String name : new String[] {"hinge", "squared_hinge"}) {
      Loss loss = Losses.parse(name);
      // Bigger weights so that a good share of the examples lies beyond the margin.
      Network n = CheckSupport.withMargin(seed -> Network.builder(3).add(dense(5, "tanh"))
              .add(new DenseConfig(2, "identity", "uniform(2)", "zeros", 0, 0))
              .gemm(new EjmlGemm()).seed(seed).build(), X, BATCH,
          nn -> bothSides(CheckSupport.forward(nn, X, BATCH), t)
              ? marginDistance(CheckSupport.forward(nn, X, BATCH), t) : 0);
      float[] out = CheckSupport.forward(n, X, BATCH);
      assertTrue(marginDistance(out, t) >= CheckSupport.MARGIN);
      assertTrue(bothSides(out, t),
          "both sides of the margin should be exercised: " + signs(out, t, 1, true));
      check(n, loss, t, (nn, o) -> signs(o, t, 1, true));
    }
  }

  private static boolean bothSides(float[] out, float[] t) {
    String s = signs(out, t, 1, true);
    return s.contains("+") && s.contains("-");
  }

  private static double marginDistance(float[] out, float[] t) {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < t.length; i++) {
      m = Math.min(m, Math.abs(1 - t[i] * out[i]));
    }
    return m;
  }

  @Test
  void hingeAcceptsZeroAsTheNegativeLabel() {
    float[] pm = labels(39, BATCH * 2, -1f);
    float[] zeroOne = labels(39, BATCH * 2, 0f);
    Network a = net(2, "identity", false).apply(6);
    Network b = net(2, "identity", false).apply(6);
    Loss loss = Losses.parse("hinge");
    double la = a.computeGradients(X, 0, pm, 0, null, 0, BATCH, loss, 1f / BATCH, null);
    double lb = b.computeGradients(X, 0, zeroOne, 0, null, 0, BATCH, loss, 1f / BATCH, null);
    assertEquals(la, lb);
    assertTrue(java.util.Arrays.equals(a.gradientArray(), b.gradientArray()));
  }

  @Test
  void perceptronOnAnIdentityOutput() {
    Loss loss = Losses.parse("perceptron");
    float[] t = labels(40, BATCH * 2, -1f);
    Network n = CheckSupport.withMargin(net(2, "identity", false), X, BATCH,
        nn -> minAbs(CheckSupport.forward(nn, X, BATCH)));
    float[] out = CheckSupport.forward(n, X, BATCH);
    assertTrue(minAbs(out) >= CheckSupport.MARGIN);
    assertTrue(signs(out, t, 0, true).contains("+"), "some example must be a mistake");
    check(n, loss, t, (nn, o) -> signs(o, t, 0, true));
  }

  @Test
  void perceptronFusedWithBinaryStep() {
    // The step's derivative is 0, so the loss is applied to its pre-activation z: a mistake costs |z|.
    Loss loss = Losses.parse("perceptron");
    float[] t = labels(41, BATCH * 2, 0f);
    Network n = CheckSupport.withMargin(net(2, "binary_step", false), X, BATCH,
        nn -> CheckSupport.minAbsPreActivation(nn, 1));
    assertTrue(fused(n, loss));
    assertTrue(CheckSupport.minAbsPreActivation(n, 1) >= CheckSupport.MARGIN);
    GradientCheck.Result r = check(n, loss, t, CheckSupport.signs(1));
    assertTrue(r.loss() > 0, "some example must be a mistake");
  }

  private static double minAbs(float[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (float f : v) {
      m = Math.min(m, Math.abs(f));
    }
    return m;
  }

  @Test
  void categoricalCrossEntropyFusedAndNot() {
    Loss loss = Losses.parse("categorical_crossentropy");
    for (float[] t : new float[][] {oneHot(CLASSES, 3), distributions(42, 3)}) {
      Network fusedNet = net(3, "softmax", false).apply(7);
      Network chainNet = net(3, "softmax", true).apply(7);
      assertTrue(fused(fusedNet, loss));
      assertFalse(fused(chainNet, loss));
      GradientCheck.Result a = check(fusedNet, loss, t, null);
      GradientCheck.Result b = check(chainNet, loss, t, null);
      sameGradients(a, b);
    }
  }

  @Test
  void sparseCategoricalCrossEntropyFusedAndNot() {
    Loss loss = Losses.parse("sparse_categorical_crossentropy");
    GradientCheck.Result a = check(net(3, "softmax", false).apply(8), loss, CLASSES, null);
    GradientCheck.Result b = check(net(3, "softmax", true).apply(8), loss, CLASSES, null);
    sameGradients(a, b);
    // ... and the same as categorical cross-entropy on one-hot targets.
    GradientCheck.Result c = check(net(3, "softmax", false).apply(8), Losses.parse("categorical_crossentropy"),
        oneHot(CLASSES, 3), null);
    sameGradients(a, c);
  }

  @Test
  void klDivergenceFusedAndNot() {
    Loss loss = Losses.parse("kl_divergence");
    float[] t = distributions(43, 4);
    GradientCheck.Result a = check(net(4, "softmax", false).apply(9), loss, t, null);
    GradientCheck.Result b = check(net(4, "softmax", true).apply(9), loss, t, null);
    sameGradients(a, b);
  }

  @Test
  void gaussianNegativeLogLikelihood() {
    // 4 outputs: means of 2 targets, then their log-variances.
    check(net(4, "identity", false).apply(10), Losses.parse("gaussian_nll"), uniform(44, BATCH * 2, -1, 1),
        null);
  }

  @Test
  void softmaxWithMseIsNotFused() {
    Loss loss = Losses.parse("mse");
    Network n = net(3, "softmax", false).apply(11);
    assertFalse(fused(n, loss));
    check(n, loss, oneHot(CLASSES, 3), null);
  }

  private static void sameGradients(GradientCheck.Result a, GradientCheck.Result b) {
    assertEquals(a.loss(), b.loss(), 1e-6 * Math.abs(a.loss()));
    for (int i = 0; i < a.entries().size(); i++) {
      double x = a.entries().get(i).analytic();
      double y = b.entries().get(i).analytic();
      assertEquals(x, y, 1e-5 + 1e-4 * Math.abs(x), "parameter " + i);
    }
  }
}
