package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The same seed and data give bit-identical weights; another seed gives others. */
class ReproducibilityTest {

  private static Dataset data() {
    Rng rng = new Rng(3);
    int n = 500;
    float[] x = new float[n * 8];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(3);
      for (int j = 0; j < 8; j++) {
        x[i * 8 + j] = (float) (rng.nextGaussian() + (j % 3 == y[i] ? 1 : 0));
      }
    }
    return Dataset.ofClasses(x, Shape.of(8), y, 3, "synthetic");
  }

  private static float[] train(long seed, int threads) {
    Network net = Network.builder(8).dense(16, "relu").dropout(0.2).dense(3, "softmax").seed(seed).build();
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(32).withEpochs(3).withSeed(seed).withThreads(threads).withValidationSplit(0.2);
    History h = new LocalTrainer(config).fit(net, data());
    assertEquals(3, h.epochs().size());
    return net.parameters();
  }

  private static float[] trainDense(int threads) {
    Network net = Network.builder(8).dense(40, "relu").dense(24, "tanh").dense(3, "softmax").seed(5).build();
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(32).withEpochs(3).withSeed(5).withThreads(threads).withValidationSplit(0.2);
    new LocalTrainer(config).fit(net, data());
    return net.parameters();
  }

  @Test
  void aDenseNetworkTrainsTheSameWeightsOnOneTwoAndThreeThreads() {
    float[] one = trainDense(1);
    assertArrayEquals(one, trainDense(2), "two threads, each owning a share of every layer's units");
    assertArrayEquals(one, trainDense(3), "three threads");
  }

  @Test
  void sameSeedSameWeights() {
    assertArrayEquals(train(7, 1), train(7, 1));
    assertArrayEquals(train(7, 2), train(7, 2));
    assertFalse(Arrays.equals(train(7, 1), train(8, 1)));
  }
}
