package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingListener;
import dev.dendrite.spark.data.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that stops mid-training and whose latest checkpoint is then truncated resumes from the
 * checkpoint before it, not from step 0, and still ends with weights bit-identical to an undisturbed run.
 */
class CheckpointFallbackTest {

  /** What the listener throws to stop a run, as a killed driver would stop. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super("stopped on purpose");
    }
  }

  private static float[] train(JavaSparkContext sc, Path checkpoints, TrainingListener listener) {
    List<Example> data = TrainProcess.data();
    Network net = TrainProcess.network();
    DistributedConfig config = DistributedConfig.defaults().withPartitions(2);
    if (checkpoints != null) {
      config = config.withCheckpoints(checkpoints.toString(), 10);
    }
    DistributedTrainer trainer = new DistributedTrainer(TrainProcess.training(), config);
    if (listener != null) {
      trainer.listener(listener);
    }
    trainer.fitExamples(net, sc.parallelize(data.subList(0, 3500), 2), sc.parallelize(data.subList(3500, 4000), 2));
    return net.parameters();
  }

  private static Path newest(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("ckpt-\\d{12}\\.dndr")).max(Path::compareTo)
          .orElseThrow(() -> new AssertionError("no checkpoint in " + dir));
    }
  }

  @Test
  void aTruncatedLatestCheckpointResumesFromThePreviousOneToTheSameWeights(@TempDir Path dir) throws Exception {
    SparkSession spark = SparkTestSupport.local(2);
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      float[] reference = train(sc, null, null);

      // 3500 examples / 50 = 70 steps per epoch, a checkpoint every 10: stop in epoch 2 at step 20 (global
      // step 90, before its checkpoint), so ckpt-80 is the latest and ckpt-70 the one before
      Path checkpoints = dir.resolve("checkpoints");
      assertThrows(Stop.class, () -> train(sc, checkpoints, new TrainingListener() {
        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
          if (epoch == 2 && step == 20) {
            throw new Stop();
          }
        }
      }));
      Path latest = newest(checkpoints);
      assertEquals("ckpt-000000000080.dndr", latest.getFileName().toString());
      byte[] bytes = Files.readAllBytes(latest);
      Files.write(latest, Arrays.copyOf(bytes, bytes.length - 100));
      Files.deleteIfExists(latest.resolveSibling("." + latest.getFileName() + ".crc"));

      List<String> firstStep = new ArrayList<>();
      float[] resumed = train(sc, checkpoints, new TrainingListener() {
        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
          if (firstStep.isEmpty()) {
            firstStep.add("epoch " + epoch + " step " + step);
          }
        }
      });

      assertEquals(List.of("epoch 2 step 1"), firstStep, "resumed from ckpt-70 (the end of epoch 1)");
      assertArrayEquals(reference, resumed, "weights after resuming past the truncated checkpoint");
    } finally {
      spark.stop();
    }
  }
}
