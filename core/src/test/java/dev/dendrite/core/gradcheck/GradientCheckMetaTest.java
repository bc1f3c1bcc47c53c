package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The check must fail on a gradient that is 1 % off: a tanh whose backward scales the derivative by
 * 1.01, and an MSE whose gradient is scaled by 1.01. The same networks with the correct code pass, so
 * the 1 % alone decides.
 */
class GradientCheckMetaTest {

  private static final int BATCH = 4;
  private static final float[] X = uniform(11, BATCH * 3, -1, 1);
  private static final float[] T = uniform(12, BATCH * 2, -1, 1);
  private static final double OFF_BY = 1.01;

  /** tanh with its derivative multiplied by {@code factor} in backward (forward unchanged). */
  record ScaledTanh(float factor) implements Activation {
    @Override
    public String name() {
      return "tanh*" + factor;
    }

    @Override
    public void forward(float[] z, float[] y, int rows, int cols) {
      Activations.TANH.forward(z, y, rows, cols);
    }

    @Override
    public void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
      Activations.TANH.backward(z, y, dY, dZ, rows, cols);
      for (int i = 0; i < rows * cols; i++) {
        dZ[i] *= factor;
      }
    }
  }

  /** A parameter-free layer applying any activation object (the real one takes activations by name). */
  record ActivationObjectConfig(Activation activation) implements LayerConfig {
    @Override
    public String type() {
      return "test_activation";
    }

    @Override
    public Layer build(Shape input, int index, Gemm gemm) {
      LayerConfig self = this;
      return new Layer() {
        @Override
        public String name() {
          return "test_activation_" + index;
        }

        @Override
        public Shape inputShape() {
          return input;
        }

        @Override
        public Shape outputShape() {
          return input;
        }

        @Override
        public LayerConfig config() {
          return self;
        }

        @Override
        public List<ParameterSpec> parameters() {
          return List.of();
        }

        @Override
        public void bind(float[] params, float[] grads, int offset) {
        }

        @Override
        public void allocate(int maxBatch) {
        }

        @Override
        public void forward(float[] x, int xOffset, float[] y, int batch, boolean training,
                            RandomGenerator rng) {
          activation.forward(x, y, batch, input.size()); // the test nets never use an input offset
        }

        @Override
        public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
          if (dX != null) {
            activation.backward(x, y, dY, dX, batch, input.size());
          }
        }
      };
    }

    @Override
    public Map<String, Object> toMap() {
      return Map.of("type", type());
    }
  }

  /** MSE whose gradient (not its value) is multiplied by {@code factor}. */
  record ScaledMse(float factor) implements Loss {
    private static final Loss MSE = new MeanSquaredError();

    @Override
    public String name() {
      return "mse*" + factor;
    }

    @Override
    public int targetWidth(int outputs) {
      return outputs;
    }

    @Override
    public double value(float[] pred, int width, float[] targets, int tOffset, float[] weights, int wOffset,
                        int batch) {
      return MSE.value(pred, width, targets, tOffset, weights, wOffset, batch);
    }

    @Override
    public double gradient(float[] pred, int width, float[] targets, int tOffset, float[] weights,
                           int wOffset, int batch, float scale, float[] dPred) {
      double sum = MSE.gradient(pred, width, targets, tOffset, weights, wOffset, batch, scale, dPred);
      for (int i = 0; i < batch * width; i++) {
        dPred[i] *= factor;
      }
      return sum;
    }
  }

  private static Network tanhNet(float derivativeFactor) {
    return Network.builder(3)
        .add(new DenseConfig(5, "identity", "glorot_uniform", "uniform(0.1)", 0, 0))
        .add(new ActivationObjectConfig(new ScaledTanh(derivativeFactor)))
        .add(new DenseConfig(2, "identity", "glorot_uniform", "uniform(0.1)", 0, 0))
        .gemm(new EjmlGemm())
        .seed(5)
        .build();
  }

  private static GradientCheck.Result check(Network net, Loss loss) {
    return new GradientCheck(net, loss).batch(X, T, null, BATCH).run();
  }

  @Test
  void theTestOnlyLayerAndLossPassWhenCorrect() {
    check(tanhNet(1f), new ScaledMse(1f)).assertPassed();
    check(tanhNet(1f), new MeanSquaredError()).assertPassed();
  }

  @Test
  void aDerivativeOnePercentOffFails() {
    GradientCheck.Result good = check(tanhNet(1f), new MeanSquaredError());
    GradientCheck.Result bad = check(tanhNet((float) OFF_BY), new MeanSquaredError());
    assertTrue(good.passed(), good.report());
    assertFalse(bad.passed(), "a 1 % error in tanh' must fail the check");
    assertTrue(bad.kinkCrossings().isEmpty());
    assertThrows(AssertionError.class, bad::assertPassed);
    // Only the parameters below the broken activation see the error, and every one of them that is at
    // least FLOOR in magnitude is caught; the layer above it still passes.
    int below = 0;
    for (GradientCheck.Entry e : bad.entries()) {
      boolean affected = e.tensor().startsWith("dense_0/");
      if (affected && Math.abs(e.analytic()) >= GradientCheck.FLOOR) {
        below++;
        assertTrue(e.error() > GradientCheck.TOLERANCE, "not caught: " + e);
        assertEquals(OFF_BY, e.analytic() / e.numeric(), 1e-3, e.toString());
      }
      if (!affected) {
        assertTrue(e.error() <= GradientCheck.TOLERANCE, e.toString());
      }
    }
    assertTrue(below >= 5, "too few large derivatives below the broken layer: " + below);
  }

  @Test
  void aLossGradientOnePercentOffFails() {
    GradientCheck.Result bad = check(tanhNet(1f), new ScaledMse((float) OFF_BY));
    assertFalse(bad.passed(), "a 1 % error in the loss gradient must fail the check");
    assertThrows(AssertionError.class, bad::assertPassed);
    int large = 0;
    for (GradientCheck.Entry e : bad.entries()) {
      if (Math.abs(e.analytic()) >= GradientCheck.FLOOR) {
        large++;
        assertTrue(e.error() > GradientCheck.TOLERANCE, "not caught: " + e);
      }
    }
    assertTrue(large >= bad.entries().size() / 4, "too few large derivatives: " + large);
  }

  @Test
  void evenHalfAPercentIsCaughtOnTheLargeDerivatives() {
    GradientCheck.Result bad = check(tanhNet(1.005f), new MeanSquaredError());
    assertFalse(bad.passed());
  }

  @Test
  void aPerturbationAcrossAKinkIsReportedNotPassed() {
    // z = 1·0.5 + (-0.497) = 0.003 < h: moving W or b by -h pushes z through ReLU's kink.
    Network net = Network.builder(1)
        .add(new DenseConfig(1, "relu", "zeros", "zeros", 0, 0))
        .add(new DenseConfig(1, "identity", "zeros", "zeros", 0, 0))
        .gemm(new EjmlGemm()).build();
    net.setParameters(new float[] {1f, -0.497f, 2f, 0.1f});
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError())
        .batch(new float[] {0.5f}, new float[] {1f}, null, 1).regime(CheckSupport.signs(0)).run();
    assertFalse(r.passed());
    assertTrue(r.kinkCrossings().stream().anyMatch(c -> c.startsWith("dense_0/b[0] moved by -0.01")),
        r.report());
    assertThrows(AssertionError.class, r::assertPassed);
  }

  @Test
  void theCheckRestoresTheParametersAndTheGradient() {
    Network net = tanhNet(1f);
    float[] before = net.parameters();
    net.computeGradients(X, 0, T, 0, null, 0, BATCH, new MeanSquaredError(), 1f / BATCH, null);
    float[] grad = net.gradientArray().clone();
    check(net, new MeanSquaredError());
    assertTrue(java.util.Arrays.equals(before, net.parameters()));
    assertTrue(java.util.Arrays.equals(grad, net.gradientArray()));
  }
}
