package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.train.TrainingLoop;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint store on a local directory: what it keeps, what it resumes from when files are damaged
 * (a truncated or bit-flipped checkpoint, a damaged {@code best} file), and the temporary files a killed
 * run leaves behind.
 */
class CheckpointStoreTest {

  private static final Network NET = Network.builder(4).dense(3, "softmax").seed(5).build();
  private static final String KEY = "run-key-1";

  private static CheckpointStore store(Path dir) {
    return new CheckpointStore(dir.toString(), new Configuration(), KEY);
  }

  private static TrainingLoop.Snapshot snapshot(long globalStep) {
    return new TrainingLoop.Snapshot(1, (int) globalStep % 7, globalStep, 0.5, 100, List.of(), 0.25, 1, 1);
  }

  private static float[] params(long globalStep) {
    float[] p = NET.parameters();
    p[0] = globalStep;
    return p;
  }

  private static OptimizerState state() {
    Optimizer adam = OptimizerConfig.adam(0.01).create();
    adam.init(NET.layout());
    return adam.state();
  }

  /** Saves checkpoints at the given steps, each with a best file whose first weight is -step. */
  private static void save(CheckpointStore store, long... steps) {
    for (long s : steps) {
      float[] best = params(s);
      best[0] = -s;
      store.save(NET.config(), snapshot(s), params(s), best, state(), Map.of("averaging_frequency", 1));
    }
  }

  private static TreeSet<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static String name(long step) {
    return String.format("ckpt-%012d.dndr", step);
  }

  /**
   * Truncates a file to half and drops Hadoop's local {@code .crc} sidecar, as on HDFS or an object store
   * where only the model file's own lengths and CRC-32 can tell.
   */
  private static void truncate(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  /** Flips one bit in the parameters (past the header) and drops the sidecar checksum. */
  private static void flipByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 9] ^= 0x10;
    Files.write(file, bytes);
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  @Test
  void staleTemporaryFilesOfAKilledRunAreRemovedOnTheNextRun(@TempDir Path dir) throws Exception {
    FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    for (String stale : new String[] {".ckpt-000000000010.dndr.tmp-123456789",
        ".ckpt-000000000010.best.dndr.tmp-123456790"}) {
      Files.write(dir.resolve(stale), new byte[] {1, 2, 3});
      Files.setLastModifiedTime(dir.resolve(stale), twoHoursAgo);
    }
    // being written right now (by a live run of the same configuration): must stay
    Files.write(dir.resolve(".ckpt-000000000020.dndr.tmp-223456789"), new byte[] {1});
    // not ours, however old
    Files.write(dir.resolve(".notes.txt.tmp-1"), new byte[] {1});
    Files.setLastModifiedTime(dir.resolve(".notes.txt.tmp-1"), twoHoursAgo);
    Files.write(dir.resolve("ckpt-plan.txt"), new byte[] {1});
    Files.setLastModifiedTime(dir.resolve("ckpt-plan.txt"), twoHoursAgo);

    Optional<CheckpointStore.Restored> restored = store(dir).latest();

    assertTrue(restored.isEmpty());
    assertEquals(new TreeSet<>(List.of(".ckpt-000000000020.dndr.tmp-223456789", ".notes.txt.tmp-1", "ckpt-plan.txt")),
        names(dir), "left after the start of the next run");
  }

