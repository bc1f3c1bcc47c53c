package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
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
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(X, T, null, BATCH).run();
    System.out.println(activation + ": " + r.report());
    r.assertPassed();
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu", "leaky_relu", "leaky_relu(0.2)", "elu(0.5)"})
  void kinkedActivationsAwayFromTheKink(String activation) {
    Network net = CheckSupport.withMargin(seed -> stack(activation, seed), X, BATCH,
        n -> CheckSupport.minAbsPreActivation(n, 0, 1));
    assertTrue(CheckSupport.minAbsPreActivation(net, 0, 1) >= CheckSupport.MARGIN);
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(X, T, null, BATCH)
        .regime(CheckSupport.signs(0, 1)).run();
    System.out.println(activation + ": " + r.report());
    r.assertPassed();
  }
}
