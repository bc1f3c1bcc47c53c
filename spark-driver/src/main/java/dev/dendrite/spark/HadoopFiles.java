package dev.dendrite.spark;

import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Model files on any Hadoop file system (local, {@code hdfs://}, object stores): written to a temporary
 * name beside the target and renamed, so a reader never sees a half-written file.
 */
public final class HadoopFiles {

  private HadoopFiles() {
  }

  /** Writes {@code model} to {@code target} through a temporary file and a rename; replaces an existing file. */
  public static void writeModel(SavedModel model, Path target, Configuration conf) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + System.nanoTime());
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        ModelFile.write(model, out);
      } catch (FSError e) {
        throw diskError(target, e);
      }
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, false);
      }
    }
  }

  /**
   * The error to report for a disk error while writing {@code file}: Hadoop's local file system throws
   * {@link FSError} (an {@code Error}, not an {@code IOException}) when the disk fails, e.g. when it is full.
   */
  public static IOException diskError(Path file, FSError e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    return new IOException("cannot write " + file + ": " + why + " (is the disk full?)", e);
  }

  /** Reads a model file from any Hadoop path, with the model file's bounds and checksum checks. */
  public static SavedModel readModel(Path source, Configuration conf) throws IOException {
    FileSystem fs = source.getFileSystem(conf);
    try (InputStream in = fs.open(source)) {
      return ModelFile.read(in, source.toString());
    }
  }
}
