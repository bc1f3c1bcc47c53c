package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.EpochSampler;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Blocks;
import dev.dendrite.spark.data.DataBlock;
import dev.dendrite.spark.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All-reduce (and collective) on one partition gives exactly {@link LocalTrainer}'s weights: both sample
 * with {@link EpochSampler} and draw dropout from {@code StepRandom}. On 2, 4 and 12 partitions (12 with
 * a batch of 8, more partitions than the batch size) each partition samples its own block, so the
 * reference is single-JVM mini-batch descent on the same global mini-batches (the union of every
 * partition's share of each step), after 20 or 75 Adam steps. Parameter averaging with empty partitions equals
 * each partition's local steps averaged by examples.
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
  @ValueSource(strings = {"allreduce", "collective"})
  void onePartitionTrainsExactlyTheWeightsOfLocalTrainer(String mode) {
    // the same sampler (share 0 of 1), the same dropout draws, the same sum-then-divide arithmetic: to the bit;
    // 600 rows in batches of 64 (uneven slices), shuffled, with dropout
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(64).withEpochs(2).withSeed(17);
    int rows = 600;
    List<Example> examples = synthetic(rows, 10, 3, 5);
    float[] features = new float[rows * 10];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(examples.get(i).features(), 0, features, i * 10, 10);
      labels[i] = examples.get(i).target()[0];
    }
    Network local = droppingNetwork();
    History localHistory = new LocalTrainer(training).fit(local,
        Dataset.ofClasses(features, Shape.of(10), labels, 3, "synthetic"), null);

    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Network distributed = droppingNetwork();
    History history;
    try (Blocks.DriverBlocks blocks = Blocks.fromArrays(sc, features, 10, labels, 1, null, rows, 1)) {
      history = new DistributedTrainer(training, DistributedConfig.defaults().withMode(mode, 1).withPartitions(1))
          .fitBlocks(distributed, blocks.rdd(), null);
    }
    assertEquals(localHistory.steps(), history.steps(), "steps");
    assertArrayEquals(local.parameters(), distributed.parameters(),
        "one partition in mode " + mode + " must give LocalTrainer's weights exactly");
    assertEquals(localHistory.last().metric("loss"), history.last().metric("loss"), 1e-12, "last epoch's loss");
  }

  @Test
  void balancedClassWeightsWeighEveryExampleOnSparkAsLocalTrainerDoes() {
    // 600 rows whose classes are drawn 70 / 20 / 10 %: with class_weight balanced, one partition trains
    // LocalTrainer's weights to the bit, and those are not the weights of the same run unweighted
    TrainingConfig plain = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(64).withEpochs(2).withSeed(17);
    TrainingConfig balanced = plain.withClassWeight("balanced");
    int rows = 600;
    Rng rng = new Rng(9);
    float[] features = new float[rows * 10];
    float[] labels = new float[rows];
    int[] counts = new int[3];
    for (int i = 0; i < rows; i++) {
      double u = rng.nextDouble();
      int c = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
      counts[c]++;
      labels[i] = c;
      for (int j = 0; j < 10; j++) {
        features[i * 10 + j] = (float) (rng.nextGaussian() + (j % 3 == c ? 1.0 : 0));
      }
    }
    assertTrue(counts[0] > 3 * counts[2], "imbalanced: " + java.util.Arrays.toString(counts));
    Network local = network();
    new LocalTrainer(balanced).fit(local, Dataset.ofClasses(features, Shape.of(10), labels, 3, "imbalanced"), null);

    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Network weighted = network();
    Network unweighted = network();
    try (Blocks.DriverBlocks blocks = Blocks.fromArrays(sc, features, 10, labels, 1, null, rows, 1)) {
      DistributedConfig onePartition = DistributedConfig.defaults().withMode("allreduce", 1).withPartitions(1);
      new DistributedTrainer(balanced, onePartition).fitBlocks(weighted, blocks.rdd(), null);
      new DistributedTrainer(plain, onePartition).fitBlocks(unweighted, blocks.rdd(), null);
    }
    assertArrayEquals(local.parameters(), weighted.parameters(), "balanced on Spark = balanced in LocalTrainer");
    assertFalse(java.util.Arrays.equals(weighted.parameters(), unweighted.parameters()),
        "the class weights change the training");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 4})
  void matchesLocalDescentOnTheUnionBatches(int partitions) {
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(64).withEpochs(2).withSeed(17);
    History history = assertMatchesLocalDescent(training, partitions, 600, true);
    assertEquals(20, history.steps());
    assertTrue(history.last().metric("loss") < 1.0, "loss " + history.last().metric("loss"));
  }

  private static Network droppingNetwork() {
    return Network.builder(10).dense(16, "tanh").dropout(0.25).dense(3, "softmax").seed(3).build();
  }

  @Test
  void matchesLocalDescentWithMorePartitionsThanTheBatchSize() {
    // 600 rows in 12 partitions of ~50, batch 8: 75 steps, so a partition has rows for only 2 steps in 3
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(8).withEpochs(1).withSeed(17);
    History history = assertMatchesLocalDescent(training, 12, 600, false);
    assertEquals(75, history.steps());
  }

  @Test
  void averagingWithEmptyPartitionsWeighsEachPartitionByItsExamples() {
    // 40 rows in 48 partitions: 8 hold nothing, the others one row each; 3 steps of 16 per epoch, averaged
    // every 2 steps. The reference runs each partition's local SGD steps and averages them weighted by
    // the examples each trained on: a partition without examples must not count.
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int rows = 40;
    int partitions = 48;
    int k = 2;
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.sgd(0.5))
        .withBatchSize(16).withEpochs(2).withSeed(17);
    List<Example> examples = synthetic(rows, 10, 3, 5);
    float[] features = new float[rows * 10];
    float[] targets = new float[rows];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(examples.get(i).features(), 0, features, i * 10, 10);
      targets[i] = examples.get(i).target()[0];
    }
    Network distributed = network();
    History history;
    List<DataBlock> local;
    try (Blocks.DriverBlocks blocks = Blocks.fromArrays(sc, features, 10, targets, 1, null, rows, partitions)) {
      local = new ArrayList<>(blocks.rdd().collect());
      history = new DistributedTrainer(training, DistributedConfig.defaults().withMode("averaging", k)
          .withPartitions(partitions)).fitBlocks(distributed, blocks.rdd(), null);
    }
    local.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    assertEquals(4, history.steps(), "2 rounds of 2 steps per epoch");

    Network reference = network();
    Network replica = network();
    Loss loss = training.createLoss();
    int steps = EpochSampler.stepsPerEpoch(rows, training.batchSize());
    float[] bx = new float[rows * 10];
    float[] bt = new float[rows];
    int n = reference.parameterCount();
    for (int epoch = 0; epoch < training.epochs(); epoch++) {
      for (int first = 0; first < steps; first += k) {
        double[] sum = new double[n];
        long total = 0;
        for (DataBlock b : local) {
          EpochSampler sampler = new EpochSampler(b.size(), b.partition(), local.size());
          sampler.order(training.seed(), epoch, b.partition(), true);
          replica.setParameters(reference.parameterArray());
          ParameterUpdate sgd = new ParameterUpdate(replica.layout(), training.optimizer().create(), null);
          long used = 0;
          for (int step = first; step < Math.min(first + k, steps); step++) {
            int got = sampler.gather(b.features(), 10, step, steps, bx);
            sampler.gather(b.targets(), 1, step, steps, bt);
            if (got > 0) {
              replica.computeGradients(bx, 0, bt, 0, null, 0, got, loss, 1f / got, null);
              sgd.apply(replica.parameterArray(), replica.gradientArray());
              used += got;
            }
          }
          for (int i = 0; i < n; i++) {
            sum[i] += (double) replica.parameterArray()[i] * used;
          }
          total += used;
        }
        assertTrue(total > 0, "round at step " + first + " of epoch " + epoch + " has examples");
        for (int i = 0; i < n; i++) {
          reference.parameterArray()[i] = (float) (sum[i] / total);
        }
      }
    }
    assertClose(reference.parameters(), distributed.parameters(), "averaging on 48 partitions, 8 empty");
  }

  @Test
  void aStepThatNoPartitionHasRowsForIsSkippedInsteadOfFailing() {
    // blocks of 1, 1, 0 and 0 rows with batch 1: 2 steps, and both rows fall into step 1 (block 0 at
    // floor(s/2), block 1 at floor(s/2 + 1/4)), so step 0 has nothing to learn from
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Example> two = synthetic(2, 10, 3, 5);
    List<DataBlock> list = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      List<Example> rows = p < 2 ? List.of(two.get(p)) : List.of();
      float[] f = new float[rows.size() * 10];
      float[] t = new float[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        System.arraycopy(rows.get(i).features(), 0, f, i * 10, 10);
        t[i] = rows.get(i).target()[0];
      }
      list.add(new DataBlock(p, rows.size(), 10, 1, f, t, null));
    }
    JavaRDD<DataBlock> blocks = sc.parallelize(list, 4).cache();
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.sgd(0.5))
        .withBatchSize(1).withEpochs(1).withSeed(17);
    Network distributed = network();
    History history = new DistributedTrainer(training, DistributedConfig.defaults().withPartitions(4))
        .fitBlocks(distributed, blocks, null);
    blocks.unpersist(false);
    assertEquals(2, history.steps());

    Network reference = network(); // one SGD step on the mean gradient of both rows
    float[] x = new float[20];
    System.arraycopy(two.get(0).features(), 0, x, 0, 10);
    System.arraycopy(two.get(1).features(), 0, x, 10, 10);
    float[] t = {two.get(0).target()[0], two.get(1).target()[0]};
    reference.computeGradients(x, 0, t, 0, null, 0, 2, training.createLoss(), 0.5f, null);
    new ParameterUpdate(reference.layout(), training.optimizer().create(), null)
        .apply(reference.parameterArray(), reference.gradientArray());
    assertClose(reference.parameters(), distributed.parameters(), "one step on both rows, one skipped");
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    double maxDiff = 0;
    for (int i = 0; i < actual.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    }
    assertTrue(maxDiff < 2e-5, what + ": max parameter difference " + maxDiff);
  }

  /**
   * Trains on {@code rows} synthetic examples cut into {@code partitions} blocks and compares the weights
   * with single-JVM descent on the union of every block's share of each step. The blocks come from an RDD
   * of examples in 3 partitions ({@code viaExamples}: Spark's repartition decides the sizes) or from
   * driver arrays (block p holds rows {@code [floor(rows·p/P), floor(rows·(p+1)/P))}, empty when P > rows).
   */
  private static History assertMatchesLocalDescent(TrainingConfig training, int partitions, int rows,
                                                   boolean viaExamples) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Example> examples = synthetic(rows, 10, 3, 5);
    float[] features = new float[rows * 10];
    float[] targets = new float[rows];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(examples.get(i).features(), 0, features, i * 10, 10);
      targets[i] = examples.get(i).target()[0];
    }
    Network distributed = network();
    History history;
    List<DataBlock> local;
    DistributedTrainer trainer = new DistributedTrainer(training, DistributedConfig.defaults()
        .withPartitions(partitions));
    if (viaExamples) {
      JavaRDD<DataBlock> blocks = Blocks.toBlocks(sc.parallelize(examples, 3), partitions, 10, 1);
      local = new ArrayList<>(blocks.collect());
      history = trainer.fitBlocks(distributed, blocks, null);
      blocks.unpersist(false);
    } else {
      try (Blocks.DriverBlocks blocks = Blocks.fromArrays(sc, features, 10, targets, 1, null, rows, partitions)) {
        local = new ArrayList<>(blocks.rdd().collect());
        history = trainer.fitBlocks(distributed, blocks.rdd(), null);
      }
    }
    local.sort((a, b) -> Integer.compare(a.partition(), b.partition()));

    Network reference = network();
    Loss loss = training.createLoss();
    ParameterUpdate update = new ParameterUpdate(reference.layout(), training.optimizer().create(), null);
    int steps = EpochSampler.stepsPerEpoch(rows, training.batchSize());
    float[] x = new float[rows * 10];
    float[] t = new float[rows];
    float[] bx = new float[rows * 10];
    float[] bt = new float[rows];
    for (int epoch = 0; epoch < training.epochs(); epoch++) {
      List<EpochSampler> samplers = new ArrayList<>();
      for (DataBlock b : local) {
        EpochSampler s = new EpochSampler(b.size(), b.partition(), local.size());
        s.order(training.seed(), epoch, b.partition(), true);
        samplers.add(s);
      }
      for (int step = 0; step < steps; step++) {
        int batch = 0;
        for (int p = 0; p < local.size(); p++) {
          DataBlock b = local.get(p);
          int got = samplers.get(p).gather(b.features(), 10, step, steps, bx);
          samplers.get(p).gather(b.targets(), 1, step, steps, bt);
          System.arraycopy(bx, 0, x, batch * 10, got * 10);
          System.arraycopy(bt, 0, t, batch, got);
          batch += got;
        }
        assertTrue(batch > 0, "step " + step + " of epoch " + epoch + " has examples");
        reference.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f / batch, null);
        update.apply(reference.parameterArray(), reference.gradientArray());
      }
    }
    assertClose(reference.parameters(), distributed.parameters(), "all-reduce on " + partitions + " partitions");
    return history;
  }
}
