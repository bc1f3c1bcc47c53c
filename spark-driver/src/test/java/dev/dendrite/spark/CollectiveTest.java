package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.EarlyStopping;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Collective training (one barrier job whose tasks all-reduce with each other) computes exactly what
 * all-reduce through Spark computes: the same weights to the bit, the same metrics, on 1, 2 and 4
 * partitions, for an MLP with dropout and a CNN with batch norm and dropout; and everything around the
 * steps (validation, early stopping, listeners, checkpoints and resume) works as in the other modes.
 */
class CollectiveTest {

  static SparkSession spark;
  static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    spark = SparkTestSupport.local(4);
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private record Run(float[] weights, History history, List<String> events) {
  }

  private static Network network(String kind) {
    return kind.equals("mlp")
        ? Network.builder(36).dense(16, "relu").dropout(0.1).dense(3, "softmax").seed(4).build()
        : Network.builder(1, 6, 6).conv2d(4, 3, "relu").batchNorm().maxPool2d(2).flatten().dropout(0.2)
            .dense(3, "softmax").seed(4).build();
  }

  private static TrainingConfig training() {
    return TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
        .withBatchSize(40).withEpochs(3).withSeed(5);
  }

  private static Run train(String kind, DistributedConfig config, TrainingConfig training,
                           TrainingListener... extra) {
    List<Example> data = AllReduceEquivalenceTest.synthetic(500, 36, 3, 9);
    Network net = network(kind);
    List<String> events = new ArrayList<>();
    DistributedTrainer trainer = new DistributedTrainer(training, config).listener(new TrainingListener() {
      @Override
      public void onEpochStart(int epoch, int epochs, int steps) {
        events.add("start " + epoch + "/" + epochs);
      }

      @Override
      public void onEpochEnd(int epoch, int epochs, EpochRecord record) {
        events.add("end " + epoch + "/" + epochs);
      }
    });
    for (TrainingListener l : extra) {
      trainer.listener(l);
    }
    int partitions = config.partitions();
    History history = trainer.fitExamples(net, sc.parallelize(data.subList(0, 400), partitions),
        sc.parallelize(data.subList(400, 500), partitions));
    return new Run(net.parameters(), history, events);
  }

  @ParameterizedTest(name = "{0} on {1} partitions")
  @CsvSource({"mlp, 1", "mlp, 2", "mlp, 4", "cnn, 1", "cnn, 2", "cnn, 4"})
  void collectiveTrainsTheWeightsOfAllReduceThroughSparkToTheBit(String kind, int partitions) {
    DistributedConfig allreduce = DistributedConfig.defaults().withPartitions(partitions);
    Run reference = train(kind, allreduce, training());
    Run collective = train(kind, allreduce.withMode("collective", 1), training());
    assertArrayEquals(reference.weights(), collective.weights(), kind + " on " + partitions + " partitions");
    assertEquals(reference.history().epochs().size(), collective.history().epochs().size());
    for (int e = 0; e < reference.history().epochs().size(); e++) {
      assertEquals(reference.history().epochs().get(e).metrics(), collective.history().epochs().get(e).metrics(),
          "metrics of epoch " + (e + 1));
    }
    assertEquals(reference.history().steps(), collective.history().steps());
    assertEquals(List.of("start 1/3", "end 1/3", "start 2/3", "end 2/3", "start 3/3", "end 3/3"),
        collective.events(), "the driver's listeners hear every epoch");
    assertTrue(collective.history().last().metric("val_accuracy") > 0.6,
        "val_accuracy " + collective.history().last().metric("val_accuracy"));
    assertTrue(collective.history().last().metric("accuracy") > 0.6,
        "training accuracy " + collective.history().last().metrics());
  }

  @ParameterizedTest(name = "every {0} steps on {1} partitions")
  @CsvSource({"3, 2", "4, 4"})
  void averagingBetweenTheTasksTrainsTheWeightsOfAveragingThroughSpark(int k, int partitions) {
    DistributedConfig averaging = DistributedConfig.defaults().withMode("averaging", k).withPartitions(partitions);
    Run reference = train("mlp", averaging.withExchange("spark"), training());
    Run collective = train("mlp", averaging.withExchange("collective"), training());
    assertArrayEquals(reference.weights(), collective.weights());
    assertEquals(reference.history().last().metrics(), collective.history().last().metrics());
    assertEquals(reference.history().steps(), collective.history().steps(), "averaging rounds taken");
  }

