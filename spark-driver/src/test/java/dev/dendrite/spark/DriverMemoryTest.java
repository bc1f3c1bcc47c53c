package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Example;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the driver and the executors hold stays bounded: no broadcast of the parameters outlives its
 * step, and the bytes the driver receives per step do not grow with the number of partitions.
 */
class DriverMemoryTest extends LocalSparkTest {

  private static Network wide() {
    // 64·512 + 512 + 512·10 + 10 ≈ 38k parameters, 150 kB per vector
    return Network.builder(64).dense(512, "relu").dense(10, "softmax").seed(1).build();
  }

  private static List<Example> data() {
    return AllReduceEquivalenceTest.synthetic(640, 64, 10, 3);
  }

  /** Broadcast blocks in the block manager at least as large as a parameter vector (local mode: one JVM). */
  private static long parameterBroadcasts(long vectorBytes) {
    List<BlockId> ids = CollectionConverters.asJava(
        SparkEnv.get().blockManager().getMatchingBlockIds(id -> id.isBroadcast()));
    long large = 0;
    for (BlockId id : ids) {
      scala.Option<org.apache.spark.storage.BlockStatus> status = SparkEnv.get().blockManager().getStatus(id);
      if (status.isDefined() && status.get().memSize() + status.get().diskSize() >= vectorBytes) {
        large++;
      }
    }
    return large;
  }

  @Test
  void noBroadcastAccumulates() {
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.001))
        .withBatchSize(64).withEpochs(6);
    Network net = wide();
    long vectorBytes = 4L * net.parameterCount();
    long before = parameterBroadcasts(vectorBytes);
    // 60 steps broadcast 60 parameter vectors and 6 validations one each; none may stay behind
    // (no System.gc() here: Spark's context cleaner would hide a missing destroy()). Through Spark, as on
    // a cluster: local mode's default hands the vectors over in-process (VectorExchangeTest)
    new DistributedTrainer(config, DistributedConfig.defaults().withPartitions(2).withExchange("spark"))
        .fitExamples(net, sc.parallelize(data(), 2), sc.parallelize(data().subList(0, 128), 2));
    long after = parameterBroadcasts(vectorBytes);
    assertTrue(after - before <= 1, "parameter-sized broadcast blocks before: " + before + ", after 60 steps: "
        + after);
  }

  @Test
  void driverReceivesOneVectorPerStepWhateverThePartitionCount() throws Exception {
    long two = resultBytesPerStep(2);
    long six = resultBytesPerStep(6);
    long vectorBytes = 4L * wide().parameterCount();
    assertTrue(two < 1.5 * vectorBytes, "2 partitions: " + two + " bytes per step for a " + vectorBytes
        + "-byte vector");
    assertTrue(six < 1.5 * vectorBytes, "6 partitions: " + six + " bytes per step for a " + vectorBytes
        + "-byte vector");
    assertEquals(1.0, (double) six / two, 0.1, "bytes per step with 6 vs 2 partitions");
  }

  /** The bytes of task results the driver received per training step (result-stage tasks only). */
  private long resultBytesPerStep(int partitions) throws Exception {
    AtomicLong bytes = new AtomicLong();
    ConcurrentHashMap<Integer, Boolean> stepStages = new ConcurrentHashMap<>();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String description = start.properties() == null ? null
            : start.properties().getProperty("spark.job.description");
        if (description != null && description.startsWith("dendrite train: epoch")) {
          for (Object id : CollectionConverters.asJava(start.stageIds())) {
            stepStages.put((Integer) id, true);
          }
        }
      }

      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if ("ResultTask".equals(end.taskType()) && end.taskMetrics() != null
            && stepStages.containsKey(end.stageId())) {
          bytes.addAndGet(end.taskMetrics().resultSize());
        }
      }
    };
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.001))
        .withBatchSize(64).withEpochs(1);
    spark.sparkContext().addSparkListener(listener);
    try {
      new DistributedTrainer(config, DistributedConfig.defaults().withPartitions(partitions).withShards(2))
          .fitExamples(wide(), sc.parallelize(data(), partitions), null);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    return bytes.get() / 10; // 640 examples / 64 = 10 steps
  }
}
