package dev.dendrite.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.activation.Sigmoid;
import dev.dendrite.core.activation.Softmax;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The fused output gradients ({@code dZ} straight from the loss) equal the chain rule through the
 * activation: softmax Jacobian × the loss's gradient in the probabilities, or sigmoid' × BCE's. The
 * fused loss values equal the non-fused ones.
 */
class FusedGradientTest {

  private static final int ROWS = 3;
  private static final int K = 4;
  private static final float[] Z = {0.3f, -1.2f, 2.0f, 0.05f, 1f, 1.1f, -1f, 0.5f, -0.2f, 0.4f, 0.1f, -2f};
  private static final float[] WEIGHTS = {0.5f, 2f, 1f};
  private static final float SCALE = 1f / ROWS;

  private static float[] softmax(float[] z) {
    float[] y = new float[z.length];
    Activations.SOFTMAX.forward(z, y, ROWS, K);
    return y;
  }

  /** dZ = Jᵀ dP per row, in double. */
  private static double[] throughSoftmax(float[] y, float[] dP) {
    double[] dZ = new double[y.length];
    for (int r = 0; r < ROWS; r++) {
      float[][] jac = Softmax.jacobian(Arrays.copyOfRange(y, r * K, r * K + K));
      for (int j = 0; j < K; j++) {
        for (int i = 0; i < K; i++) {
          dZ[r * K + j] += (double) jac[i][j] * dP[r * K + i];
        }
      }
    }
    return dZ;
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), what + " at " + i);
    }
  }

  private static void softmaxLoss(Loss loss, float[] targets, int targetWidth) {
    assertEquals(targetWidth, loss.targetWidth(K));
    float[] y = softmax(Z);
    float[] dP = new float[Z.length];
    double chainLoss = loss.gradient(y, K, targets, 0, WEIGHTS, 0, ROWS, SCALE, dP);
    float[] dZ = new float[Z.length];
    double fusedLoss = loss.fusedGradient(Z, y, K, targets, 0, WEIGHTS, 0, ROWS, SCALE, dZ);
    assertEquals(chainLoss, fusedLoss, 1e-9, loss.name() + " loss");
    assertEquals(loss.value(y, K, targets, 0, WEIGHTS, 0, ROWS), fusedLoss, 1e-9);
    assertClose(throughSoftmax(y, dP), dZ, loss.name());
  }

  @Test
  void categoricalCrossEntropyOneHotAndSoft() {
    Loss loss = new CategoricalCrossEntropy();
    softmaxLoss(loss, new float[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, K);
    softmaxLoss(loss, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.5f, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f}, K);
    // targets that do not sum to 1 (label smoothing gone wrong): the fused form uses p·Σt - t
    softmaxLoss(loss, new float[] {0.5f, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0.3f}, K);
  }

  @Test
  void sparseCategoricalCrossEntropy() {
    softmaxLoss(new SparseCategoricalCrossEntropy(), new float[] {2, 0, 3}, 1);
  }

  @Test
  void klDivergence() {
    softmaxLoss(new KullbackLeibler(), new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.5f, 0, 0,
        0.25f, 0.25f, 0.25f, 0.25f}, K);
  }

  @Test
  void binaryCrossEntropyThroughSigmoid() {
    Loss loss = new BinaryCrossEntropy();
    float[] t = {1, 0, 0.3f, 1, 0, 0, 1, 1, 0.5f, 0, 1, 0};
    float[] y = new float[Z.length];
    Activations.SIGMOID.forward(Z, y, ROWS, K);
    float[] dP = new float[Z.length];
    double chainLoss = loss.gradient(y, K, t, 0, WEIGHTS, 0, ROWS, SCALE, dP);
    float[] dZ = new float[Z.length];
    double fusedLoss = loss.fusedGradient(Z, y, K, t, 0, WEIGHTS, 0, ROWS, SCALE, dZ);
    assertEquals(chainLoss, fusedLoss, 1e-6 * Math.abs(chainLoss));
    double[] expected = new double[Z.length];
    for (int i = 0; i < Z.length; i++) {
      expected[i] = (double) y[i] * (1 - y[i]) * dP[i];
    }
    assertClose(expected, dZ, "binary_crossentropy");
    // ... and the logits loss on an identity output gives the same numbers
    float[] dLogits = new float[Z.length];
    double logitsLoss = new BinaryCrossEntropyWithLogits().gradient(Z, K, t, 0, WEIGHTS, 0, ROWS, SCALE, dLogits);
    assertEquals(fusedLoss, logitsLoss, 1e-12);
    assertClose(expected, dLogits, "binary_crossentropy_logits");
    assertEquals(Sigmoid.sigmoid(0f), 0.5f);
  }

  @Test
  void perceptronFusesWithTheStepByDesignNotByTheChainRule() {
    // Through binary_step the chain rule gives 0 (step' = 0); the fused perceptron rule instead gives
    // -t/W on a mistake and 0 otherwise, applied to the pre-activation z.
    Loss loss = new PerceptronCriterion();
    float[] z = {0.5f, -0.25f};
    float[] y = new float[2];
    Activations.BINARY_STEP.forward(z, y, 1, 2);
    float[] t = {-1, -1}; // first output is a mistake (step 1, label -1), second is right
    float[] dZ = new float[2];
    double l = loss.fusedGradient(z, y, 2, t, 0, null, 0, 1, 1f, dZ);
    assertEquals(0.25, l, 1e-7, "|z|/W for the one mistake");
    assertEquals(0.5f, dZ[0]);
    assertEquals(0f, dZ[1]);
  }
}
