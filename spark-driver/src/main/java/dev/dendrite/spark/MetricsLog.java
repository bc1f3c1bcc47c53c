package dev.dendrite.spark;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A metrics log in JSON lines on any Hadoop file system, written as training goes (each line flushed):
 * {@code {"event":"step",...}} every {@code everySteps} steps and {@code {"event":"epoch",...}} with the
 * epoch's metrics. Close it when training ends.
 */
public final class MetricsLog implements TrainingListener, AutoCloseable {

  private final Path file;
  private final FSDataOutputStream out;
  private final int everySteps;
  private long epochStart;

  public MetricsLog(Path file, Configuration conf, int everySteps) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    this.file = file;
    this.out = fs.create(file, true);
    this.everySteps = everySteps;
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    epochStart = System.nanoTime();
  }

  @Override
  public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
    if (everySteps <= 0 || step % everySteps != 0) {
      return;
    }
    double seconds = (System.nanoTime() - epochStart) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "step");
    m.put("epoch", epoch);
    m.put("step", step);
    m.put("steps", steps);
    m.put("loss", Double.isFinite(loss) ? loss : null);
    m.put("examples_per_second", examples / Math.max(seconds, 1e-9));
    write(m);
  }

  @Override
  public void onEpochEnd(int epoch, int epochs, EpochRecord record) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "epoch");
    for (Map.Entry<String, Object> e : record.toMap().entrySet()) {
      Object v = e.getValue();
      m.put(e.getKey(), v instanceof Double && !Double.isFinite((Double) v) ? null : v);
    }
    write(m);
  }

  private void write(Map<String, Object> line) {
    try {
      out.write((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics log " + file + ": " + e.getMessage(), e);
    } catch (FSError e) { // Hadoop's local file system reports a failing (e.g. full) disk as an Error
      throw new UncheckedIOException(HadoopFiles.diskError(file, e));
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (FSError e) {
      throw HadoopFiles.diskError(file, e);
    }
  }
}
