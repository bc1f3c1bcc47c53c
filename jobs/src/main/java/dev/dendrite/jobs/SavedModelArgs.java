package dev.dendrite.jobs;

import dev.dendrite.spark.data.TrainingData;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * What {@code evaluate} and {@code predict} share: the {@code --model} option (a picocli mixin; CONFIG stays
 * in each command, so that picocli still checks it first), the choice of the data they apply the model to,
 * checked before Spark starts, and the Spark session around their work.
 */
final class SavedModelArgs {

  @Option(names = "--model", paramLabel = "PATH", required = true,
      description = "the model file (any Hadoop path), e.g. out/model.dndr; a train output directory works "
          + "too (required)")
  String model;

  /**
   * The job and the data chosen.
   *
   * @param job    the job configuration, {@code --set} overrides applied
   * @param model  the {@code --model} location
   * @param path   the data file
   * @param labels the IDX label file, or null for none
   */
  record Selection(JobConfig job, String model, String path, String labels) {

    /**
     * Runs {@code work} in the Spark session of {@code dendrite COMMAND}, stops the session after it, and
     * rethrows a failure as {@link JobSession#unwrap} makes it readable.
     */
    void inSpark(String command, SparkWork work) throws Exception {
      SparkSession spark = JobSession.start(job, command);
      try {
        work.run(spark, spark.sparkContext().hadoopConfiguration());
      } catch (Exception e) {
        throw JobSession.unwrap(e);
      } finally {
        spark.stop();
      }
    }
  }

  /** A command's work inside its Spark session. */
  interface SparkWork {
    void run(SparkSession spark, Configuration hadoop) throws Exception;
  }

  /**
   * Loads {@code config} (CONFIG) with its {@code --set} {@code overrides} and chooses the data:
   * {@code data} ({@code --data}), by default the config's {@code data.test}; {@code labels}
   * ({@code --labels}), by default {@code data.test_labels} unless {@code --data} named other data. Local
   * model, data and label files must exist. {@code purpose} completes the refusal when there is no data
   * ("no data to evaluate on: ...", "no data to predict: ...").
   */
  Selection select(java.nio.file.Path config, List<String> overrides, String data, String labels,
                   String purpose) {
    JobConfig job = JobConfig.load(config, overrides);
    String path = data != null ? data : job.data().test();
    String labelPath = labels != null ? labels : data != null ? null : job.data().testLabels();
    if (path == null) {
      throw new IllegalArgumentException("no data to " + purpose + ": the config has no data.test; pass --data "
          + "PATH (or --set data.test=PATH)");
    }
    TrainingData.requireLocalFile(model, "model file");
    if (!job.data().format().equals("generated")) {
      TrainingData.requireLocalFile(path, "data file");
    }
    if (labelPath != null) {
      TrainingData.requireLocalFile(labelPath, "label file");
    }
    return new Selection(job, model, path, labelPath);
  }
}
