package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.LabelRule;
import dev.dendrite.core.data.LibSvmReader;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.loss.Losses;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.optim.Sgd;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.train.Evaluation;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.Task;
import dev.dendrite.core.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Adaline, the lecture's {@code Δw = η Σ (y - w·x) x}, worked by hand on four points with the bias as an
 * always-one third input ({@code w = (w1, w2, b)}, the network's layout), then trained on the
 * standardized Breast Cancer Wisconsin features (examples/data) and driven to divergence.
 */
class AdalineTest {

  // rows (1,0) +1, (0,1) -1, (1,1) +1, (0,0) -1; with the bias input: (1,0,1), (0,1,1), (1,1,1), (0,0,1)
  private static final float[] X = {1, 0, 0, 1, 1, 1, 0, 0};
  private static final float[] Y = {1, -1, 1, -1};

  @Test
  void theFirstOnlineEpochMatchesTheHandWorkedUpdates() {
    // η = 0.25, batch 1: w ← w + η (y - w·x) x, from w = 0
    float[][] byHand = {
        {0.25f, 0f, 0.25f},            // (1,0,1): a = 0, e = 1, Δ = 0.25·(1,0,1)
        {0.25f, -0.3125f, -0.0625f},   // (0,1,1): a = 0.25, e = -1.25, Δ = -0.3125·(0,1,1)
        {0.53125f, -0.03125f, 0.21875f}, // (1,1,1): a = -0.125, e = 1.125, Δ = 0.28125·(1,1,1)
        {0.53125f, -0.03125f, -0.0859375f}, // (0,0,1): a = 0.21875, e = -1.21875, Δ = -0.3046875·(0,0,1)
    };
    double[] halfSquaredErrors = {0.5, 0.78125, 0.6328125, 0.74267578125}; // ½ e²
    for (float[] labels : new float[][] {Y, {1, 0, 1, 0}}) {
      ShallowModel adaline = ShallowModel.adaline(2);
      Network net = adaline.network();
      assertArrayEquals(new float[3], net.parameters(), "Adaline starts from w = 0");
      ParameterUpdate update = new ParameterUpdate(net.layout(), new Sgd(0.25f), GradientClipping.NONE);
      for (int row = 0; row < 4; row++) {
        double loss = net.computeGradients(X, 2 * row, labels, row, null, 0, 1, adaline.loss(), 1f, null);
        update.apply(net.parameterArray(), net.gradientArray());
        assertEquals(halfSquaredErrors[row], loss, 1e-7, "row " + (row + 1) + " loss");
        assertArrayEquals(byHand[row], net.parameters(), "labels " + Arrays.toString(labels) + ", row "
            + (row + 1) + ": w = " + Arrays.toString(net.parameters()));
      }
      // predictions with the perceptron's threshold: class 1 when w·x > 0
      assertArrayEquals(new float[] {0.4453125f, -0.1171875f, 0.4140625f, -0.0859375f},
          net.forward(X, 0, 4, false, null), "w·x after the epoch");
    }
  }

  @Test
  void fullBatchEpochsAreTheLecturesSumOverTheRows() {
    // lecture η = 0.125 over n = 4 rows: the trainer averages over its batch, so learning rate 0.5
    ShallowModel adaline = ShallowModel.adaline(2);
    Dataset points = new Dataset(X.clone(), Shape.of(2), Y.clone(), 1, Dataset.TargetKind.REGRESSION, 0, null,
        "four points");
    TrainingConfig config = TrainingConfig.of("adaline", OptimizerConfig.sgd(0.5)).withBatchSize(4)
        .withShuffle(false).withThreads(1);
    // epoch 1 from w = 0: Σ y x = (1,0,1) - (0,1,1) + (1,1,1) - (0,0,1) = (2, 0, 0); Δw = 0.125·(2,0,0)
    new LocalTrainer(config.withEpochs(1)).fit(adaline.network(), points);
    assertArrayEquals(new float[] {0.25f, 0f, 0f}, adaline.network().parameters());
    // epoch 2: w·x = 0.25, 0, 0.25, 0; errors 0.75, -1, 0.75, -1;
    // Σ e x = 0.75·(1,0,1) - (0,1,1) + 0.75·(1,1,1) - (0,0,1) = (1.5, -0.25, -0.5); Δw = 0.125·that
    new LocalTrainer(config.withEpochs(1)).fit(adaline.network(), points);
    assertArrayEquals(new float[] {0.4375f, -0.03125f, -0.0625f}, adaline.network().parameters());
  }

  private static Path exampleData(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/data"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no examples/data above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("examples/data").resolve(name);
  }

  /** Breast Cancer Wisconsin, 455 training and 114 test rows of 30 features, standardized on the training rows. */
  private static Dataset[] breastCancer() throws Exception {
    LibSvmReader.Options options = LibSvmReader.Options.defaults().withDimension(30);
    Dataset train = LibSvmReader.read(exampleData("breast-cancer-train.libsvm"), options);
    Dataset test = LibSvmReader.read(exampleData("breast-cancer-test.libsvm"), options);
    StandardScaler scaler = new StandardScaler().fit(train);
    scaler.transform(train);
    scaler.transform(test);
    return new Dataset[] {train, test};
  }

  @Test
  void convergesOnStandardizedBreastCancerFeatures() throws Exception {
    Dataset[] data = breastCancer();
    ShallowModel adaline = ShallowModel.adaline(30);
    // full-batch gradient descent at lecture η = 0.0002 over 455 rows: learning rate 0.091
    History history = new LocalTrainer(TrainingConfig.of("adaline", OptimizerConfig.sgd(0.091))
        .withBatchSize(455).withEpochs(300).withShuffle(false).withThreads(1)).fit(adaline.network(), data[0]);
    double[] loss = history.metric("loss");
    for (int e = 1; e < loss.length; e++) {
      assertTrue(loss[e] <= loss[e - 1] + 1e-9, "full-batch Adaline at a small rate descends every epoch: epoch "
          + (e + 1) + " loss " + loss[e] + " after " + loss[e - 1]);
    }
    assertTrue(loss[loss.length - 1] < 0.15, "mean ½(y - w·x)² after 300 epochs: " + loss[loss.length - 1]
        + " (it starts at 0.5)");
    Evaluation test = LocalTrainer.evaluate(adaline.network(), adaline.loss(), data[1], 114);
    assertEquals(Task.BINARY_SCORE, test.task());
    assertTrue(test.accuracy() >= 0.95, "test accuracy " + test.accuracy());
  }

  @Test
  void aLearningRateTooLargeDivergesAndTheDivergenceCheckSaysSo() throws Exception {
    Dataset[] data = breastCancer();
    ShallowModel adaline = ShallowModel.adaline(30);
    History history = new LocalTrainer(TrainingConfig.of("adaline", OptimizerConfig.sgd(5))
        .withBatchSize(455).withEpochs(500).withShuffle(false).withThreads(1)).fit(adaline.network(), data[0]);
    // learning rate 5 is lecture η ≈ 0.011 over 455 rows, past 2 / (largest eigenvalue of XᵀX)
    String reason = history.stopReason();
    assertTrue(reason.matches("diverged: training diverged at step \\d+: the loss is (Infinity|NaN); the "
        + "parameters of the last good step were kept\\. Try a lower learning rate, .*"), reason);
    assertTrue(history.epochs().size() < 500, "stopped after " + history.epochs().size() + " epochs");
    for (float w : adaline.network().parameters()) {
      assertTrue(Float.isFinite(w), "the last good parameters are kept: " + w);
    }
  }

  @Test
  void adalineIsReachableByNameLikeThePerceptron() {
    assertEquals("adaline", Losses.parse("adaline").name());
    assertEquals(Task.BINARY_SCORE, Task.of("adaline", 1));
    assertEquals(LabelRule.Kind.SIGNED_BINARY, LabelRule.of("adaline", 1).kind());
  }
}
