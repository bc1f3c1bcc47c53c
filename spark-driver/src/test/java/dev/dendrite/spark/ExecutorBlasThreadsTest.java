package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * What the driver knows of the executors before warning that their tasks compete with OpenBLAS's threads:
 * how many tasks each runs at once, and what its environment tells OpenBLAS.
 */
class ExecutorBlasThreadsTest {

  @Test
  void anExecutorRunsItsCoresOverEachTasksCpusAtOnce() {
    SparkConf conf = new SparkConf(false).set("spark.executor.cores", "4").set("spark.task.cpus", "2");
    assertEquals(2, ExecutorBlasThreads.tasksPerExecutor(conf, "yarn"));
  }

  @Test
  void withoutExecutorCoresTheMasterDecides() {
    SparkConf conf = new SparkConf(false);
    assertEquals(3, ExecutorBlasThreads.tasksPerExecutor(conf, "local-cluster[2, 3, 1024]"));
    assertEquals(1, ExecutorBlasThreads.tasksPerExecutor(conf, "local-cluster[2,1,1024]"));
    assertEquals(1, ExecutorBlasThreads.tasksPerExecutor(conf, "yarn"));
    assertEquals(1, ExecutorBlasThreads.tasksPerExecutor(conf, "k8s://https://host:6443"));
    assertEquals(2, ExecutorBlasThreads.tasksPerExecutor(conf, "spark://host:7077")); // all a worker's cores
  }

  @Test
  void theExecutorsEnvironmentIsWhatExecutorEnvSettingsGiveThem() {
    SparkConf conf = new SparkConf(false).set("spark.executorEnv.OMP_NUM_THREADS", "1")
        .set("spark.executorEnv.JAVA_HOME", "/opt/jdk").set("spark.driverEnv.OPENBLAS_NUM_THREADS", "8");
    assertEquals(Map.of("OMP_NUM_THREADS", "1"), ExecutorBlasThreads.executorEnvironment(conf));
  }
}
