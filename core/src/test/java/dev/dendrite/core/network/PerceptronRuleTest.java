package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.optim.Sgd;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.TrainingConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The lecture's perceptron worked by hand on logical AND: inputs (0,0), (0,1), (1,0), (1,1) in that
 * order, labels -1, -1, -1, +1, the bias as an always-one third input, so the weight vector is
 * {@code w = (w1, w2, b)} — exactly the network's layout {@code dense_0/W [1,2]} then {@code dense_0/b [1]}.
 * From {@code w = 0}, one example at a time with learning rate 1: if {@code y·(w·x) ≤ 0} then
 * {@code w ← w + y·x}.
 */
class PerceptronRuleTest {

  private static final float[] X = {0, 0, 0, 1, 1, 0, 1, 1};
  private static final float[] Y = {-1, -1, -1, 1};

  /**
   * The weights after every row, worked by hand (a = w·x before the row; "upd" marks y·a ≤ 0):
   * <pre>
   * pass 1: (0,0,1) y-1 a 0 upd → (0,0,-1); (0,1,1) a -1 ok; (1,0,1) a -1 ok; (1,1,1) y+1 a -1 upd → (1,1,0)
   * pass 2: (0,0,1) a 0 upd → (1,1,-1); (0,1,1) a 0 upd → (1,0,-2); (1,0,1) a -1 ok; (1,1,1) a -1 upd → (2,1,-1)
   * pass 3: a -1 ok; (0,1,1) a 0 upd → (2,0,-2); (1,0,1) a 0 upd → (1,0,-3); (1,1,1) a -2 upd → (2,1,-2)
   * pass 4: a -2 ok; a -1 ok; (1,0,1) a 0 upd → (1,1,-3); (1,1,1) a -1 upd → (2,2,-2)
   * pass 5: a -2 ok; (0,1,1) a 0 upd → (2,1,-3); a -1 ok; (1,1,1) a 0 upd → (3,2,-2)
   * pass 6: a -2 ok; (0,1,1) a 0 upd → (3,1,-3); (1,0,1) a 0 upd → (2,1,-4); (1,1,1) a -1 upd → (3,2,-3)
   * pass 7: a -3 ok; a -1 ok; (1,0,1) a 0 upd → (2,2,-4); (1,1,1) a 0 upd → (3,3,-3)
   * pass 8: a -3 ok; (0,1,1) a 0 upd → (3,2,-4); a -1 ok; (1,1,1) a 1 ok
   * pass 9: a -4, -2, -1, 1: all right, nothing moves
   * </pre>
   * Thirteen of the eighteen updates happen at a zero activation. The rule that counts 0 as right for
   * the positive class leaves this path at pass 5, row 4 ((1,1) with a = 0) and ends at (2,1,-3).
   */
  private static final float[][] BY_HAND = {
      {0, 0, -1}, {0, 0, -1}, {0, 0, -1}, {1, 1, 0},
      {1, 1, -1}, {1, 0, -2}, {1, 0, -2}, {2, 1, -1},
      {2, 1, -1}, {2, 0, -2}, {1, 0, -3}, {2, 1, -2},
      {2, 1, -2}, {2, 1, -2}, {1, 1, -3}, {2, 2, -2},
      {2, 2, -2}, {2, 1, -3}, {2, 1, -3}, {3, 2, -2},
      {3, 2, -2}, {3, 1, -3}, {2, 1, -4}, {3, 2, -3},
      {3, 2, -3}, {3, 2, -3}, {2, 2, -4}, {3, 3, -3},
      {3, 3, -3}, {3, 2, -4}, {3, 2, -4}, {3, 2, -4},
      {3, 2, -4}, {3, 2, -4}, {3, 2, -4}, {3, 2, -4},
  };

  private static void assertFollowsTheHandWorkedPath(float[] labels) {
    ShallowModel p = ShallowModel.perceptron(2);
    Network net = p.network();
    assertArrayEquals(new float[3], net.parameters(), "the perceptron starts from w = 0");
    ParameterUpdate update = new ParameterUpdate(net.layout(), new Sgd(1f), GradientClipping.NONE);
    for (int step = 0; step < BY_HAND.length; step++) {
      int row = step % 4;
      net.computeGradients(X, 2 * row, labels, row, null, 0, 1, p.loss(), 1f, null);
      update.apply(net.parameterArray(), net.gradientArray());
      assertArrayEquals(BY_HAND[step], net.parameters(), "pass " + (step / 4 + 1) + ", row " + (row + 1)
          + ": w = " + Arrays.toString(net.parameters()) + ", by hand " + Arrays.toString(BY_HAND[step]));
    }
  }

  @Test
  void everyWeightVectorOfNinePassesOverAndMatchesTheHandWorkedRule() {
    assertFollowsTheHandWorkedPath(Y);
  }

  @Test
  void zeroOneLabelsFollowTheSamePathAsPlusMinusOne() {
    assertFollowsTheHandWorkedPath(new float[] {0, 0, 0, 1});
  }

  @Test
  void theFirstExampleUpdatesFromZeroWhateverItsLabel() {
    for (float label : new float[] {-1f, 1f}) {
      ShallowModel p = ShallowModel.perceptron(2);
      double loss = p.network().computeGradients(new float[] {1, 2}, 0, new float[] {label}, 0, null, 0, 1,
          p.loss(), 1f, null);
      assertEquals(0.0, loss, "a zero activation costs |z| = 0");
      assertArrayEquals(new float[] {-label, -2 * label, -label}, p.network().gradients(new float[3]),
          "label " + label + ": a zero activation is a mistake, gradient -y·x with the bias input 1");
    }
  }

  @Test
  void aZeroActivationPredictsTheNegativeClass() {
    ShallowModel p = ShallowModel.perceptron(2);
    assertArrayEquals(new float[] {0f, 0f}, p.network().forward(new float[] {0, 0, 5, -3}, 0, 2, false, null),
        "w = 0: the step names class 0 when w·x = 0");
    p.network().setParameters(new float[] {3, 2, -4});
    assertArrayEquals(new float[] {0, 0, 0, 1}, p.network().forward(X, 0, 4, false, null), "AND learned");
  }

  @Test
  void localTrainerInOrderWithBatchOneEndsOnTheHandWorkedWeights() {
    ShallowModel p = ShallowModel.perceptron(2);
    Dataset and = new Dataset(X.clone(), Shape.of(2), Y.clone(), 1, Dataset.TargetKind.REGRESSION, 0, null, "AND");
    TrainingConfig config = TrainingConfig.of("perceptron", OptimizerConfig.sgd(1)).withBatchSize(1)
        .withEpochs(8).withShuffle(false).withThreads(1);
    new LocalTrainer(config).fit(p.network(), and);
    assertArrayEquals(BY_HAND[31], p.network().parameters(), "after 8 passes: " + Arrays.toString(
        p.network().parameters()));
  }
}
