package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.SamplingConfig;
import dev.dendrite.core.loss.SumSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.ParameterTensor;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.TrainingConfig;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A variational autoencoder's KL term reaches every distributed path: all-reduce, parameter averaging and
 * collective report a loss that includes β·KL and move the encoder by its gradient. The decoder's weights
 * start at 0, so the reconstruction does not depend on the noise ε (each partition draws its own) and
 * the first step's loss and encoder update have exact single-JVM references.
 */
class LossTermModesTest {

  private static final int ROWS = 40;
  private static final int WIDTH = 6;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.local(2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Network vae(double beta) {
    Network net = Network.builder(WIDTH).add(new DenseConfig(4, "tanh", "glorot_uniform", "uniform(0.5)", 0, 0))
        .add(new DenseConfig(4, "identity", "glorot_uniform", "uniform(0.5)", 0, 0)).add(new SamplingConfig(beta))
        .add(new DenseConfig(WIDTH, "sigmoid", "zeros", "uniform(0.5)", 0, 0)).seed(3).build();
    ParameterTensor w = net.layout().tensor("dense_3/W");
    Arrays.fill(net.parameterArray(), w.offset(), w.end(), 0f);
    return net;
  }

  @ParameterizedTest
  @ValueSource(strings = {"allreduce", "averaging", "collective"})
  void theReportedLossAndTheEncoderStepIncludeTheKlTerm(String mode) {
    float[] x = new float[ROWS * WIDTH];
    Rng rng = new Rng(11);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    double beta = 2.0;
    Network reference = vae(beta);
    double lossSum = reference.loss(x, 0, x, 0, null, 0, ROWS, new SumSquaredError());
    double kl = reference.lastLossTerm(0);
    assertTrue(beta * kl > 0.05 * lossSum, "the KL term must weigh in the loss: KL " + kl + " of " + lossSum);
    reference.computeGradients(x, 0, x, 0, null, 0, ROWS, new SumSquaredError(), 1f / ROWS, new Rng(1));
    new ParameterUpdate(reference.layout(), OptimizerConfig.sgd(0.5).create(), GradientClipping.NONE)
        .apply(reference.parameterArray(), reference.gradientArray());

    TrainingConfig training = TrainingConfig.of("sse", OptimizerConfig.sgd(0.5)).withBatchSize(ROWS)
        .withEpochs(1).withSeed(5);
    Network distributed = vae(beta);
    History history;
    try (Blocks.DriverBlocks blocks = Blocks.fromArrays(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        x, WIDTH, x.clone(), WIDTH, null, ROWS, 2)) {
      history = new DistributedTrainer(training, DistributedConfig.defaults().withMode(mode, 1).withPartitions(2))
          .fitBlocks(distributed, blocks.rdd(), null);
    }
    assertEquals(1, history.steps(), mode);
    assertEquals(lossSum / ROWS, history.last().metric("loss"), 1e-5 * lossSum / ROWS,
        mode + ": the step's loss is reconstruction + β·KL (β·KL alone is " + beta * kl / ROWS + " per example)");
    int encoderEnd = reference.layout().tensor("dense_1/b").end();
    assertArrayEquals(Arrays.copyOf(reference.parameterArray(), encoderEnd),
        Arrays.copyOf(distributed.parameterArray(), encoderEnd), 1e-6f,
        mode + ": the encoder moved by the KL gradient, as on one JVM");
  }
}
