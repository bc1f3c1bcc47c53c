package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingListener;
import dev.dendrite.spark.data.Example;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Collective training across two separate executor JVMs ({@code local-cluster} on 127.0.0.1): the weights
 * of all-reduce in local mode; an executor JVM killed mid-run changes
 * nothing but time (the driver reruns the group from its last state); and strangers knocking on the
 * run's ports all along are turned away without disturbing it.
 */
class CollectiveClusterTest {

  static final DistributedConfig COLLECTIVE = DistributedConfig.defaults().withMode("collective", 1)
      .withCollective(CollectiveSettings.defaults().withTimeoutSeconds(20));

  static float[] train(SparkSession spark, DistributedConfig config, TrainingListener... listeners) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Example> data = TrainProcess.data();
    Network net = TrainProcess.network();
    DistributedTrainer trainer = new DistributedTrainer(TrainProcess.training(), config);
    for (TrainingListener l : listeners) {
      trainer.listener(l);
    }
    int p = config.partitions();
    trainer.fitExamples(net, sc.parallelize(data.subList(0, 3500), p), sc.parallelize(data.subList(3500, 4000), p));
    return net.parameters();
  }

  static float[] localAllReduce(int partitions) {
    SparkSession local = SparkTestSupport.local(partitions);
    try {
      return train(local, DistributedConfig.defaults().withPartitions(partitions));
    } finally {
      local.stop();
    }
  }

  /** All-reduce in local[2], and a cluster of two executor JVMs, shared by the tests on two workers. */
  private static float[] reference;
  private static SparkSession cluster;

  @BeforeAll
  static void startTwoExecutorJvms() {
    reference = localAllReduce(2);
    cluster = SparkTestSupport.cluster(2);
  }

  @AfterAll
  static void stopTwoExecutorJvms() {
    cluster.stop();
  }

  @Test
  void aKilledExecutorChangesNothingButTime() {
      List<ProcessHandle> killed = new ArrayList<>();
      List<Integer> epochStarts = Collections.synchronizedList(new ArrayList<>());
      float[] survived = train(cluster, COLLECTIVE.withPartitions(2), new TrainingListener() {
        @Override
        public void onEpochStart(int epoch, int epochs, int steps) {
          epochStarts.add(epoch);
          if (epoch == 2 && killed.isEmpty()) {
            ProcessHandle executor = ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .findFirst().orElseThrow(() -> new AssertionError("no executor process found"));
            executor.destroyForcibly();
            killed.add(executor);
          }
        }
      });
      assertEquals(1, killed.size(), "an executor was killed");
      assertFalse(killed.get(0).isAlive());
      assertTrue(epochStarts.size() > 3, "the group was rerun after the kill: epoch starts " + epochStarts);
      assertArrayEquals(reference, survived, "weights after a killed executor");
  }

  @Test
  void twoExecutorJvmsTrainTheWeightsOfLocalAllReduceWhileStrangersKnockOnEveryPort() throws Exception {
    String ports = "47310-47330";
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger knocks = new AtomicInteger();
    Thread stranger = new Thread(() -> {
      byte[] garbage = new byte[56];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = (byte) (i * 37 + 11);
      }
      while (running.get()) {
        for (int port = 47310; port <= 47330 && running.get(); port++) {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            OutputStream out = s.getOutputStream();
            out.write(garbage);
            out.flush();
            knocks.incrementAndGet();
          } catch (IOException refusedOrDropped) {
            // a closed port, or a listener that hung up on us: both are what we want
          }
        }
      }
    }, "stranger");
    stranger.setDaemon(true);
    stranger.start();
    try {
      float[] weights = train(cluster, COLLECTIVE.withPartitions(2)
          .withCollective(COLLECTIVE.collective().withPorts(ports)));
      assertArrayEquals(reference, weights, "collective across two JVMs, a stranger knocking on every port, "
          + "vs all-reduce in local[2]");
      assertTrue(knocks.get() > 0, "the stranger reached a listening port at least once");
    } finally {
      running.set(false);
      stranger.join(5_000);
    }
  }
}
