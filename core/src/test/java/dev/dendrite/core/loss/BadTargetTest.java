package dev.dendrite.core.loss;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.network.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A bad target fails with a message that names the loss, the value and the example's index. */
class BadTargetTest {

  private static void assertMessage(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
    }
  }

  private static Network tenClasses() {
    return Network.builder(2).dense(10, "softmax").gemm(new EjmlGemm()).seed(1).build();
  }

  private static final float[] X3 = {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f};

  @Test
  void sparseLabelEqualToTheClassCount() {
    Loss loss = new SparseCategoricalCrossEntropy();
    float[] labels = {3, 0, 10};
    float[] p = new float[30];
    java.util.Arrays.fill(p, 0.1f);
    String[] parts = {"sparse_categorical_crossentropy", "example 2", "label 10.0", "[0, 10)"};
    assertMessage(() -> loss.value(p, 10, labels, 0, null, 0, 3), parts);
    assertMessage(() -> loss.gradient(p, 10, labels, 0, null, 0, 3, 1f, new float[30]), parts);
    // fused behind softmax, through the network
    assertMessage(() -> tenClasses().computeGradients(X3, 0, labels, 0, null, 0, 3, loss, 1f / 3, null),
        parts);
    assertMessage(() -> tenClasses().loss(X3, 0, labels, 0, null, 0, 3, loss), parts);
  }

  @Test
  void sparseLabelThatIsNotAnInteger() {
    Loss loss = new SparseCategoricalCrossEntropy();
    float[] labels = {3, 2.5f, 1};
    assertMessage(() -> tenClasses().computeGradients(X3, 0, labels, 0, null, 0, 3, loss, 1f / 3, null),
        "example 1", "label 2.5");
  }

  @Test
  void negativeSparseLabel() {
    Loss loss = new SparseCategoricalCrossEntropy();
    assertMessage(() -> tenClasses().loss(X3, 0, new float[] {-1, 0, 0}, 0, null, 0, 3, loss),
        "example 0", "label -1.0");
  }

  @Test
  void hingeLabelOneHalf() {
    Loss loss = new Hinge(false);
    Network net = Network.builder(2).dense(1).gemm(new EjmlGemm()).seed(1).build();
    float[] labels = {1, 0.5f, -1};
    assertMessage(() -> net.computeGradients(X3, 0, labels, 0, null, 0, 3, loss, 1f / 3, null),
        "hinge", "example 1", "label 0.5", "-1/+1");
    assertMessage(() -> new Hinge(true).value(new float[3], 1, labels, 0, null, 0, 3),
        "squared_hinge", "example 1", "label 0.5");
    assertMessage(() -> new PerceptronCriterion().value(new float[3], 1, labels, 0, null, 0, 3),
        "perceptron", "example 1", "label 0.5");
  }

  @Test
  void otherOutOfRangeTargets() {
    assertMessage(() -> new BinaryCrossEntropy().value(new float[] {0.5f, 0.5f}, 1, new float[] {0, 1.5f}, 0,
        null, 0, 2), "example 1", "1.5", "[0, 1]");
    assertMessage(() -> new CategoricalCrossEntropy().value(new float[] {0.5f, 0.5f}, 2,
        new float[] {-0.5f, 1}, 0, null, 0, 1), "example 0", "-0.5", "negative");
    assertMessage(() -> new MeanSquaredLogarithmicError().value(new float[] {0.5f, 0.5f}, 1,
        new float[] {1, -2}, 0, null, 0, 2), "example 1", "-2.0");
  }

  @Test
  void aTargetArrayTooShortForTheBatch() {
    assertMessage(() -> tenClasses().computeGradients(X3, 0, new float[] {1, 2}, 0, null, 0, 3,
        new SparseCategoricalCrossEntropy(), 1f / 3, null), "1 target value(s) per example", "holds 2");
  }
}
