package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingListener;
import dev.dendrite.spark.data.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults change nothing but time: a driver killed mid-training and started again on the same
 * checkpoint directory, and an executor JVM killed mid-training, both end with weights bit-identical
 * to an undisturbed run.
 */
class FaultTest {

  private static Process startDriver(String checkpoints, Path output, Path log) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    command.add("--add-modules=jdk.incubator.vector");
    for (String flag : System.getProperty("dendrite.spark.opens", "").split(" ")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrainProcess.class.getName());
    command.add(checkpoints);
    command.add(output.toString());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static float[] run(String checkpoints, Path output, Path log) throws Exception {
    Process p = startDriver(checkpoints, output, log);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "training finishes");
    assertEquals(0, p.exitValue(), () -> "driver failed: " + read(log));
    return ModelFile.read(output).parameters();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static Optional<Path> newestCheckpoint(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("ckpt-\\d{12}\\.dndr")).max(Path::compareTo);
    }
  }

  @Test
  void killedDriverResumesToTheSameWeights(@TempDir Path dir) throws Exception {
    float[] reference = run("-", dir.resolve("reference.dndr"), dir.resolve("reference.log"));

    Path checkpoints = dir.resolve("checkpoints");
    Path output = dir.resolve("resumed.dndr");
    Process first = startDriver(checkpoints.toString(), output, dir.resolve("first.log"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    // 3500 examples / 50 = 70 steps per epoch, 210 in all: kill once step 80 (epoch 2) is checkpointed
    while (newestCheckpoint(checkpoints).map(p -> p.getFileName().toString().compareTo("ckpt-000000000080") < 0)
        .orElse(true)) {
      assertTrue(first.isAlive(), () -> "the driver ended before it could be killed: " + read(dir.resolve("first.log")));
      assertTrue(System.nanoTime() < deadline, "no checkpoint appeared");
      Thread.sleep(20);
    }
    first.destroyForcibly();
    assertTrue(first.waitFor(1, TimeUnit.MINUTES));
    assertFalse(Files.exists(output), "the killed driver did not finish");
    String killedAt = newestCheckpoint(checkpoints).orElseThrow().getFileName().toString();

    float[] resumed = run(checkpoints.toString(), output, dir.resolve("second.log"));
    assertTrue(read(dir.resolve("second.log")).contains("resuming from"), read(dir.resolve("second.log")));
    assertArrayEquals(reference, resumed, "resumed after a kill at " + killedAt);
  }

  @Test
  void killedExecutorChangesNothingButTime() throws Exception {
    float[] reference;
    SparkSession local = SparkTestSupport.local(2);
    try {
      reference = train(local, null);
    } finally {
      local.stop();
    }
    SparkSession cluster = SparkTestSupport.cluster();
    try {
      List<ProcessHandle> killed = new ArrayList<>();
      float[] survived = train(cluster, new TrainingListener() {
        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
          if (epoch == 2 && step == 10 && killed.isEmpty()) {
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
      assertArrayEquals(reference, survived);
    } finally {
      cluster.stop();
    }
  }

  private static float[] train(SparkSession spark, TrainingListener listener) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Example> data = TrainProcess.data();
    Network net = TrainProcess.network();
    DistributedTrainer trainer = new DistributedTrainer(TrainProcess.training(),
        DistributedConfig.defaults().withPartitions(2));
    if (listener != null) {
      trainer.listener(listener);
    }
    trainer.fitExamples(net, sc.parallelize(data.subList(0, 3500), 2), sc.parallelize(data.subList(3500, 4000), 2));
    return net.parameters();
  }
}
