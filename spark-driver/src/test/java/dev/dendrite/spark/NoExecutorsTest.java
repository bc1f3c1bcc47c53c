package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.deploy.master.Master;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster without executors ends training with a named error after {@code distributed.executor_timeout}
 * instead of waiting forever. The cluster is a real standalone Master (in this JVM, as local-cluster mode
 * starts it) that no Worker ever joins: the state a driver is left in when every Worker is gone.
 */
class NoExecutorsTest {

  private static final List<Example> DATA = AllReduceEquivalenceTest.synthetic(200, 10, 3, 7);

  private static Network network() {
    return Network.builder(10).dense(8, "tanh").dense(3, "softmax").seed(4).build();
  }

  private static DistributedTrainer trainer(String checkpoints, int timeoutSeconds) {
    TrainingConfig training = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(20).withEpochs(2).withSeed(3);
    return new DistributedTrainer(training, DistributedConfig.defaults().withPartitions(2)
        .withCheckpoints(checkpoints, 5).withExecutorTimeout(timeoutSeconds));
  }

  private static Map<String, byte[]> contents(Path dir) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.toList()) {
        files.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    return files;
  }

  @Test
  void aClusterWithoutExecutorsEndsTrainingWithANamedErrorAndLeavesTheCheckpointsAlone(@TempDir Path dir)
      throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    SparkSession local = SparkTestSupport.local(2);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(local.sparkContext());
      trainer(checkpoints.toString(), 3).fitExamples(network(), sc.parallelize(DATA, 2), null);
    } finally {
      local.stop();
    }
    Map<String, byte[]> before = contents(checkpoints);
    assertTrue(before.size() > 0, "the local run wrote checkpoints");

    RpcEnv master = Master.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, new SparkConf())._1();
    try {
      SparkSession cluster = SparkSession.builder()
          .master("spark://127.0.0.1:" + master.address().port())
          .appName("dendrite-test-no-workers")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .getOrCreate();
      try {
        assertEquals(0, ExecutorWatchdog.executors(cluster.sparkContext()), "no Worker, no executor");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(cluster.sparkContext());
        NoExecutorsException e = assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
            assertThrows(NoExecutorsException.class, () ->
                trainer(checkpoints.toString(), 3).fitExamples(network(), sc.parallelize(DATA, 2), null)));
        assertTrue(e.getMessage().contains("no Spark executors"), e.getMessage());
        assertTrue(e.getMessage().contains("executor_timeout = 3 s"), e.getMessage());
        assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
      } finally {
        cluster.stop();
      }
    } finally {
      master.shutdown();
      master.awaitTermination();
    }
    Map<String, byte[]> after = contents(checkpoints);
    assertEquals(before.keySet(), after.keySet(), "the checkpoint files");
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), name + " unchanged");
    }
  }

  @Test
  void theExecutorTimeoutIsReadAndValidated() {
    assertEquals(300, DistributedConfig.read(new ConfigMap("distributed", Map.of())).executorTimeoutSeconds());
    assertEquals(0, DistributedConfig.read(new ConfigMap("distributed", Map.of("executor_timeout", 0)))
        .executorTimeoutSeconds(), "0 waits forever");
    ConfigException e = assertThrows(ConfigException.class,
        () -> DistributedConfig.read(new ConfigMap("distributed", Map.of("executor_timeout", -5))));
    assertTrue(e.getMessage().contains("distributed.executor_timeout"), e.getMessage());
    assertTrue(e.getMessage().contains("-5"), e.getMessage());
  }

  @Test
  void theExecutorTimeoutDoesNotChangeWhichCheckpointsResume() {
    // checkpoints resume only into a run with the same description: waiting longer changes no result
    Map<String, Object> shortWait = trainer(null, 10).runDescription(network(), 2, 200);
    Map<String, Object> longWait = trainer(null, 600).runDescription(network(), 2, 200);
    assertEquals(CheckpointStore.runKey(shortWait), CheckpointStore.runKey(longWait));
    assertTrue(DistributedConfig.defaults().withExecutorTimeout(10).toMap().containsKey("executor_timeout"),
        "the setting is written with the configuration");
  }
}
