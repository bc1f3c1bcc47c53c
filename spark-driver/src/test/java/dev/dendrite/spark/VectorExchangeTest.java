package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Blocks;
import dev.dendrite.spark.data.DataBlock;
import dev.dendrite.spark.data.Example;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * In local mode the step's vectors are handed over by reference instead of through a broadcast and
 * task results; training must not notice: the same weights and metrics to the bit, and nothing left
 * registered once training ends. (Separate executor JVMs use Spark's path: {@link ClusterTest}.)
 */
class VectorExchangeTest extends LocalSparkTest {

  private static JavaRDD<DataBlock> blocks() {
    return Blocks.toBlocks(sc.parallelize(AllReduceEquivalenceTest.synthetic(40, 10, 3, 1), 2), 2, 10, 1);
  }

  @Test
  void localModeHandsVectorsOverInProcessUnlessToldOtherwise() {
    JavaRDD<DataBlock> blocks = blocks();
    try {
      assertEquals("in-process", VectorExchange.choose(sc, blocks, Exchange.AUTO).name());
      assertEquals("spark", VectorExchange.choose(sc, blocks, Exchange.SPARK).name());
      assertThrows(IllegalArgumentException.class, () -> VectorExchange.choose(sc, blocks, Exchange.COLLECTIVE));
    } finally {
      blocks.unpersist(false);
    }
  }

  @Test
  void aReleasedVectorIsAClearErrorNotAStaleRead() {
    JavaRDD<DataBlock> blocks = blocks();
    try {
      VectorExchange exchange = VectorExchange.choose(sc, blocks, Exchange.AUTO);
      VectorExchange.Published published = exchange.publish(new float[] {1, 2});
      VectorExchange.Source source = published.source();
      assertArrayEquals(new float[] {1, 2}, source.vector());
      published.close();
      IllegalStateException e = assertThrows(IllegalStateException.class, source::vector);
      assertTrue(e.getMessage().contains("distributed.exchange: spark"), e.getMessage());
      assertEquals(0, VectorExchange.liveInProcessEntries());
    } finally {
      blocks.unpersist(false);
    }
  }

  @Test
  void theSettingIsValidatedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DistributedConfig.read(new ConfigMap("distributed", Map.of("exchange", "rpc"))));
    assertTrue(e.getMessage().contains("exchange"), e.getMessage());
    assertTrue(e.getMessage().contains("[auto, spark, collective]"), e.getMessage());
    assertEquals(Exchange.SPARK, DistributedConfig.read(new ConfigMap("distributed", Map.of("exchange", "spark")))
        .exchange());
    assertEquals(Exchange.AUTO, DistributedConfig.defaults().exchange());
  }

  /** Mode, averaging frequency and shards (0: vectors straight to the driver; 2: summed on the executors). */
  @ParameterizedTest
  @CsvSource({"allreduce, 1, 0", "averaging, 3, 0", "allreduce, 1, 2"})
  void bothExchangesTrainTheSameWeightsToTheBit(String mode, int k, int shards) {
    DistributedConfig config = DistributedConfig.defaults().withMode(mode, k).withPartitions(2).withShards(shards);
    Run inProcess = train(config);
    assertEquals(0, VectorExchange.liveInProcessEntries(), "registry entries left after training");
    Run spark = train(config.withExchange("spark"));
    assertArrayEquals(spark.weights, inProcess.weights);
    assertEquals(spark.history.last().metrics(), inProcess.history.last().metrics());
  }

  private record Run(float[] weights, History history) {
  }

  private static Run train(DistributedConfig config) {
    List<Example> data = AllReduceEquivalenceTest.synthetic(500, 10, 3, 9);
    Network net = Network.builder(10).dense(16, "relu").dropout(0.1).dense(3, "softmax").seed(4).build();
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(40).withEpochs(2).withSeed(5);
    History history = new DistributedTrainer(training, config)
        .fitExamples(net, sc.parallelize(data.subList(0, 400), 2), sc.parallelize(data.subList(400, 500), 2));
    assertTrue(history.last().metric("val_accuracy") > 0.6, "val_accuracy " + history.last().metric("val_accuracy"));
    return new Run(net.parameters(), history);
  }
}
