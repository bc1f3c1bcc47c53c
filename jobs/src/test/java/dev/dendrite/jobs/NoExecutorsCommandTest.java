package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.master.Master;
import org.apache.spark.rpc.RpcEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} on a cluster that has no executor ends with the named error after
 * {@code distributed.executor_timeout}, however far it got: here it never gets past reading the data (the
 * jobs before training proper wait for executors as much as the training steps do). The cluster is a real
 * standalone Master that no Worker ever joins.
 */
class NoExecutorsCommandTest {

  @Test
  void trainOnAClusterWithoutExecutorsEndsWithTheNamedErrorWhileReadingTheData(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    Path config = JobTestSupport.libsvmConfig(dir, JobTestSupport.binary01(dir), out);
    RpcEnv master = Master.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, new SparkConf())._1();
    String previous = System.getProperty("spark.master");
    JobTestSupport.localMaster();
    System.setProperty("spark.master", "spark://127.0.0.1:" + master.address().port());
    try {
      JobTestSupport.Result r = assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
          JobTestSupport.run("train", config.toString(), "--set", "distributed.executor_timeout=3"));
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains("no Spark executors"), r.err());
      assertTrue(r.err().contains("executor_timeout = 3 s"), r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
      assertFalse(Files.exists(out), "nothing was written to " + out);
    } finally {
      if (previous == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", previous);
      }
      master.shutdown();
      master.awaitTermination();
    }
  }
}
