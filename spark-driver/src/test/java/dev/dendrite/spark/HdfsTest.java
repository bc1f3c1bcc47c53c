package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training data read from {@code hdfs://} (an in-process MiniDFSCluster on 127.0.0.1) through Spark's
 * LibSVM source, with checkpoints written to the same HDFS.
 */
class HdfsTest {

  @Test
  void trainsFromHdfsAndCheckpointsThere(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      hdfs.waitActive();
      FileSystem fs = hdfs.getFileSystem();
      String uri = fs.getUri().toString();
      // a LibSVM file of 600 examples, 10 features, 3 classes
      StringBuilder text = new StringBuilder();
      for (Example e : AllReduceEquivalenceTest.synthetic(600, 10, 3, 17)) {
        text.append((int) e.target()[0]);
        for (int j = 0; j < 10; j++) {
          text.append(' ').append(j + 1).append(':').append(e.features()[j]);
        }
        text.append('\n');
      }
      Path local = dir.resolve("train.libsvm");
      Files.writeString(local, text);
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toString()),
          new org.apache.hadoop.fs.Path("/data/train.libsvm"));

      SparkSession spark = SparkTestSupport.local(2);
      try {
        spark.sparkContext().hadoopConfiguration().set("fs.defaultFS", uri);
        Dataset<Row> train = spark.read().format("libsvm").option("numFeatures", "10")
            .load(uri + "/data/train.libsvm");
        Network net = Network.builder(10).dense(16, "relu").dense(3, "softmax").seed(2).build();
        TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.01))
            .withBatchSize(50).withEpochs(4);
        History h = new DistributedTrainer(config, DistributedConfig.defaults().withPartitions(2)
            .withCheckpoints(uri + "/checkpoints/run", 0)).fit(net, train, train);
        assertTrue(h.last().metric("val_accuracy") > 0.8, "accuracy " + h.last().metric("val_accuracy"));
        List<String> names = java.util.Arrays.stream(fs.listStatus(new org.apache.hadoop.fs.Path("/checkpoints/run")))
            .map(s -> s.getPath().getName()).toList();
        assertTrue(names.contains("ckpt-000000000048.dndr"), "checkpoints on HDFS: " + names);
      } finally {
        spark.stop();
      }
    } finally {
      hdfs.shutdown();
    }
  }
}
