package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.RegressionMetrics;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.ProgressBar;
import dev.dendrite.core.train.Task;
import dev.dendrite.jobs.report.HtmlReport;
import dev.dendrite.jobs.report.Report;
import dev.dendrite.spark.DistributedEvaluator;
import dev.dendrite.spark.DistributedTrainer;
import dev.dendrite.spark.ExecutorWatchdog;
import dev.dendrite.spark.HadoopFiles;
import dev.dendrite.spark.LoggingListener;
import dev.dendrite.spark.MetricsLog;
import dev.dendrite.spark.NoExecutorsException;
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

  private Map<String, Object> train(SparkSession spark, JobConfig job, Network network, StagedOutput out,
                                    Configuration hadoop) throws IOException {
    org.apache.hadoop.fs.Path dir = out.tmp();
    int partitions = job.distributed().partitions() > 0 ? job.distributed().partitions()
        : spark.sparkContext().defaultParallelism();
    TrainingData data = TrainingData.load(spark, job, network, partitions);
    try (MetricsLog log = new MetricsLog(new org.apache.hadoop.fs.Path(dir, "metrics.jsonl"), hadoop, 50)) {
      long start = System.nanoTime();
      History history = new DistributedTrainer(job.training(), job.distributed())
          .listener(ProgressBar.console()).listener(new LoggingListener(200)).listener(log)
          .fitBlocks(network, data.train, data.validation);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> metrics = new LinkedHashMap<>();
      Task task = Task.of(job.training().loss(), network.outputSize());
      ClassificationMetrics testClassification = null;
      RegressionMetrics testRegression = null;
      if (data.test != null) {
        Map<String, Double> values;
        if (task == Task.REGRESSION) {
          testRegression = DistributedEvaluator.regression(data.test, network);
          values = testRegression.metrics("test_");
        } else if (task == Task.MULTILABEL) {
          values = DistributedEvaluator.multiLabel(data.test, network).metrics("test_");
        } else {
          testClassification = DistributedEvaluator.classification(data.test, network, task);
          values = testClassification.metrics("test_");
          List<String> names = classNames(testClassification, job);
          out.write("confusion_matrix.txt", testClassification.confusionMatrix()
              .toTable(names.isEmpty() ? null : names.toArray(new String[0])));
        }
        values.forEach((k, v) -> metrics.put(k, finite(v)));
        // a variational autoencoder: the ELBO's two parts on the test set
        DistributedEvaluator.lossTerms(data.test, network, job.training().loss(), "test_")
            .forEach((k, v) -> metrics.put(k, finite(v)));
      }
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("seed", job.training().seed());
      provenance.put("data", data.description);
      provenance.put("training_examples", data.trainExamples);
      provenance.put("epochs", history.epochs().size());
      provenance.put("stop_reason", history.stopReason());
      provenance.put("seconds", seconds);
      Redaction redaction = Redaction.of(spark.sparkContext().getConf());
      provenance.put("spark_master", redaction.value("spark.master", spark.sparkContext().master()));
      provenance.put("final_metrics", finiteMap(history.last().metrics()));
      provenance.put("test_metrics", metrics);
      SavedModel model = SavedModel.of(network).withLoss(job.training().loss()).withTraining(provenance)
          .withPreprocessing(data.preprocessor == null ? Map.of() : data.preprocessor.toMap());
      HadoopFiles.writeModel(model, new org.apache.hadoop.fs.Path(dir, "model" + ModelFile.EXTENSION), hadoop);
      Map<String, Object> historyMap = new LinkedHashMap<>(history.toMap());
      historyMap.put("epochs", finiteList(history));
      out.write("history.json", Json.write(historyMap, true));
      out.write("metrics.json", Json.write(provenance, true));
      String yaml = ConfigFiles.toYaml(redaction.config(job.tree()));
      out.write("config.yaml", yaml);
      Report report = Report.of(config.getFileName().toString(), history)
          .withClassification(testClassification, classNames(testClassification, job))
          .withRegression(testRegression)
          .withSummary(provenance)
          .withSpark(Report.sparkSettings(spark.sparkContext().getConf()))
          .withConfig(yaml)
          .withImages(job.data().reconstructsInputs()
              ? AutoencoderImages.grids(network, data.test, job.training().seed()) : List.of());
      out.write("report.html", HtmlReport.write(report));
      return provenance;
    } finally {
      data.release();
    }
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
