package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.FashionMnist;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.optim.ScheduleConfig;
import org.junit.jupiter.api.Test;

/**
 * The benchmark task on the real files: MLP 784-256-128-10 (ReLU, softmax cross-entropy, Adam, batch
 * 128) reaches at least 89.5 % test accuracy within 20 epochs, with early stopping on a validation split
 * of the training set. Wall time is printed, not asserted.
 */
class FashionMnistTest {

  static Network mlp(long seed) {
    return Network.builder(1, 28, 28).dense(256, "relu").dense(128, "relu").dense(10, "softmax").seed(seed)
        .build();
  }

  public static TrainingConfig config() {
    // cosine decay of the learning rate over the 20 epochs (55 000 / 128 → 430 steps each)
    OptimizerConfig adam = OptimizerConfig.adam(1e-3).withSchedule(ScheduleConfig.cosine(20 * 430, 1e-5));
    return TrainingConfig.of("sparse_categorical_crossentropy", adam)
        .withBatchSize(128).withEpochs(20).withSeed(42).withThreads(2).withValidationSplit(1.0 / 12)
        .withEarlyStopping(new EarlyStopping("val_accuracy", 3, 0, true));
  }

  @Test
  void mlpReachesTheTargetAccuracy() throws Exception {
    Dataset train = FashionMnist.train();
    Dataset test = FashionMnist.test();
    Preprocessor pixels = new PixelScaler().fit(train);
    pixels.transform(train);
    pixels.transform(test);
    Network net = mlp(42);
    long start = System.nanoTime();
    History history = new LocalTrainer(config()).listener(new ProgressBar(System.out, false)).fit(net, train);
    double seconds = (System.nanoTime() - start) / 1e9;

    ClassificationMetrics metrics = new ClassificationMetrics(10);
    float[] out = net.forward(test.features(), 0, test.size(), false, null);
    metrics.add(out, 10, test.targets(), 0, 1, test.size());
    System.out.printf("Fashion-MNIST MLP: %d epochs (%s, best %d) in %.1f s, test accuracy %.4f%n%s%n",
        history.epochs().size(), history.stopReason(), history.bestEpoch(), seconds, metrics.accuracy(),
        metrics.confusionMatrix().toTable(null));
    assertTrue(metrics.accuracy() >= 0.895, "test accuracy " + metrics.accuracy());
  }
}
