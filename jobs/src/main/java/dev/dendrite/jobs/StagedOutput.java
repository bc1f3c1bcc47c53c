package dev.dendrite.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output (a directory or one file, on any Hadoop file system) that appears whole or not at all: the job
 * writes to a temporary sibling of the target, {@link #commit} renames it into place, and {@link #close}
 * deletes whatever is left of it after a failure.
 */
final class StagedOutput implements AutoCloseable {

  private final FileSystem fs;
  private final Path target;
  private final Path tmp;
  private boolean committed;

  private StagedOutput(FileSystem fs, Path target, Path tmp) {
    this.fs = fs;
    this.target = target;
    this.tmp = tmp;
  }

  /**
   * Starts an output at {@code target}: refuses an existing target unless {@code overwrite}, naming
   * {@code choices} (e.g. {@code --output DIR or output.dir}) as the way to pick another; creates the
   * temporary directory when {@code createDirectory}, else leaves its path free (for a file, or for a
   * writer such as Spark's that creates the directory itself).
   */
  static StagedOutput begin(String target, boolean overwrite, String choices, boolean createDirectory,
                            Configuration conf) throws IOException {
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    if (fs.exists(path) && !overwrite) {
      throw new IllegalArgumentException((fs.getFileStatus(path).isDirectory() ? "output directory " : "output file ")
          + path + " exists; choose another (" + choices + ") or pass --overwrite to replace it");
    }
    Path parent = path.getParent();
    if (parent != null && !fs.exists(parent)) {
      fs.mkdirs(parent);
    }
    Path tmp = new Path(parent, "." + path.getName() + ".tmp-" + System.nanoTime());
    if (createDirectory && !fs.mkdirs(tmp)) {
      throw new IOException("cannot create the temporary directory " + tmp);
    }
    return new StagedOutput(fs, path, tmp);
  }

  /** Where the job writes: a temporary sibling of the target. */
  Path tmp() {
    return tmp;
  }

  /** Where the output appears after {@link #commit}. */
  Path target() {
    return target;
  }

  /** Writes a UTF-8 text file {@code name} into the temporary directory. */
  void write(String name, String text) throws IOException {
    writeText(new Path(tmp, name), text);
  }

  /** Writes the UTF-8 text as the temporary file itself (for a single-file output). */
  void writeFile(String text) throws IOException {
    writeText(tmp, text);
  }

  private void writeText(Path file, String text) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Replaces the target (if any) with the temporary output. */
  void commit() throws IOException {
    if (!fs.exists(tmp)) {
      throw new IOException("nothing was written to " + tmp);
    }
    if (fs.exists(target) && !fs.delete(target, true)) {
      throw new IOException("cannot replace " + target);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
    committed = true;
  }

  /** Deletes the temporary output unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!committed && fs.exists(tmp)) {
      fs.delete(tmp, true);
    }
  }
}
