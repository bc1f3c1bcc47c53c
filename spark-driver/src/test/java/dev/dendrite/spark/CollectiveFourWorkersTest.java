package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Four workers, each in its own executor JVM ({@code local-cluster[4,1,1024]}): collective training
 * still computes the weights of all-reduce in {@code local[4]} to the bit. (A correctness test: on a
 * 2-core machine four JVMs say nothing about speed.)
 */
class CollectiveFourWorkersTest {

  @Test
  void fourExecutorJvmsTrainTheWeightsOfLocalAllReduce() {
    float[] reference = CollectiveClusterTest.localAllReduce(4);
    SparkSession cluster = SparkTestSupport.cluster(4);
    try {
      assertArrayEquals(reference, CollectiveClusterTest.train(cluster,
          CollectiveClusterTest.COLLECTIVE.withPartitions(4)));
    } finally {
      cluster.stop();
    }
  }
}
