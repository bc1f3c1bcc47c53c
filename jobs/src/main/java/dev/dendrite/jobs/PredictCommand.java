package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.spark.data.PredictionRows;
import dev.dendrite.spark.FeatureVectors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FSError;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import scala.Tuple2;

/**
 * {@code dendrite predict CONFIG --model PATH --output DIR}: applies a saved model (with its saved
 * preprocessing) to a data set on Spark and writes one row per input row with Spark's Parquet or CSV
 * writer: the row index {@code id}, the label when the data has one, and the predictions. The output
 * is written to a temporary directory and renamed, so a failed run leaves nothing behind.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a saved model's predictions for a data set (by default the config's data.test).")
public final class PredictCommand implements Callable<Integer> {

  /** Output file formats. */
  public enum Format { parquet, csv }

  private static final int BATCH = 512;

  @Parameters(index = "0", paramLabel = "CONFIG",
      description = "the job configuration (YAML or JSON) whose data section describes the data")
  java.nio.file.Path config;

  @Mixin
  SavedModelArgs args = new SavedModelArgs();  // --model

  @Option(names = "--output", paramLabel = "DIR", required = true,
      description = "the output directory (any Hadoop path; required)")
  String output;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "parquet (probabilities as one array column) or csv (prob_0..prob_k columns) "
          + "(default: ${DEFAULT-VALUE})")
  Format format = Format.parquet;

  @Option(names = "--data", paramLabel = "PATH",
      description = "the data to predict, in data.format; labels are optional (default: "
          + "data.test)")
  String data;

  @Option(names = "--labels", paramLabel = "PATH",
      description = "IDX label file of the data, copied to the output's label column (default: "
          + "data.test_labels, none with --data)")
  String labels;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a configuration key, e.g. --set data.test=x.csv (repeatable; default: none)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--overwrite", description = "replace an existing output directory (default: ${DEFAULT-VALUE})")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    SavedModelArgs.Selection input = args.select(config, overrides, data, labels, "predict");
    input.inSpark("predict", (spark, hadoop) -> {
      try (StagedOutput out = StagedOutput.begin(output, overwrite, "--output DIR",
          StagedOutput.Kind.WRITER_DIRECTORY, "predict", hadoop)) {
        ModelInput m = ModelInput.read(input.model(), input.job(), hadoop);
        try (PredictionRows rows = PredictionRows.read(spark, input.job().data(),
            input.path(), input.labels(), m.network().inputSize(), JobSession.partitions(spark, input.job()))) {
          boolean labelled = rows.labelled()   // a vector label (multi-target regression) is not copied
              && rows.frame().schema().apply("label").dataType() instanceof NumericType;
          Columns columns = new Columns(m.task(), m.network().outputSize(), m.classNames(), labelled,
              format == Format.csv);
          Broadcast<float[]> params = spark.sparkContext().broadcast(m.network().parameters(),
              scala.reflect.ClassTag$.MODULE$.apply(float[].class));
          try {
            JavaRDD<Row> predicted = predict(rows.frame().toJavaRDD().zipWithIndex(), m.network().config().toMap(),
                params, m.preprocessor() == null ? null : m.preprocessor().toMap(), columns);
            var writer = spark.createDataFrame(predicted, columns.schema()).write().mode(SaveMode.ErrorIfExists);
            String tmp = out.tmp().toString();
            try {
              if (format == Format.csv) {
                writer.option("header", "true").csv(tmp);
              } else {
                writer.parquet(tmp);
              }
            } catch (Exception | FSError e) { // a disk error in a task arrives inside Spark's job failure
              FSError disk = StagedOutput.diskErrorIn(e);
              if (disk != null) {
                throw out.diskError(disk);
              }
              // Spark's CSV and LibSVM readers fail on a bad value without naming the file or the line
              String problem = input.path() == null ? null
                  : PredictionRows.firstProblem(spark, input.job().data(), input.path(), m.network().inputSize());
              if (problem != null) {
                throw new IllegalArgumentException(problem, e);
              }
              throw e;
            }
          } finally {
            params.destroy();
          }
          out.commit();
          System.out.println("dendrite predict: " + m.path() + " on " + rows.description() + ": predictions ("
              + String.join(", ", columns.schema().fieldNames()) + ") written as " + format + " to "
              + out.target());
        }
      }
    });
    return 0;
  }

  /**
   * Runs the network over each partition in batches: rows of (features[, label]) with their index become
   * output rows. The network is rebuilt once per partition from its config and the broadcast parameters.
   */
  private static JavaRDD<Row> predict(JavaPairRDD<Row, Long> input, Map<String, Object> networkConfig,
                                      Broadcast<float[]> params, Map<String, Object> preprocessing, Columns columns) {
    return input.mapPartitions((Iterator<Tuple2<Row, Long>> it) -> {
      Network net = new Network(NetworkConfig.read(new ConfigMap("network", networkConfig)));
      net.setParameters(params.value());
      Preprocessor pre = preprocessing == null ? null : Preprocessor.fromMap(preprocessing);
      int width = net.inputSize();
      int outWidth = net.outputSize();
      float[] x = new float[BATCH * width];    // [BATCH, width]
      long[] ids = new long[BATCH];
      Object[] labels = new Object[BATCH];
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        int rows = 0;
        while (rows < BATCH && it.hasNext()) {
          Tuple2<Row, Long> t = it.next();
          Object f = t._1().get(0);
          if (!(f instanceof Vector)) {
            throw new IllegalArgumentException("row " + t._2() + ": the features must be a vector, found "
                + (f == null ? "null" : f.getClass().getSimpleName()));
          }
          Vector v = (Vector) f;
          if (v.size() != width) {
            throw new IllegalArgumentException("row " + t._2() + " has " + v.size() + " features, the model "
                + "expects " + width);
          }
          FeatureVectors.copy(v, x, rows * width);
          ids[rows] = t._2();
          labels[rows] = columns.labelled() ? t._1().get(1) : null;
          rows++;
        }
        if (pre != null) {
          pre.transform(x, 0, rows);
        }
        float[] y = net.forward(x, 0, rows, false, null); // [rows, outWidth]
        for (int r = 0; r < rows; r++) {
          out.add(columns.row(ids[r], labels[r], y, r * outWidth));
        }
      }
      return out.iterator();
    });
  }

  /**
   * The output columns and how one network output row fills them: {@code id}, {@code label} (when the
   * data has labels), then by task: the predicted class index {@code prediction}, its {@code class_name}
   * (when class names are configured) and the class probabilities (multi-class, binary probability); the
   * class and the raw {@code score} (binary score); the probabilities and 0/1 predictions per label
   * (multi-label); the predicted value or values (regression). Vectors are array columns, or numbered
   * columns ({@code prob_0, prob_1, ...}) when {@code flat} (CSV).
   */
  record Columns(Task task, int outputs, List<String> classNames, boolean labelled, boolean flat)
      implements Serializable {

    Columns {
      classNames = List.copyOf(classNames);
    }

    StructType schema() {
      StructType s = new StructType().add("id", DataTypes.LongType, false);
      if (labelled) {
        s = s.add("label", DataTypes.DoubleType, true);
      }
      switch (task) {
        case MULTICLASS:
        case BINARY_PROBABILITY:
          s = s.add("prediction", DataTypes.IntegerType, false);
          if (!classNames.isEmpty()) {
            s = s.add("class_name", DataTypes.StringType, false);
          }
          return vector(s, "probability", "prob_", classes(), DataTypes.FloatType);
        case BINARY_SCORE:
          s = s.add("prediction", DataTypes.IntegerType, false);
          if (!classNames.isEmpty()) {
            s = s.add("class_name", DataTypes.StringType, false);
          }
          return s.add("score", DataTypes.FloatType, false);
        case MULTILABEL:
          s = vector(s, "prediction", "prediction_", outputs, DataTypes.IntegerType);
          return vector(s, "probability", "prob_", outputs, DataTypes.FloatType);
        default:
          return outputs == 1 ? s.add("prediction", DataTypes.FloatType, false)
              : vector(s, "prediction", "prediction_", outputs, DataTypes.FloatType);
      }
    }

    private int classes() {
      return task == Task.MULTICLASS ? outputs : 2;
    }

    private StructType vector(StructType s, String name, String prefix, int n, DataType type) {
      if (!flat) {
        return s.add(name, DataTypes.createArrayType(type, false), false);
      }
      for (int j = 0; j < n; j++) {
        s = s.add(prefix + j, type, false);
      }
      return s;
    }

    /** The output row for input row {@code id} from network outputs {@code y[offset, offset + outputs)}. */
    Row row(long id, Object label, float[] y, int offset) {
      List<Object> v = new ArrayList<>();
      v.add(id);
      if (labelled) {
        v.add(label == null ? null : ((Number) label).doubleValue());
      }
      switch (task) {
        case MULTICLASS: {
          float[] p = java.util.Arrays.copyOfRange(y, offset, offset + outputs);
          int best = 0;
          for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
              best = c;
            }
          }
          addClass(v, best);
          addVector(v, p);
          break;
        }
        case BINARY_PROBABILITY: {
          float p1 = y[offset];
          addClass(v, p1 >= 0.5f ? 1 : 0);
          addVector(v, new float[] {1f - p1, p1});
          break;
        }
        case BINARY_SCORE:
          addClass(v, y[offset] > 0f ? 1 : 0); // a step's 0/1 or a score: class 1 above 0, as evaluate reads it
          v.add(y[offset]);
          break;
        case MULTILABEL: {
          int[] predicted = new int[outputs];
          for (int j = 0; j < outputs; j++) {
            predicted[j] = y[offset + j] >= 0.5f ? 1 : 0;
          }
          addVector(v, predicted);
          addVector(v, java.util.Arrays.copyOfRange(y, offset, offset + outputs));
          break;
        }
        default:
          if (outputs == 1) {
            v.add(y[offset]);
          } else {
            addVector(v, java.util.Arrays.copyOfRange(y, offset, offset + outputs));
          }
      }
      return RowFactory.create(v.toArray());
    }

    private void addClass(List<Object> v, int c) {
      v.add(c);
      if (!classNames.isEmpty()) {
        v.add(classNames.get(c));
      }
    }

    /** A vector: one array value (Spark's Row takes a Java array for an array column), or one value per column. */
    private void addVector(List<Object> v, float[] values) {
      if (!flat) {
        v.add(values);
        return;
      }
      for (float x : values) {
        v.add(x);
      }
    }

    private void addVector(List<Object> v, int[] values) {
      if (!flat) {
        v.add(values);
        return;
      }
      for (int x : values) {
        v.add(x);
      }
    }
  }
}
