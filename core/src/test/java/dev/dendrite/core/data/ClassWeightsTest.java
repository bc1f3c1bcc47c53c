package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Balanced class weights read each example's class from its targets in the loss's form (a class index,
 * a hinge loss's -1/+1, or a one-hot row), so that the Spark blocks, which hold nothing else, weigh their
 * examples exactly as a {@link Dataset} with its target kind does.
 */
class ClassWeightsTest {

  @Test
  void targetsInEveryFormNameTheirClass() {
    assertEquals(2, ClassWeights.classOf(new float[] {0, 2, 1}, 1, 1, 3), "a class index");
    assertEquals(0, ClassWeights.classOf(new float[] {-1, 1}, 0, 1, 2), "a hinge loss's -1 is class 0");
    assertEquals(1, ClassWeights.classOf(new float[] {-1, 1}, 1, 1, 2), "and +1 class 1");
    assertEquals(1, ClassWeights.classOf(new float[] {1, 0, 0, 0, 1, 0}, 1, 3, 3), "a one-hot row");
  }

  @Test
  void targetsThatNameNoSingleClassAreRefusedWithTheirRow() {
    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
        () -> ClassWeights.classOf(new float[] {0, 0.5f}, 1, 1, 2));
    assertTrue(fraction.getMessage().contains("row 1") && fraction.getMessage().contains("0.5"),
        fraction.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ClassWeights.classOf(new float[] {3}, 0, 1, 3),
        "outside [0, classes)");
    assertThrows(IllegalArgumentException.class, () -> ClassWeights.classOf(new float[] {-1}, 0, 1, 3),
        "-1 is a class only for a binary network");
    assertThrows(IllegalArgumentException.class, () -> ClassWeights.classOf(new float[] {1, 1, 0}, 0, 3, 3),
        "two ones");
    assertThrows(IllegalArgumentException.class, () -> ClassWeights.classOf(new float[] {0, 0, 0}, 0, 3, 3),
        "no one");
  }

  @Test
  void onlyTasksWithOneClassPerExampleCanBeBalanced() {
    assertEquals(10, ClassWeights.classesFor(Task.MULTICLASS, 10));
    assertEquals(2, ClassWeights.classesFor(Task.BINARY_PROBABILITY, 1));
    assertEquals(2, ClassWeights.classesFor(Task.BINARY_SCORE, 1));
    for (Task task : new Task[] {Task.MULTILABEL, Task.REGRESSION}) {
      ConfigException e = assertThrows(ConfigException.class, () -> ClassWeights.classesFor(task, 4));
      assertTrue(e.getMessage().contains("class_weight"), e.getMessage());
    }
  }

  @Test
  void balancedWeightsByHandGiveAMeanWeightOfOneAndNothingToAnAbsentClass() {
    // n = 10, classes present k = 3, counts 6, 3, 1:
    // w0 = 10 / (3·6) = 0.5555…, w1 = 10 / (3·3) = 1.1111…, w2 = 10 / (3·1) = 3.3333…
    float[] w = ClassWeights.balanced(new long[] {6, 3, 1});
    assertArrayEquals(new float[] {10f / 18, 10f / 9, 10f / 3}, w, 1e-6f);
    assertEquals(10, 6 * w[0] + 3 * w[1] + w[2], 1e-5, "the weighted count is n");
    // k = 2 present: w0 = 4 / (2·3) = 2/3, w1 = 0 (absent), w2 = 4 / (2·1) = 2
    assertArrayEquals(new float[] {2f / 3, 0, 2}, ClassWeights.balanced(new long[] {3, 0, 1}), 1e-6f);
  }

  @Test
  void balancingMultipliesEveryExamplesOwnWeightByItsClasssWeight() {
    // counts 6, 3, 1 of n = 10, and example weights of their own that multiply in
    float[] labels = {0, 1, 0, 2, 0, 1, 0, 0, 1, 0};
    float[] own = {1, 2, 1, 1, 0.5f, 1, 1, 1, 1, 3};
    Dataset data = Dataset.ofClasses(new float[10], Shape.of(1), labels, 3, "x").withWeights(own);
    float[] w = ClassWeights.balanced(new long[] {6, 3, 1});
    float[] expected = new float[10];
    for (int r = 0; r < 10; r++) {
      expected[r] = w[(int) labels[r]] * own[r];
    }
    Dataset balanced = ClassWeights.balance(data, Task.MULTICLASS, 3);
    assertArrayEquals(expected, balanced.weights());
    assertArrayEquals(new long[] {6, 3, 1}, ClassWeights.counts(labels, 10, 1, 3));
    assertArrayEquals(w, ClassWeights.balanced(ClassWeights.counts(labels, 10, 1, 3)));
  }
}
