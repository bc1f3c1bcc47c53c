package dev.dendrite.spark;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * section the loop's position and a key of the run's configuration), written to a temporary name and
 * renamed; older checkpoints are deleted only after the new one is complete. The newest checkpoint that
 * reads back whole (checksum verified) is the one resumed from; a damaged one is skipped with a warning.
 */
public final class CheckpointStore {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})\\.dndr");

  private final Path dir;
  private final Configuration conf;
  private final String runKey;

  /** What a checkpoint holds, ready to resume. */
  public record Restored(TrainingLoop.Snapshot snapshot, float[] params, float[] bestParams,
                         OptimizerState optimizerState, Map<String, Object> extra, Path file,
                         List<String> warnings) {
  }

  public CheckpointStore(String dir, Configuration conf, String runKey) {
    this.dir = new Path(dir);
    this.conf = conf;
    this.runKey = runKey;
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

  /** Writes a checkpoint durably, then removes the older ones. */
  public void save(NetworkConfig network, TrainingLoop.Snapshot snapshot, float[] params, float[] best,
                   OptimizerState state, Map<String, Object> extra) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      String stem = String.format("ckpt-%012d", snapshot.globalStep());
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("run_key", runKey);
      training.put("loop", snapshot.toMap());
      training.put("extra", extra);
      if (best != null) {
        String bestName = stem + ".best.dndr";
        HadoopFiles.writeModel(new SavedModel(network, best, null, null, null, null, ModelFile.LIBRARY_VERSION, Instant.now()),
            new Path(dir, bestName), conf);
        training.put("best_file", bestName);
      }
      Path target = new Path(dir, stem + ".dndr");
      HadoopFiles.writeModel(new SavedModel(network, params, null, null, training, state, ModelFile.LIBRARY_VERSION,
          Instant.now()), target, conf);
      for (FileStatus f : fs.listStatus(dir)) {
        String name = f.getPath().getName();
        if (name.startsWith("ckpt-") && !name.startsWith(stem)) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The newest complete checkpoint of this run, if any; fails if the directory holds another run's. */
  @SuppressWarnings("unchecked")
  public Optional<Restored> latest() {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      List<Path> candidates = new ArrayList<>();
      for (FileStatus f : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(f.getPath().getName());
        if (m.matches()) {
          candidates.add(f.getPath());
        }
      }
      candidates.sort((a, b) -> b.getName().compareTo(a.getName()));
      for (Path file : candidates) {
        SavedModel saved;
        try {
          saved = HadoopFiles.readModel(file, conf);
        } catch (IOException e) {
          LOG.warn("skipping checkpoint {}: {}", file, e.getMessage());
          continue;
        }
        Map<String, Object> training = saved.training();
        Object key = training.get("run_key");
        if (!runKey.equals(key)) {
          throw new IllegalStateException("checkpoint directory " + dir + " holds a run with another "
              + "configuration (run key " + key + ", this run's is " + runKey + "): use another checkpoint "
              + "directory, or delete it to start over");
        }
        float[] best = null;
        Object bestName = training.get("best_file");
        if (bestName != null) {
          best = HadoopFiles.readModel(new Path(dir, (String) bestName), conf).parameters();
        }
        Map<String, Object> extra = training.get("extra") == null ? Map.of()
            : (Map<String, Object>) training.get("extra");
        return Optional.of(new Restored(TrainingLoop.Snapshot.fromMap((Map<String, Object>) training.get("loop")),
            saved.parameters(), best, saved.optimizerState(), extra, file, List.of()));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }
}
