package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Blocks;
import dev.dendrite.spark.data.Example;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Training with separate executor JVMs ({@code local-cluster[2,1,1024]} on 127.0.0.1) gives the very
 * same weights as training in {@code local[2]}: the data, seed and partitioning decide the result,
 * not where the tasks run.
 */
class ClusterTest {

  private static float[] train(SparkSession spark, DistributedConfig config) {
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Example> data = AllReduceEquivalenceTest.synthetic(800, 10, 3, 13);
      Network net = Network.builder(10).dense(16, "relu").dropout(0.1).dense(3, "softmax").seed(8).build();
      TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
          .withBatchSize(50).withEpochs(2).withSeed(21);
      History h = new DistributedTrainer(training, config)
          .fitExamples(net, sc.parallelize(data.subList(0, 600), 2), sc.parallelize(data.subList(600, 800), 2));
      assertEquals(2, h.epochs().size());
      assertTrue(h.last().metric("val_accuracy") > 0.7, "val_accuracy " + h.last().metric("val_accuracy"));
      return net.parameters();
    } finally {
      spark.stop();
    }
  }

  @Test
  void separateExecutorJvmsGiveTheSameWeightsAsLocalMode() {
    DistributedConfig allreduce = DistributedConfig.defaults().withPartitions(2);
    DistributedConfig averaging = DistributedConfig.defaults().withMode("averaging", 4).withPartitions(2)
        .withShards(3);
    float[] localAllReduce = train(SparkTestSupport.local(2), allreduce);
    float[] localAveraging = train(SparkTestSupport.local(2), averaging);
    SparkSession cluster = SparkTestSupport.cluster();
    try {
      assertEquals(3, cluster.sparkContext().statusTracker().getExecutorInfos().length,
          "the driver and two executor JVMs");
      // local mode handed the vectors over in-process; across JVMs they go through Spark
      JavaSparkContext csc = JavaSparkContext.fromSparkContext(cluster.sparkContext());
      assertEquals("spark", VectorExchange.choose(csc,
          Blocks.toBlocks(csc.parallelize(AllReduceEquivalenceTest.synthetic(20, 10, 3, 1), 2), 2, 10, 1), Exchange.AUTO)
          .name());
      float[] clusterAllReduce = trainKeepingSession(cluster, allreduce);
      float[] clusterAveraging = trainKeepingSession(cluster, averaging);
      assertArrayEquals(localAllReduce, clusterAllReduce);
      assertArrayEquals(localAveraging, clusterAveraging);
    } finally {
      cluster.stop();
    }
  }

  private static float[] trainKeepingSession(SparkSession spark, DistributedConfig config) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Example> data = AllReduceEquivalenceTest.synthetic(800, 10, 3, 13);
    Network net = Network.builder(10).dense(16, "relu").dropout(0.1).dense(3, "softmax").seed(8).build();
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(50).withEpochs(2).withSeed(21);
    new DistributedTrainer(training, config)
        .fitExamples(net, sc.parallelize(data.subList(0, 600), 2), sc.parallelize(data.subList(600, 800), 2));
    return net.parameters();
  }
}