  @Test
  void staleTemporaryFilesAreAlsoRemovedWhenACheckpointIsWritten(@TempDir Path dir) throws Exception {
    Path stale = dir.resolve(".ckpt-000000000010.dndr.tmp-123456789");
    Files.write(stale, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    save(store(dir), 20);
    assertFalse(Files.exists(stale), "left: " + names(dir));
  }

  @Test
  void theLastThreeCheckpointsAreKeptWithTheirBestFiles(@TempDir Path dir) throws Exception {
    save(store(dir), 10, 20, 30, 40, 50);
    assertEquals(new TreeSet<>(List.of(name(30), "ckpt-000000000030.best.dndr", name(40), "ckpt-000000000040.best.dndr",
        name(50), "ckpt-000000000050.best.dndr")), names(dir));
  }

  @Test
  void aTruncatedLatestCheckpointFallsBackToThePreviousOne(@TempDir Path dir) throws Exception {
    save(store(dir), 10, 20, 30);
    truncate(dir.resolve(name(30)));

    CheckpointStore.Restored r = store(dir).latest().orElseThrow(() -> new AssertionError("nothing restored"));

    assertEquals(20, r.snapshot().globalStep(), "resumed from " + r.file());
    assertEquals(20f, r.params()[0]);
    assertEquals(-20f, r.bestParams()[0]);
  }

  @Test
  void aFlippedByteInTheLatestCheckpointIsCaughtByItsChecksumAndNamedInTheWarning(@TempDir Path dir)
      throws Exception {
    save(store(dir), 10, 20, 30);
    flipByte(dir.resolve(name(30)));

    CheckpointStore.Restored r = store(dir).latest().orElseThrow(() -> new AssertionError("nothing restored"));

    assertEquals(20, r.snapshot().globalStep(), "resumed from " + r.file());
    assertEquals(1, r.warnings().size(), () -> "warnings: " + r.warnings());
    String warning = r.warnings().get(0);
    assertTrue(warning.contains(name(30)), warning);
    assertTrue(warning.contains("checksum mismatch"), warning);
  }

  @Test
  void aDamagedBestFileMeansNoBestYet(@TempDir Path dir) throws Exception {
    save(store(dir), 10, 20, 30);
    flipByte(dir.resolve("ckpt-000000000030.best.dndr"));

    CheckpointStore.Restored r = store(dir).latest().orElseThrow(() -> new AssertionError("nothing restored"));

    assertEquals(30, r.snapshot().globalStep(), "the checkpoint itself is whole: resumed from " + r.file());
    assertArrayEquals(params(30), r.params());
    assertNull(r.bestParams(), "no best parameters");
    assertTrue(Double.isNaN(r.snapshot().bestValue()), "best value " + r.snapshot().bestValue());
    assertEquals(-1, r.snapshot().bestEpoch());
    assertEquals(0, r.snapshot().sinceBest());
    assertEquals(1, r.warnings().size(), () -> "warnings: " + r.warnings());
    assertTrue(r.warnings().get(0).contains("ckpt-000000000030.best.dndr"), () -> "warnings: " + r.warnings());
    assertTrue(r.warnings().get(0).contains("no best yet"), () -> "warnings: " + r.warnings());
  }

  @Test
  void whenEveryCheckpointIsDamagedTheRunIsRefusedNamingEachFile(@TempDir Path dir) throws Exception {
    save(store(dir), 10, 20, 30);
    truncate(dir.resolve(name(10)));
    flipByte(dir.resolve(name(20)));
    truncate(dir.resolve(name(30)));

    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store(dir).latest());

    String m = e.getMessage();
    assertTrue(m.contains(name(10)), m);
    assertTrue(m.contains(name(20)), m);
    assertTrue(m.contains(name(30)), m);
    assertTrue(m.contains("truncated"), m);
    assertTrue(m.contains("checksum mismatch"), m);
    assertTrue(m.contains("delete"), m);
    assertEquals(6, names(dir).size(), "the damaged files are left for inspection: " + names(dir));
  }

