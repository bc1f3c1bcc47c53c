package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.ProgressBar;
import dev.dendrite.jobs.report.HtmlReport;
import dev.dendrite.jobs.report.ImageGrid;
import dev.dendrite.jobs.report.Report;
import dev.dendrite.spark.DistributedEvaluator;
import dev.dendrite.spark.DistributedTrainer;
import dev.dendrite.spark.ExecutorWatchdog;
import dev.dendrite.spark.HadoopFiles;
import dev.dendrite.spark.LoggingListener;
import dev.dendrite.spark.MetricsLog;
import dev.dendrite.spark.NoExecutorsException;
import dev.dendrite.spark.TaskMetrics;
import dev.dendrite.spark.data.DataConfig;
import dev.dendrite.spark.data.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dendrite train CONFIG}: trains the configured network on Spark and writes into the output
 * directory the model file (with its preprocessing and provenance), the history, the metrics log, the
 * test metrics and the resolved configuration. Everything is written to a temporary directory first and
 * renamed at the end, so a failed run leaves no partial output.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a network as a configuration file describes (see conf/ and README's reference).")
public final class TrainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "the job configuration (YAML or JSON)")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a configuration key, e.g. --set training.epochs=5 (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--output", paramLabel = "DIR", description = "output directory (default: output.dir)")
  String output;

  @Option(names = "--overwrite", description = "replace an existing output directory (default: ${DEFAULT-VALUE})")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    JobConfig job = JobConfig.load(config, overrides);
    String outDir = output != null ? output : job.outputDir();
    Network network = new Network(job.network()).initialize(job.training().seed());
    TrainingData.checkTargets(job.data(), job.training(), network); // the loss fits the output layer
    checkLocalInputs(job);
    checkCheckpointDirectory(job, network);
    SparkSession spark = session(job);
    try {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      try (StagedOutput out = StagedOutput.begin(outDir, overwrite, "--output DIR or output.dir",
          StagedOutput.Kind.DIRECTORY, "train", hadoop)) {
        Map<String, Object> summary;
        try (ExecutorWatchdog watchdog = ExecutorWatchdog.wholeCommand(spark.sparkContext(),
            job.distributed().executorTimeoutSeconds())) {
          try {
            summary = train(spark, job, network, out, hadoop);
          } catch (Exception e) { // reading the data and evaluating wait for executors too
            NoExecutorsException gone = watchdog.failure();
            if (gone != null && gone != e) {
              gone.initCause(e);
              throw gone;
            }
            throw e;
          }
        } catch (FSError e) { // a disk error where no writer below named its file
          throw out.diskError(e);
        }
        out.commit();
        System.out.println(summaryLine(summary, out.target()));
      }
    } finally {
      spark.stop();
    }
    return 0;
  }

  /**
   * Reads the data (spark-driver's data boundary), trains, evaluates on the test split and writes the
   * outputs into the staged directory; returns the provenance (also the summary line's source).
   */
  private Map<String, Object> train(SparkSession spark, JobConfig job, Network network, StagedOutput out,
                                    Configuration hadoop) throws IOException {
    TrainingData data = TrainingData.load(spark, job.data(), job.training(), network,
        JobSession.partitions(spark, job));
    try (MetricsLog log = new MetricsLog(new org.apache.hadoop.fs.Path(out.tmp(), "metrics.jsonl"), hadoop, 50)) {
      long start = System.nanoTime();
      History history = new DistributedTrainer(job.training(), job.distributed())
          .listener(ProgressBar.console()).listener(new LoggingListener(200)).listener(log)
          .fitBlocks(network, data.train, data.validation);
      double seconds = (System.nanoTime() - start) / 1e9;
      TaskMetrics test = data.test == null ? null
          : DistributedEvaluator.evaluate(data.test, network, Task.of(job.training().loss(), network.outputSize()));
      Redaction redaction = Redaction.of(spark.sparkContext().getConf());
      // a variational autoencoder: the ELBO's two parts on the test set (empty for other networks)
      Map<String, Double> lossTerms = data.test == null ? Map.of()
          : DistributedEvaluator.lossTerms(data.test, network, job.training().loss(), "test_");
      Map<String, Object> provenance = provenance(job, data, history, seconds,
          redaction.value("spark.master", spark.sparkContext().master()), test, lossTerms);
      writeModel(network, job, data, provenance, out, hadoop);
      List<ImageGrid> images = job.data().reconstructsInputs()
          ? AutoencoderImages.grids(network, data.test, job.training().seed()) : List.of();
      writeFiles(spark, job, history, provenance, test, images, redaction, out);
      return provenance;
    } finally {
      data.release();
    }
  }

  /** What made the model: seed, data, examples, epochs, why training stopped, time, master and metrics. */
  private static Map<String, Object> provenance(JobConfig job, TrainingData data, History history, double seconds,
                                                String master, TaskMetrics test, Map<String, Double> lossTerms) {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("seed", job.training().seed());
    provenance.put("data", data.description);
    provenance.put("training_examples", data.trainExamples);
    provenance.put("epochs", history.epochs().size());
    provenance.put("stop_reason", history.stopReason());
    provenance.put("seconds", seconds);
    provenance.put("spark_master", master);
    provenance.put("final_metrics", finiteMap(history.last().metrics()));
    Map<String, Object> testMetrics = test == null ? new LinkedHashMap<>() : finiteMap(test.metrics("test_"));
    lossTerms.forEach((k, v) -> testMetrics.put(k, finite(v)));
    provenance.put("test_metrics", testMetrics);
    return provenance;
  }

  /** The model file: network, loss, provenance and the fitted preprocessing. */
  private static void writeModel(Network network, JobConfig job, TrainingData data, Map<String, Object> provenance,
                                 StagedOutput out, Configuration hadoop) throws IOException {
    SavedModel model = SavedModel.of(network).withLoss(job.training().loss().key()).withTraining(provenance)
        .withPreprocessing(data.preprocessor == null ? Map.of() : data.preprocessor.toMap());
    HadoopFiles.writeModel(model, new org.apache.hadoop.fs.Path(out.tmp(), "model" + ModelFile.EXTENSION), hadoop);
  }

  /**
   * The confusion matrix (classification with a test set), history, metrics, resolved config and report
   * (with an autoencoder's image grids).
   */
  private void writeFiles(SparkSession spark, JobConfig job, History history, Map<String, Object> provenance,
                          TaskMetrics test, List<ImageGrid> images, Redaction redaction, StagedOutput out)
      throws IOException {
    ClassificationMetrics classification = test == null ? null : test.classification();
    List<String> names = classNames(classification, job);
    if (classification != null) {
      out.write("confusion_matrix.txt", classification.confusionMatrix()
          .toTable(names.isEmpty() ? null : names.toArray(new String[0])));
    }
    Map<String, Object> historyMap = new LinkedHashMap<>(history.toMap());
    historyMap.put("epochs", finiteList(history));
    out.write("history.json", Json.write(historyMap, true));
    out.write("metrics.json", Json.write(provenance, true));
    String yaml = ConfigFiles.toYaml(redaction.config(job.tree()));
    out.write("config.yaml", yaml);
    Report report = Report.of(config.getFileName().toString(), history)
        .withClassification(classification, names)
        .withRegression(test == null ? null : test.regression())
        .withSummary(provenance)
        .withSpark(Redaction.settings(spark.sparkContext().getConf()))
        .withConfig(yaml)
        .withImages(images);
    out.write("report.html", HtmlReport.write(report));
  }

  /** The configured class names when they name every class of the metrics, else none (numbered). */
  private static List<String> classNames(ClassificationMetrics m, JobConfig job) {
    List<String> names = job.data().classNames();
    return m != null && names.size() == m.numClasses() ? names : List.of();
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Map<String, Object> finiteMap(Map<String, Double> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, finite(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> finiteList(History history) {
    List<Object> out = new ArrayList<>();
    for (var r : history.epochs()) {
      Map<String, Object> m = new LinkedHashMap<>(r.toMap());
      m.replaceAll((k, v) -> v instanceof Double ? finite((Double) v) : v);
      out.add(m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String summaryLine(Map<String, Object> summary, org.apache.hadoop.fs.Path target) {
    Map<String, Object> test = (Map<String, Object>) summary.get("test_metrics");
    StringBuilder sb = new StringBuilder("dendrite train: ").append(summary.get("epochs")).append(" epochs in ")
        .append(String.format(Locale.ROOT, "%.1f s", (Double) summary.get("seconds")));
    if (test.get("test_accuracy") != null) {
      sb.append(String.format(Locale.ROOT, ", test accuracy %.4f", (Double) test.get("test_accuracy")));
    } else if (test.get("test_rmse") != null) {
      sb.append(String.format(Locale.ROOT, ", test RMSE %.4f", (Double) test.get("test_rmse")));
    }
    return sb.append("; model and metrics in ").append(target).append(", report in ")
        .append(new org.apache.hadoop.fs.Path(target, "report.html")).toString();
  }

  /** Fails before Spark starts when a local input file is missing. */
  static void checkLocalInputs(JobConfig job) {
    List<String> paths = new ArrayList<>();
    DataConfig d = job.data();
    if (d.format().equals("generated")) {
      return; // specs of generated data, not files
    }
    paths.add(d.train());
    if (d.trainLabels() != null) {
      paths.add(d.trainLabels());
    }
    if (d.test() != null) {
      paths.add(d.test());
    }
    if (d.testLabels() != null) {
      paths.add(d.testLabels());
    }
    for (String p : paths) {
      TrainingData.requireLocalFile(p, "data file");
    }
  }

  /**
   * Fails before Spark starts when {@code distributed.checkpoint_dir} cannot be created or written, or
   * holds checkpoints of another configuration (the same configuration resumes from them).
   */
  private static void checkCheckpointDirectory(JobConfig job, Network network) throws IOException {
    try {
      DistributedTrainer.checkCheckpointDirectory(network.config(), job.training(), job.distributed(),
          JobSession.hadoopConfiguration(job));
    } catch (IOException e) {
      throw new IOException("distributed.checkpoint_dir: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("distributed.checkpoint_dir", e.getMessage());
    }
  }

  /** A Spark session; the config's {@code spark} settings apply only where nothing else set them. */
  static SparkSession session(JobConfig job) {
    return JobSession.start(job, "train");
  }
}
