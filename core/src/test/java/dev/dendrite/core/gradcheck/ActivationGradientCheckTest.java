package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.ActivationConfig;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every activation, in hidden layers of a 3-layer stack trained with MSE, passes the gradient check. */
class ActivationGradientCheckTest {

  private static final int BATCH = 4;
  private static final float[] X = uniform(1, BATCH * 3, -1, 1);
  private static final float[] T = uniform(2, BATCH * 2, -1, 1);

  private static Network stack(String activation, long seed) {
    return Network.builder(3)
        .add(new DenseConfig(5, activation, "glorot_uniform", "uniform(0.1)", 0, 0))
        .add(new DenseConfig(4, activation, "glorot_uniform", "uniform(0.1)", 0, 0))
        .add(new DenseConfig(2, "identity", "glorot_uniform", "uniform(0.1)", 0, 0))
        .gemm(new EjmlGemm())
        .seed(seed)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "sigmoid", "tanh", "arctan", "softplus", "softmax", "elu(1)"})
  void smoothActivations(String activation) {
    Network net = stack(activation, 3);
    new GradientCheck(net, new MeanSquaredError()).batch(X, T, null, BATCH).run().assertPassed();
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "leaky_relu", "leaky_relu(0.2)", "elu(0.5)"})
  void kinkedActivationsAwayFromTheKink(String activation) {
    Network net = CheckSupport.withMargin(seed -> stack(activation, seed), X, BATCH,
        n -> CheckSupport.minAbsPreActivation(n, 0, 1));
    assertTrue(CheckSupport.minAbsPreActivation(net, 0, 1) >= CheckSupport.MARGIN);
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(X, T, null, BATCH)
        .regime(CheckSupport.signs(0, 1)).run();
    r.assertPassed();
    assertTrue(r.kinkCrossings().isEmpty());
  }

  @Test
  void binaryStepPassesNoGradient() {
    // binary_step' = 0 wherever it exists, so nothing below a step learns (except through the
    // perceptron's fused rule, see LossGradientCheckTest): the analytic gradient there is exactly 0, and
    // so is the finite difference, since no perturbation moves a pre-activation across 0.
    checkStep(seed -> Network.builder(3).add(dense(5, "identity")).add(new ActivationConfig("binary_step"))
        .add(dense(2, "tanh")).gemm(new EjmlGemm()).seed(seed).build(), "dense_0/", "dense_2/");
    checkStep(seed -> Network.builder(3).add(dense(5, "binary_step")).add(dense(2, "tanh"))
        .gemm(new EjmlGemm()).seed(seed).build(), "dense_0/", "dense_1/");
  }

  private static void checkStep(LongFunction<Network> build, String below, String above) {
    Network n = CheckSupport.withMargin(build, X, BATCH, nn -> CheckSupport.minAbsPreActivation(nn, 0));
    assertTrue(CheckSupport.minAbsPreActivation(n, 0) >= CheckSupport.MARGIN);
    GradientCheck.Result r = new GradientCheck(n, new MeanSquaredError()).batch(X, T, null, BATCH)
        .regime(CheckSupport.signs(0)).run();
    assertTrue(r.passed(), r.report());
    for (GradientCheck.Entry e : r.entries()) {
      if (e.tensor().startsWith(below)) {
        assertEquals(0.0, e.analytic(), e.toString());
        assertEquals(0.0, e.numeric(), e.toString());
      }
    }
    assertTrue(r.entries().stream().anyMatch(e -> e.tensor().startsWith(above)
        && Math.abs(e.analytic()) >= GradientCheck.FLOOR), "the layer above the step still learns");
  }

  private static DenseConfig dense(int units, String activation) {
    return new DenseConfig(units, activation, "glorot_uniform", "uniform(0.1)", 0, 0);
  }
}
