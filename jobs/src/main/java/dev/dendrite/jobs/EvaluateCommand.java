package dev.dendrite.jobs;

import dev.dendrite.core.metrics.ConfusionMatrix;
import dev.dendrite.spark.DistributedEvaluator;
import dev.dendrite.spark.TaskMetrics;
import dev.dendrite.spark.data.TrainingData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dendrite evaluate CONFIG --model PATH}: evaluates a saved model on Spark, on the data set the
 * config's {@code data} section describes (the test set unless {@code --data} names another), with the
 * model's saved preprocessing. Prints the metrics (for classification also the confusion matrix) and
 * saves them as JSON, written to a temporary file and renamed.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evaluate a saved model on a labelled data set (by default the config's data.test).")
public final class EvaluateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG",
      description = "the job configuration (YAML or JSON) whose data section describes the data")
  java.nio.file.Path config;

  @Mixin
  SavedModelArgs args = new SavedModelArgs();  // --model

  @Option(names = "--data", paramLabel = "PATH",
      description = "the data to evaluate on (default: data.test)")
  String data;

  @Option(names = "--labels", paramLabel = "PATH",
      description = "IDX label file of the data (default: data.test_labels, none with --data)")
  String labels;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a configuration key, e.g. --set data.test=x.csv (repeatable; default: none)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--output", paramLabel = "FILE",
      description = "the metrics JSON file, replaced if it is one Dendrite wrote (default: "
          + "evaluation.json beside the model file)")
  String output;

  @Override
  public Integer call() throws Exception {
    SavedModelArgs.Selection input = args.select(config, overrides, data, labels, "evaluate on");
    input.inSpark("evaluate", (spark, hadoop) -> {
      ModelInput m = ModelInput.read(input.model(), input.job(), hadoop);
      String target = output != null ? output
          : new org.apache.hadoop.fs.Path(m.path().getParent(), "evaluation.json").toString();
      try (StagedOutput out = StagedOutput.begin(target, true, "--output FILE", StagedOutput.Kind.JSON_FILE,
          "evaluate", hadoop)) { // claimed (and a file we may not replace refused) before the work
        evaluate(spark, input, m, target, out);
      }
    });
    return 0;
  }

  /** Evaluates the model, writes the metrics to {@code out} and prints them. */
  private void evaluate(org.apache.spark.sql.SparkSession spark, SavedModelArgs.Selection input, ModelInput m,
                        String target, StagedOutput out) throws Exception {
    long start = System.nanoTime();
    TrainingData loaded = TrainingData.evaluation(spark, input.job().data(), input.path(), input.labels(),
        m.network(), m.loss(), m.preprocessor(), JobSession.partitions(spark, input.job()));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", m.path().toString());
    report.put("data", loaded.description);
    report.put("loss", m.loss().key());
    report.put("task", m.task().name().toLowerCase(Locale.ROOT));
    String table = null;
    try {
      TaskMetrics r = DistributedEvaluator.evaluate(loaded.test, m.network(), m.task());
      report.put("examples", r.examples());
      report.put("metrics", finite(r.metrics("")));
      if (r.classification() != null) {
        ConfusionMatrix cm = r.classification().confusionMatrix();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < cm.numClasses(); k++) {
          names.add(m.classNames().isEmpty() ? Integer.toString(k) : m.classNames().get(k));
        }
        report.put("class_names", names);
        report.put("confusion_matrix", rows(cm));
        table = cm.toTable(m.classNameArray());
      }
    } catch (Exception e) {
      Exception cause = JobSession.unwrap(e);
      if (cause instanceof IllegalArgumentException) { // e.g. a label that is not a class: name the data
        throw new IllegalArgumentException(loaded.description + ": " + cause.getMessage(), cause);
      }
      throw cause;
    } finally {
      loaded.release();
    }
    report.put("seconds", (System.nanoTime() - start) / 1e9);
    report.put("spark_master", Redaction.of(spark.sparkContext().getConf())
        .value("spark.master", spark.sparkContext().master()));
    out.writeJson(report);
    out.commit();
    System.out.println(summary(report, table, target));
  }

  private static Map<String, Object> finite(Map<String, Double> metrics) {
    Map<String, Object> out = new LinkedHashMap<>();
    metrics.forEach((k, v) -> out.put(k, Double.isFinite(v) ? v : null));
    return out;
  }

  /** The confusion matrix as rows of counts: row = true class, column = predicted class. */
  private static List<List<Long>> rows(ConfusionMatrix cm) {
    List<List<Long>> out = new ArrayList<>();
    for (int t = 0; t < cm.numClasses(); t++) {
      List<Long> row = new ArrayList<>();
      for (int p = 0; p < cm.numClasses(); p++) {
        row.add(cm.count(t, p));
      }
      out.add(row);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String summary(Map<String, Object> report, String table, String target) {
    StringBuilder sb = new StringBuilder("dendrite evaluate: ").append(report.get("model")).append(" on ")
        .append(report.get("data")).append(", ").append(report.get("examples")).append(" examples\n");
    for (Map.Entry<String, Object> e : ((Map<String, Object>) report.get("metrics")).entrySet()) {
      sb.append(String.format(Locale.ROOT, "  %-16s %s%n", e.getKey(), e.getValue() == null ? "n/a"
          : String.format(Locale.ROOT, "%.6f", (Double) e.getValue())));
    }
    if (table != null) {
      sb.append('\n').append(table);
    }
    return sb.append("metrics saved to ").append(target).toString();
  }
}
