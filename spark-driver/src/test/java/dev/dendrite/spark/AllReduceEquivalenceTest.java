package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.EpochSampler;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All-reduce on 1, 2 and 4 partitions equals single-JVM mini-batch descent on the same global
 * mini-batches (the union of every partition's share of each step), after 20 Adam steps.
 * Tolerance: 2e-5 absolute on parameters of size ~0.5 — the two runs differ only in the order in which
 * float gradients are summed (per partition, then across partitions), a relative error near 1e-7 per
 * step that Adam's normalisation can amplify only where a gradient is tiny.
 */
class AllReduceEquivalenceTest {

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.local(2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<Example> synthetic(int n, int features, int classes, long seed) {
    Rng rng = new Rng(seed);
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[features];
      int c = rng.nextInt(classes);
      for (int j = 0; j < features; j++) {
        x[j] = (float) (rng.nextGaussian() + (j % classes == c ? 1.5 : 0));
      }
      list.add(new Example(x, c));
    }
    return list;
  }

  private static Network network() {
    return Network.builder(10).dense(16, "tanh").dense(3, "softmax").seed(3).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void matchesLocalDescentOnTheUnionBatches(int partitions) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(64).withEpochs(2).withSeed(17);
    JavaRDD<Example> examples = sc.parallelize(synthetic(600, 10, 3, 5), 3);
    JavaRDD<DataBlock> blocks = Blocks.toBlocks(examples, partitions, 10, 1);
    List<DataBlock> local = new ArrayList<>(blocks.collect());
    local.sort((a, b) -> Integer.compare(a.partition(), b.partition()));

    Network distributed = network();
    History history = new DistributedTrainer(training, DistributedConfig.defaults().withPartitions(partitions))
        .fitBlocks(distributed, blocks, null);
    blocks.unpersist(false);
    assertEquals(20, history.steps());

    Network reference = network();
    Loss loss = training.createLoss();
    ParameterUpdate update = new ParameterUpdate(reference.layout(), training.optimizer().create(), null);
    int steps = EpochSampler.stepsPerEpoch(600, 64);
    float[] x = new float[600 * 10];
    float[] t = new float[600];
    for (int epoch = 0; epoch < 2; epoch++) {
      List<EpochSampler> samplers = new ArrayList<>();
      for (DataBlock b : local) {
        EpochSampler s = new EpochSampler(b.size());
        s.order(17, epoch, b.partition(), true);
        samplers.add(s);
      }
      for (int step = 0; step < steps; step++) {
        int rows = 0;
        float[] bx = new float[64 * 10];
        float[] bt = new float[64];
        for (int p = 0; p < local.size(); p++) {
          DataBlock b = local.get(p);
          int got = samplers.get(p).gather(b.features(), 10, step, steps, bx);
          samplers.get(p).gather(b.targets(), 1, step, steps, bt);
          System.arraycopy(bx, 0, x, rows * 10, got * 10);
          System.arraycopy(bt, 0, t, rows, got);
          rows += got;
        }
        reference.computeGradients(x, 0, t, 0, null, 0, rows, loss, 1f / rows, null);
        update.apply(reference.parameterArray(), reference.gradientArray());
      }
    }
    float[] a = distributed.parameters();
    float[] b = reference.parameters();
    double maxDiff = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    }
    assertTrue(maxDiff < 2e-5, partitions + " partitions: max parameter difference " + maxDiff);
    assertTrue(history.last().metric("loss") < 1.0, "loss " + history.last().metric("loss"));
  }
}