  @Test
  void anotherRunsCheckpointIsRefusedNamingTheDirectory(@TempDir Path dir) throws Exception {
    save(store(dir), 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CheckpointStore(dir.toString(), new Configuration(), "another-key").latest());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("another checkpoint"), e.getMessage());
  }

  @Test
  void aCheckpointNewerThanTheOneJustWrittenIsLeftAloneAndOlderOnesBeyondKeepGo(@TempDir Path dir) throws Exception {
    save(store(dir), 10, 20, 30);
    truncate(dir.resolve(name(30)));
    CheckpointStore resumed = new CheckpointStore(dir.toString(), new Configuration(), null, KEY, 2);
    assertEquals(20, resumed.latest().orElseThrow().snapshot().globalStep());

    save(resumed, 25);

    assertEquals(new TreeSet<>(List.of(name(20), "ckpt-000000000020.best.dndr", name(25), "ckpt-000000000025.best.dndr",
        name(30), "ckpt-000000000030.best.dndr")), names(dir), "10 went (keep 2); the damaged 30 waits");
    save(resumed, 30);
    assertEquals(30, resumed.latest().orElseThrow().snapshot().globalStep(), "rewritten whole");
  }

  @Test
  void hadoopsOwnSidecarChecksumAlsoCountsAsDamage(@TempDir Path dir) throws Exception {
    save(store(dir), 10, 20);
    Path file = dir.resolve(name(20));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 9] ^= 0x10; // the .crc sidecar of Hadoop's local file system stays
    Files.write(file, bytes);
    CheckpointStore.Restored r = store(dir).latest().orElseThrow();
    assertEquals(10, r.snapshot().globalStep(), () -> "warnings: " + r.warnings());
  }

  @Test
  void keepingFewerThanOneCheckpointIsRefusedNamingTheKey() {
    dev.dendrite.core.config.ConfigException e = assertThrows(dev.dendrite.core.config.ConfigException.class,
        () -> DistributedConfig.defaults().withCheckpointKeep(0));
    assertTrue(e.getMessage().contains("checkpoint_keep"), e.getMessage());
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    assertEquals(3, DistributedConfig.defaults().checkpointKeep());
  }

  // ------------------------------------------------------------- checks before Spark starts

  private static CheckpointStore beforeStart(Path dir, String configKey) {
    return new CheckpointStore(dir.toString(), new Configuration(), configKey, null, 3);
  }

  @Test
  void anotherConfigurationsCheckpointIsFoundBeforeSparkStarts(@TempDir Path dir) throws Exception {
    save(new CheckpointStore(dir.toString(), new Configuration(), "config-a", KEY, 3), 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> beforeStart(dir, "config-b").checkBeforeStart());
    String m = e.getMessage();
    assertTrue(m.contains("checkpoint directory " + dir), m);
    assertTrue(m.contains("config-a"), m);
    assertTrue(m.contains("config-b"), m);
    assertTrue(m.contains("another checkpoint directory"), m);
    assertTrue(m.contains("delete"), m);
  }

  @Test
  void theSameConfigurationPassesAndLeavesNoProbeBehind(@TempDir Path dir) throws Exception {
    save(new CheckpointStore(dir.toString(), new Configuration(), "config-a", KEY, 3), 10);
    TreeSet<String> before = names(dir);
    beforeStart(dir, "config-a").checkBeforeStart();
    assertEquals(before, names(dir));
    try (Stream<Path> all = Files.list(dir)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("probe")), "probe left");
    }
  }

  @Test
  void aNewDirectoryIsCreatedByTheCheck(@TempDir Path dir) throws Exception {
    beforeStart(dir.resolve("a/b"), "config-a").checkBeforeStart();
    assertTrue(Files.isDirectory(dir.resolve("a/b")));
    assertEquals(new TreeSet<>(), names(dir.resolve("a/b")));
  }

  @Test
  void anAllDamagedDirectoryIsFoundBeforeSparkStarts(@TempDir Path dir) throws Exception {
    save(store(dir), 10);
    truncate(dir.resolve(name(10)));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> beforeStart(dir, "config-a").checkBeforeStart());
    assertTrue(e.getMessage().contains("every checkpoint"), e.getMessage());
    assertTrue(e.getMessage().contains(name(10)), e.getMessage());
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsFoundBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("plain-file"), "not a directory");
    Path target = dir.resolve("plain-file/checkpoints");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> beforeStart(target, "k").checkBeforeStart());
    assertTrue(e.getMessage().contains("checkpoint directory " + target), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be created"), e.getMessage());
  }

  @Test
  void aReadOnlyDirectoryIsFoundBeforeSparkStarts(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.readonly.impl", ReadOnlyFileSystem.class.getName());
    conf.setBoolean("fs.readonly.impl.disable.cache", true);
    String target = "readonly://" + dir.toAbsolutePath();
    java.io.IOException e = assertThrows(java.io.IOException.class,
        () -> new CheckpointStore(target, conf, "k", null, 3).checkBeforeStart());
    String shown = new org.apache.hadoop.fs.Path(target).toString(); // readonly:/tmp/...
    assertTrue(e.getMessage().contains("checkpoint directory " + shown), e.getMessage());
    assertTrue(e.getMessage().contains("Permission denied"), e.getMessage());
  }
}
