package dev.dendrite.spark;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.train.TrainingLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a distributed run in a directory on any Hadoop file system. Each checkpoint is a
 * Dendrite model file ({@code ckpt-<step>.dndr}: parameters, optimizer state, and in its training
 * section the loop's position and the keys of the run's configuration), with the early-stopping best
 * parameters beside it ({@code ckpt-<step>.best.dndr}) when the run restores its best; each file is
 * written to a temporary name and renamed, and carries the model file's lengths and CRC-32, so a
 * truncated file or a flipped bit is detected when it is read.
 *
 * <p>The newest {@code keep} checkpoints are kept; older ones are deleted only after a newer one is
 * complete. A run resumes from the newest checkpoint that reads back whole, logging a warning for each
 * damaged one it skips; a damaged {@code best} file means "no best yet" (a warning, not a refusal). When
 * every checkpoint is damaged the run is refused, naming each file and why: restarting from step 0
 * would hide the damage and throw away the run's history, while deleting the files is one command away.
 *
 * <p>A killed run leaves {@code .ckpt-<step>[.best].dndr.tmp-<n>} files behind. They are removed when a
 * run starts and whenever a checkpoint is written, but only once they are {@link #STALE_AFTER} old: a
 * checkpoint is written in one go (seconds even for large models), and HDFS stamps a file's modification
 * time when it is created and closed, so only a write that lasted longer than that could be a live one.
 * The name cannot tell: two runs of the same configuration share the run key, and whether another
 * driver is alive cannot be known from another machine.
 */
public final class CheckpointStore {

  /** How many checkpoints a run keeps unless told otherwise. */
  public static final int DEFAULT_KEEP = 3;
  /** Age after which a checkpoint's temporary file can only be left over from a killed run. */
  public static final Duration STALE_AFTER = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})\\.dndr");
  private static final Pattern ANY_OF_OURS = Pattern.compile("ckpt-(\\d{12})(\\.best)?\\.dndr");
  private static final Pattern TEMPORARY = Pattern.compile("\\.ckpt-\\d{12}(\\.best)?\\.dndr\\.tmp-\\d+");

  private final Path dir;
  private final Configuration conf;
  private final String configKey;
  private final String runKey;
  private final int keep;

  /** What a checkpoint holds, ready to resume, and the warnings about damaged files skipped on the way. */
  public record Restored(TrainingLoop.Snapshot snapshot, float[] params, float[] bestParams,
                         OptimizerState optimizerState, Map<String, Object> extra, Path file,
                         List<String> warnings) {
  }

  /** A store keeping {@value #DEFAULT_KEEP} checkpoints, that checks only the run key. */
  public CheckpointStore(String dir, Configuration conf, String runKey) {
    this(dir, conf, null, runKey, DEFAULT_KEEP);
  }

  /**
   * A store keeping the newest {@code keep} checkpoints. {@code configKey} is the key of the
   * configuration alone (known before Spark starts, see {@link #checkBeforeStart}), {@code runKey} that of
   * everything a resume must match (known once the data is counted); either may be null where not known
   * yet, but {@link #save} and {@link #latest} need the run key.
   */
  public CheckpointStore(String dir, Configuration conf, String configKey, String runKey, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
    }
    this.dir = new Path(dir);
    this.conf = conf;
    this.configKey = configKey;
    this.runKey = runKey;
    this.keep = keep;
  }

  /** A short key of everything that must match for a resume to be exact. */
  public static String runKey(Map<String, Object> description) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Json.write(description).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path directory() {
    return dir;
  }

  /**
   * What can be checked before Spark starts: a checkpoint already in the directory belongs to this
   * configuration (and is not all damaged), and the directory can be created and written (a probe file
   * is written and deleted). Fails naming the directory and what to do.
   */
  public void checkBeforeStart() throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (fs.exists(dir)) {
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw new IOException("checkpoint directory " + dir + " is a file: name a directory");
      }
      Scan scan = scan(fs);
      if (scan.saved == null && !scan.damaged.isEmpty()) {
        throw scan.allDamaged();
      } else if (scan.saved != null) {
        checkKeys(scan.saved, scan.file);
      }
    }
    checkWritable(fs);
  }

  /** Fails naming the directory unless it can be created and a file written in it (and deleted again). */
  public void checkWritable() throws IOException {
    checkWritable(dir.getFileSystem(conf));
  }

  private void checkWritable(FileSystem fs) throws IOException {
    Path probe = new Path(dir, ".dendrite-write-probe-" + UUID.randomUUID());
    try {
      if (!fs.mkdirs(dir)) {
        throw new IOException("mkdirs returned false");
      }
      try (OutputStream out = fs.create(probe, false)) {
        out.write(1);
      }
      if (!fs.delete(probe, false)) {
        throw new IOException("cannot delete the probe file " + probe);
      }
    } catch (IOException e) {
      throw new IOException("checkpoint directory " + dir + " cannot be created or written (" + e.getMessage()
          + "): name a directory this user can write, or fix its permissions", e);
    }
  }

  /** Writes a checkpoint durably, then removes the ones beyond the newest {@code keep} and stale temporaries. */
  public void save(NetworkConfig network, TrainingLoop.Snapshot snapshot, float[] params, float[] best,
                   OptimizerState state, Map<String, Object> extra) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      String stem = String.format("ckpt-%012d", snapshot.globalStep());
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("run_key", requireRunKey());
      if (configKey != null) {
        training.put("config_key", configKey);
      }
      training.put("loop", snapshot.toMap());
      training.put("extra", extra);
      if (best != null) {
        String bestName = stem + ".best.dndr";
        HadoopFiles.writeModel(new SavedModel(network, best, null, null, null, null, ModelFile.LIBRARY_VERSION,
            Instant.now()), new Path(dir, bestName), conf);
        training.put("best_file", bestName);
      }
      Path target = new Path(dir, stem + ".dndr");
      HadoopFiles.writeModel(new SavedModel(network, params, null, null, training, state, ModelFile.LIBRARY_VERSION,
          Instant.now()), target, conf);
      prune(fs, snapshot.globalStep());
      removeStaleTemporaries(fs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the checkpoints (and best files) at or before {@code step} beyond the newest {@code keep}.
   * Later ones are left alone: they are damaged ones this run resumed past (skipped again with a warning
   * until this run's own checkpoints replace them) or another live run's.
   */
  private void prune(FileSystem fs, long step) throws IOException {
    TreeMap<Long, List<Path>> byStep = new TreeMap<>();
    List<Long> checkpoints = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir)) {
      Matcher m = ANY_OF_OURS.matcher(f.getPath().getName());
      if (m.matches() && Long.parseLong(m.group(1)) <= step) {
        long s = Long.parseLong(m.group(1));
        byStep.computeIfAbsent(s, k -> new ArrayList<>()).add(f.getPath());
        if (m.group(2) == null) {
          checkpoints.add(s);
        }
      }
    }
    checkpoints.sort(java.util.Comparator.reverseOrder());
    List<Long> kept = checkpoints.subList(0, Math.min(keep, checkpoints.size()));
    for (Map.Entry<Long, List<Path>> e : byStep.entrySet()) {
      if (!kept.contains(e.getKey())) {
        for (Path p : e.getValue()) {
          fs.delete(p, false);
        }
      }
    }
  }

  /** Deletes this store's temporary files older than {@link #STALE_AFTER}; a failure is only a warning. */
  private void removeStaleTemporaries(FileSystem fs) {
    long cutoff = System.currentTimeMillis() - STALE_AFTER.toMillis();
    try {
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile() && TEMPORARY.matcher(f.getPath().getName()).matches() && f.getModificationTime() < cutoff) {
          if (fs.delete(f.getPath(), false)) {
            LOG.info("removed {}, a temporary checkpoint file left by an interrupted run (last written {})",
                f.getPath(), Instant.ofEpochMilli(f.getModificationTime()));
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("could not remove stale temporary checkpoint files in {}: {}", dir, e.getMessage());
    }
  }

  /**
   * The newest whole checkpoint of this run, if any, after warnings for each damaged one skipped. Fails
   * if the directory holds another run's checkpoint, or if every checkpoint in it is damaged.
   */
  @SuppressWarnings("unchecked")
  public Optional<Restored> latest() {
    requireRunKey();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      removeStaleTemporaries(fs);
      Scan scan = scan(fs);
      if (scan.saved == null) {
        if (!scan.damaged.isEmpty()) {
          IOException e = scan.allDamaged();
          throw new UncheckedIOException(e.getMessage(), e);
        }
        return Optional.empty();
      }
      SavedModel saved = scan.saved;
      checkKeys(saved, scan.file);
      List<String> warnings = new ArrayList<>(scan.warnings);
      Map<String, Object> training = saved.training();
      TrainingLoop.Snapshot snapshot = TrainingLoop.Snapshot.fromMap((Map<String, Object>) training.get("loop"));
      float[] best = null;
      Object bestName = training.get("best_file");
      if (bestName != null) {
        Path bestFile = new Path(dir, (String) bestName);
        try {
          best = HadoopFiles.readModel(bestFile, conf).parameters();
        } catch (IOException e) {
          warnings.add("the early-stopping best parameters " + bestFile.getName() + " are damaged ("
              + e.getMessage() + "): resuming with no best yet, so the best epoch is chosen again from here on");
          snapshot = new TrainingLoop.Snapshot(snapshot.epoch(), snapshot.step(), snapshot.globalStep(),
              snapshot.epochLossSum(), snapshot.epochExamples(), snapshot.records(), Double.NaN, 0, -1);
        }
      }
      for (String w : warnings) {
        LOG.warn("dendrite: {}", w);
      }
      Map<String, Object> extra = training.get("extra") == null ? Map.of()
          : (Map<String, Object>) training.get("extra");
      return Optional.of(new Restored(snapshot, saved.parameters(), best, saved.optimizerState(), extra, scan.file,
          List.copyOf(warnings)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  private String requireRunKey() {
    if (runKey == null) {
      throw new IllegalStateException("this checkpoint store was made for checks before Spark starts (no run key)");
    }
    return runKey;
  }

  /** Fails naming the directory when {@code saved} was written by a run with another configuration or data. */
  private void checkKeys(SavedModel saved, Path file) {
    Map<String, Object> training = saved.training() == null ? Map.of() : saved.training();
    Object theirConfig = training.get("config_key");
    if (configKey != null && theirConfig != null && !configKey.equals(theirConfig)) {
      throw anotherRun(file, "configuration key " + theirConfig + ", this run's is " + configKey);
    }
    Object theirRun = training.get("run_key");
    if (runKey != null && !runKey.equals(theirRun)) {
      throw anotherRun(file, "run key " + theirRun + ", this run's is " + runKey
          + "; the run key also covers the partition count and the number of training examples");
    }
  }

  private IllegalArgumentException anotherRun(Path file, String detail) {
    return new IllegalArgumentException("checkpoint directory " + dir + " holds a run with another configuration ("
        + file.getName() + ": " + detail + "): use another checkpoint directory, or delete " + dir
        + " to start this run from step 0");
  }

  /** The checkpoints in the directory, newest first, down to the first that reads back whole. */
  private Scan scan(FileSystem fs) throws IOException {
    List<Path> candidates = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir)) {
      if (NAME.matcher(f.getPath().getName()).matches()) {
        candidates.add(f.getPath());
      }
    }
    candidates.sort((a, b) -> b.getName().compareTo(a.getName()));
    Scan scan = new Scan();
    for (Path file : candidates) {
      try {
        SavedModel saved = HadoopFiles.readModel(file, conf);
        if (saved.training() == null || !(saved.training().get("loop") instanceof Map)) {
          throw new IOException("a model file without a checkpoint's training section");
        }
        scan.saved = saved;
        scan.file = file;
        return scan;
      } catch (IOException e) {
        scan.damaged.add(file.getName() + " (" + e.getMessage() + ")");
        scan.warnings.add("checkpoint " + file.getName() + " is damaged and skipped: " + e.getMessage());
      }
    }
    return scan;
  }

  /** What a scan of the directory found: the newest whole checkpoint (or none) and the damaged ones after it. */
  private final class Scan {
    SavedModel saved;
    Path file;
    final List<String> damaged = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    IOException allDamaged() {
      return new IOException("every checkpoint in " + dir + " is damaged: " + String.join("; ", damaged)
          + ". Nothing was resumed: delete them (or the directory) to start this run over from step 0, or use "
          + "another checkpoint directory");
    }
  }
}