  @Test
  void moreTasksThanExamplesInABatchTrainTheWeightsOfAllReduce() {
    TrainingConfig tinyBatches = training().withBatchSize(3).withEpochs(1);
    DistributedConfig allreduce = DistributedConfig.defaults().withPartitions(4);
    Run reference = train("mlp", allreduce, tinyBatches);
    Run collective = train("mlp", allreduce.withMode("collective", 1), tinyBatches);
    assertArrayEquals(reference.weights(), collective.weights());
    assertEquals(reference.history().steps(), collective.history().steps());
  }

  @Test
  void earlyStoppingRestoresTheSameBestWeightsAsAllReduce() {
    TrainingConfig stopping = training().withEpochs(12)
        .withEarlyStopping(new EarlyStopping("val_loss", 1, 0.02, true));
    DistributedConfig allreduce = DistributedConfig.defaults().withPartitions(2);
    Run reference = train("mlp", allreduce, stopping);
    Run collective = train("mlp", allreduce.withMode("collective", 1), stopping);
    assertEquals("early_stopping", reference.history().stopReason(), "the reference run stops early");
    assertEquals(reference.history().stopReason(), collective.history().stopReason());
    assertEquals(reference.history().bestEpoch(), collective.history().bestEpoch());
    assertArrayEquals(reference.weights(), collective.weights());
  }

  @Test
  void aRunStoppedOnTheDriverResumesFromItsCheckpointToTheUndisturbedWeights(@TempDir Path dir) {
    DistributedConfig collective = DistributedConfig.defaults().withMode("collective", 1).withPartitions(2)
        .withCheckpoints(dir.resolve("ckpt").toString(), 7);
    Run undisturbed = train("mlp", DistributedConfig.defaults().withMode("collective", 1).withPartitions(2),
        training());
    RuntimeException stop = assertThrows(RuntimeException.class, () -> train("mlp", collective, training(),
        new TrainingListener() {
          @Override
          public void onEpochStart(int epoch, int epochs, int steps) {
            if (epoch == 3) {
              throw new IllegalStateException("the driver stops here");
            }
          }
        }));
    assertTrue(stop.getMessage().contains("the driver stops here"), stop.getMessage());
    Run resumed = train("mlp", collective, training());
    assertEquals(1, resumed.events().size() / 2, "only the third epoch is trained again: " + resumed.events());
    assertArrayEquals(undisturbed.weights(), resumed.weights());
  }

  @Test
  void collectiveNeedsASlotForEveryPartitionAndSaysSo() {
    assertTrue(CollectiveRunner.obstacle(sc, 4).isEmpty(), "local[4] runs four tasks at once");
    String why = CollectiveRunner.obstacle(sc, 5).orElseThrow();
    assertTrue(why.contains("5 partitions") && why.contains("4 task slots"), why);
    DistributedConfig tooMany = DistributedConfig.defaults().withMode("collective", 1).withPartitions(5)
        .withCollective(CollectiveSettings.defaults().withTimeoutSeconds(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> train("mlp", tooMany, training()));
    assertTrue(e.getMessage().contains("distributed.mode collective cannot run") && e.getMessage().contains("5"),
        e.getMessage());
  }

  @Test
  void autoTrainsCollectivelyWhenEveryPartitionFitsAndMeasuresOtherwise() {
    Run auto = train("mlp", DistributedConfig.defaults().withMode("auto", 1).withPartitions(2), training());
    Run allreduce = train("mlp", DistributedConfig.defaults().withPartitions(2), training());
    assertArrayEquals(allreduce.weights(), auto.weights(), "auto on local[4] with 2 partitions is exact");
    Run again = train("mlp", DistributedConfig.defaults().withMode("auto", 1).withPartitions(2), training());
    assertArrayEquals(auto.weights(), again.weights(), "auto no longer depends on timings");
  }
}
