package dev.dendrite.spark;

import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.EarlyStopping;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Example;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A driver program for fault tests, run as a child JVM: trains a small network in local[2] with
 * checkpoints in {@code args[0]} (or none when "-") and writes the final model to {@code args[1]}.
 */
public final class TrainProcess {

  private TrainProcess() {
  }

  static List<Example> data() {
    return AllReduceEquivalenceTest.synthetic(4000, 10, 3, 31);
  }

  static Network network() {
    return Network.builder(10).dense(32, "relu").dropout(0.1).dense(3, "softmax").seed(12).build();
  }

  static TrainingConfig training() {
    return TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.003))
        .withBatchSize(50).withEpochs(3).withSeed(99)
        .withEarlyStopping(new EarlyStopping("val_loss", 5, 0, true));
  }

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkTestSupport.local(2);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Example> data = data();
      DistributedConfig config = DistributedConfig.defaults().withPartitions(2);
      if (!args[0].equals("-")) {
        config = config.withCheckpoints(args[0], 10);
      }
      Network net = network();
      new DistributedTrainer(training(), config).fitExamples(net, sc.parallelize(data.subList(0, 3500), 2),
          sc.parallelize(data.subList(3500, 4000), 2));
      ModelFile.write(SavedModel.of(net), Paths.get(args[1]));
    } finally {
      spark.stop();
    }
  }
}
