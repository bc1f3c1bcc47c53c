package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distributed.checkpoint_dir} is checked before Spark starts: a directory that cannot be created
 * or written, or one holding another configuration's checkpoints, is refused with exit code 2 and a
 * message naming it; the same configuration resumes from its own checkpoints. "Before Spark starts" is
 * shown by running without a Spark master: a check made later would fail on the master instead.
 */
class CheckpointDirectoryTest {

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  private static JobTestSupport.Result withoutSparkMaster(String... args) {
    String master = System.clearProperty("spark.master");
    try {
      return JobTestSupport.run(args);
    } finally {
      if (master != null) {
        System.setProperty("spark.master", master);
      }
    }
  }

  private static Path config(Path dir) throws Exception {
    return JobTestSupport.libsvmConfig(dir, JobTestSupport.binary01(dir), dir.resolve("out"));
  }

  private static List<String> checkpoints(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("ckpt-\\d{12}\\.dndr")).sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void aCheckpointDirectoryThatCannotBeCreatedIsRefusedBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("plain-file"), "not a directory");
    String target = dir.resolve("plain-file/checkpoints").toString();
    JobTestSupport.Result r = withoutSparkMaster("train", config(dir).toString(),
        "--set", "distributed.checkpoint_dir=" + target);
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("distributed.checkpoint_dir"), r.err());
    assertTrue(r.err().contains(target), r.err());
    assertTrue(r.err().contains("cannot be created or written"), r.err());
    assertTrue(!r.err().contains("no Spark master"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void checkpointKeepIsReadAndMustBeAtLeastOne(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    assertEquals(3, JobConfig.load(config, List.of()).distributed().checkpointKeep(), "default");
    assertEquals(5, JobConfig.load(config, List.of("distributed.checkpoint_keep=5")).distributed().checkpointKeep());
    JobTestSupport.Result r = withoutSparkMaster("train", config.toString(), "--set", "distributed.checkpoint_keep=0");
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("distributed.checkpoint_keep: 0 is out of range"), r.err());
  }

  @Test
  void theSameConfigurationResumesAndAnotherIsRefusedBeforeSparkStarts(@TempDir Path dir) throws Exception {
    String config = config(dir).toString();
    String checkpointDir = dir.resolve("checkpoints").toString();
    JobTestSupport.ok("train", config, "--set", "distributed.checkpoint_dir=" + checkpointDir,
        "--output", dir.resolve("first").toString());
    List<String> written = checkpoints(dir.resolve("checkpoints"));
    assertEquals(3, written.size(), "the last three epochs' checkpoints: " + written);

    // the same run again: resumes from its final checkpoint and ends with the same weights
    JobTestSupport.ok("train", config, "--set", "distributed.checkpoint_dir=" + checkpointDir,
        "--output", dir.resolve("second").toString());
    assertArrayEquals(ModelFile.read(dir.resolve("first/model.dndr")).parameters(),
        ModelFile.read(dir.resolve("second/model.dndr")).parameters());

    JobTestSupport.Result other = withoutSparkMaster("train", config, "--set", "distributed.checkpoint_dir="
        + checkpointDir, "--set", "training.epochs=13", "--output", dir.resolve("third").toString());
    assertEquals(Dendrite.BAD_INPUT, other.code(), other.err());
    assertTrue(other.err().contains("distributed.checkpoint_dir"), other.err());
    assertTrue(other.err().contains(checkpointDir), other.err());
    assertTrue(other.err().contains("another configuration"), other.err());
    assertTrue(other.err().contains("another checkpoint directory"), other.err());
    assertTrue(!other.err().contains("no Spark master"), other.err());
    assertEquals(written, checkpoints(dir.resolve("checkpoints")), "the other run's checkpoints untouched");
  }
}
