package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Early stopping, divergence handling and progress output of the shared training loop. */
class TrainingLoopTest {

  private static Dataset regression(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) rng.nextGaussian();
      x[2 * i + 1] = (float) rng.nextGaussian();
      y[i] = 3 * x[2 * i] - x[2 * i + 1];
    }
    return Dataset.ofRegression(x, Shape.of(2), y, 1, "linear");
  }

  @Test
  void divergenceStopsNamingTheStepAndKeepsTheLastGoodParameters() {
    Network net = Network.builder(2).dense(8, "relu").dense(1).seed(1).build();
    // a learning rate of 1e4 makes SGD blow up within a few steps
    TrainingConfig config = TrainingConfig.of("mse", OptimizerConfig.sgd(1e4)).withBatchSize(10).withEpochs(5);
    History h = new LocalTrainer(config).fit(net, regression(100, 2));
    assertTrue(h.stopReason().startsWith("diverged: training diverged at step"), h.stopReason());
    assertTrue(h.stopReason().contains("lower learning rate"), h.stopReason());
    for (float p : net.parameters()) {
      assertTrue(Float.isFinite(p), "kept parameters must be finite");
    }
  }

  @Test
  void earlyStoppingStopsAndRestoresTheBestEpoch() {
    Network net = Network.builder(2).dense(1).seed(1).build();
    // validation targets are unrelated noise: val_loss stops improving almost at once
    Dataset noise = regression(50, 9);
    Rng rng = new Rng(4);
    for (int i = 0; i < noise.size(); i++) {
      noise.targets()[i] = (float) rng.nextGaussian() * 5;
    }
    TrainingConfig config = TrainingConfig.of("mse", OptimizerConfig.sgd(0.05)).withBatchSize(10).withEpochs(50)
        .withEarlyStopping(new EarlyStopping("val_loss", 2, 0, true));
    History h = new LocalTrainer(config).fit(net, regression(200, 3), noise);
    assertEquals("early_stopping", h.stopReason());
    assertTrue(h.epochs().size() < 50);
    assertEquals(h.bestEpoch() + 2 + 1, h.epochs().size(), "stops after patience + 1 epochs without improvement");
    double best = h.epochs().get(h.bestEpoch() - 1).metric("val_loss");
    double restored = LocalTrainer.evaluate(net, config.createLoss(), noise, 32).meanLoss();
    assertEquals(best, restored, 1e-6, "the best epoch's parameters are restored");
  }

  @Test
  void patienceRunningOutInTheLastEpochIsACompletedRunNotAnEarlyStop() {
    Network net = Network.builder(2).dense(1).seed(1).build();
    Dataset noise = regression(50, 9);
    Rng rng = new Rng(4);
    for (int i = 0; i < noise.size(); i++) {
      noise.targets()[i] = (float) rng.nextGaussian() * 5;
    }
    EarlyStopping early = new EarlyStopping("val_loss", 2, 0, true);
    // first find where patience runs out, then end the run exactly at that epoch
    History free = new LocalTrainer(TrainingConfig.of("mse", OptimizerConfig.sgd(0.05)).withBatchSize(10)
        .withEpochs(50).withEarlyStopping(early)).fit(Network.builder(2).dense(1).seed(1).build(),
        regression(200, 3), noise);
    int stopEpoch = free.epochs().size();
    assertEquals("early_stopping", free.stopReason(), "the unlimited run must stop early for this test to mean anything");
    TrainingConfig config = TrainingConfig.of("mse", OptimizerConfig.sgd(0.05)).withBatchSize(10)
        .withEpochs(stopEpoch).withEarlyStopping(early);
    History h = new LocalTrainer(config).fit(net, regression(200, 3), noise);
    assertEquals(stopEpoch, h.epochs().size());
    assertEquals("completed", h.stopReason(), "patience ran out in epoch " + stopEpoch + " of " + stopEpoch);
    assertEquals(free.bestEpoch(), h.bestEpoch(), "the best epoch is still kept");
  }

  @Test
  void everyEpochOfAClassifierRecordsTrainingAccuracyAndARegressionNone() {
    Rng rng = new Rng(11);
    int n = 200;
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) rng.nextGaussian();
      x[2 * i + 1] = (float) rng.nextGaussian();
      y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
    }
    Dataset blobs = Dataset.ofClasses(x, Shape.of(2), y, 2, "two blobs");
    Network net = Network.builder(2).dense(4, "tanh").dense(2, "softmax").seed(3).build();
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.05))
        .withBatchSize(25).withEpochs(4).withSeed(3);
    History h = new LocalTrainer(config).fit(net, blobs.range(0, 150), blobs.range(150, 200));
    for (EpochRecord r : h.epochs()) {
      assertEquals(java.util.List.of("loss", "accuracy", "val_loss", "val_accuracy"),
          java.util.List.copyOf(r.metrics().keySet()), "epoch " + r.epoch());
    }
    double last = h.last().metric("accuracy");
    double measured = LocalTrainer.evaluate(net, config.createLoss(), blobs.range(0, 150), 32).accuracy();
    assertEquals(measured, last, 1e-12, "the training accuracy of the final parameters on the training rows");

    TrainingConfig mse = TrainingConfig.of("mse", OptimizerConfig.sgd(0.05)).withBatchSize(10).withEpochs(2);
    History r = new LocalTrainer(mse).fit(Network.builder(2).dense(1).seed(1).build(), regression(100, 3));
    assertEquals(java.util.Set.of("loss"), r.last().metrics().keySet(), "regression has no accuracy");
  }

  @Test
  void progressPrintsOneLinePerEpochWhenNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Network net = Network.builder(2).dense(1).seed(1).build();
    TrainingConfig config = TrainingConfig.of("mse", OptimizerConfig.sgd(0.05)).withBatchSize(10).withEpochs(3);
    new LocalTrainer(config).listener(new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false))
        .fit(net, regression(100, 3), regression(20, 5));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[2].startsWith("Epoch 3/3 - "), lines[2]);
    assertTrue(lines[2].contains("samples/s - loss ") && lines[2].contains("val_mse"), lines[2]);
  }

  @Test
  void interactiveProgressRedrawsInPlace() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    bar.onEpochStart(1, 2, 10);
    bar.onStep(1, 2, 10, 10, 0.5, 100);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("\rEpoch 1/2 [") && out.contains("10/10 - loss 0.5000") && out.contains("ETA"), out);
  }
}
