package dev.dendrite.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of a {@code dendrite} command: its session (the config's {@code spark} settings apply
 * only where nothing else set them), its partition count, and its errors as a person should read them.
 */
final class JobSession {

  private JobSession() {
  }

  /** Starts (or joins) the session for {@code dendrite COMMAND}; fails when no master is set. */
  static SparkSession start(JobConfig job, String command) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      throw new IllegalArgumentException("no Spark master is set: run through bin/dendrite (local[*]) or "
          + "spark-submit --master ...");
    }
    conf.setIfMissing("spark.app.name", "dendrite " + command);
    for (Map.Entry<String, String> e : job.spark().entrySet()) {
      conf.setIfMissing(e.getKey(), e.getValue());
    }
    conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    withoutChecksumFiles(spark.sparkContext().hadoopConfiguration());
    return spark;
  }

  /**
   * Turns off the hidden {@code .NAME.crc} file Hadoop's local file system writes beside every file
   * ({@code .model.dndr.crc}, ...): users of a local output directory do not expect them, and nothing
   * needs them (the model file carries its own checksum; HDFS keeps its checksums out of sight). The
   * setting lives on the JVM's cached local file system, which this command's writers on the driver and,
   * in local mode, Spark's writer tasks use; a write without one also deletes a stale checksum file.
   */
  static void withoutChecksumFiles(Configuration hadoop) {
    try {
      FileSystem.getLocal(hadoop).setWriteChecksum(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the local file system: " + e.getMessage(), e);
    }
  }

  /**
   * The Hadoop configuration the session will have, for checks before Spark starts: Hadoop's defaults and
   * site files, plus each {@code spark.hadoop.*} setting with its prefix removed, as Spark copies them —
   * from spark-submit or spark-defaults, else from the config's {@code spark} section.
   */
  static Configuration hadoopConfiguration(JobConfig job) {
    SparkConf conf = new SparkConf();
    for (Map.Entry<String, String> e : job.spark().entrySet()) {
      conf.setIfMissing(e.getKey(), e.getValue());
    }
    Configuration hadoop = new Configuration();
    for (scala.Tuple2<String, String> setting : conf.getAll()) {
      if (setting._1().startsWith("spark.hadoop.")) {
        hadoop.set(setting._1().substring("spark.hadoop.".length()), setting._2());
      }
    }
    return hadoop;
  }

  /** The configured partition count, or Spark's default parallelism when the config leaves it at 0. */
  static int partitions(SparkSession spark, JobConfig job) {
    return job.distributed().partitions() > 0 ? job.distributed().partitions()
        : spark.sparkContext().defaultParallelism();
  }

  /**
   * The error a person should read: a Spark job failure whose cause is bad input (an
   * {@link IllegalArgumentException} or an I/O error thrown inside a task) becomes that cause, so the
   * command line reports it as bad input with its own message.
   */
  static Exception unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof java.io.IOException) {
        return (Exception) t;
      }
    }
    return e;
  }
}
