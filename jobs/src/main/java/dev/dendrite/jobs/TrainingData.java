package dev.dendrite.jobs;

import dev.dendrite.core.data.IdxReader;
import dev.dendrite.core.data.MinMaxScaler;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.Splits;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.Blocks;
import dev.dendrite.spark.DataBlock;
import dev.dendrite.spark.Example;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Loads a job's data into cached blocks: the training blocks, held-out validation blocks (the
 * configured split of the training data), test blocks when a test path is given, and the
 * preprocessing fitted on the training split only.
 */
public final class TrainingData {

  public final JavaRDD<DataBlock> train;
  public final JavaRDD<DataBlock> validation;
  public final JavaRDD<DataBlock> test;
  public final Preprocessor preprocessor;
  public final String description;
  public final long trainExamples;
  private final List<Blocks.DriverBlocks> driverBlocks = new ArrayList<>();

  private TrainingData(JavaRDD<DataBlock> train, JavaRDD<DataBlock> validation, JavaRDD<DataBlock> test,
                       Preprocessor preprocessor, String description, long trainExamples) {
    this.train = train;
    this.validation = validation;
    this.test = test;
    this.preprocessor = preprocessor;
    this.description = description;
    this.trainExamples = trainExamples;
  }

  /** Frees the cached blocks (and the broadcasts driver-side data was shipped in). */
  public void release() {
    for (JavaRDD<DataBlock> b : java.util.Arrays.asList(train, validation, test)) {
      if (b != null) {
        b.unpersist(false);
      }
    }
    driverBlocks.forEach(Blocks.DriverBlocks::close);
  }

  static Preprocessor unfitted(String kind) {
    switch (kind) {
      case "pixel":
        return new PixelScaler();
      case "standard":
        return new StandardScaler();
      case "minmax":
        return new MinMaxScaler();
      default:
        return null;
    }
  }

  public static TrainingData load(SparkSession spark, JobConfig job, Network network, int partitions)
      throws IOException {
    DataConfig data = job.data();
    TrainingConfig training = job.training();
    Loss loss = training.createLoss();
    int targetWidth = loss.targetWidth(network.outputSize());
    boolean oneHot = targetWidth > 1 && (training.loss().equals("categorical_crossentropy")
        || training.loss().equals("kl_divergence"));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (data.format().equals("idx")) {
      return idx(sc, data, training, network, targetWidth, oneHot, partitions);
    }
    return frames(spark, data, training, network, targetWidth, oneHot, partitions);
  }

  private static TrainingData idx(JavaSparkContext sc, DataConfig data, TrainingConfig training, Network network,
                                  int targetWidth, boolean oneHot, int partitions) throws IOException {
    dev.dendrite.core.data.Dataset all = IdxReader.readImagesAndLabels(Paths.get(data.train()),
        Paths.get(data.trainLabels()), "IDX " + data.train());
    checkWidth(network, all.featureWidth(), data.train());
    dev.dendrite.core.data.Dataset train = all;
    dev.dendrite.core.data.Dataset validation = null;
    if (training.validationSplit() > 0) {
      List<dev.dendrite.core.data.Dataset> parts = Splits.tail(all, training.validationSplit());
      train = parts.get(0);
      validation = parts.get(1);
    }
    Preprocessor p = unfitted(data.preprocessing());
    if (p != null) {
      p = p.fit(train);
      p.transform(train);
      if (validation != null) {
        p.transform(validation);
      }
    }
    dev.dendrite.core.data.Dataset test = null;
    if (data.test() != null) {
      test = IdxReader.readImagesAndLabels(Paths.get(data.test()), Paths.get(data.testLabels()),
          "IDX " + data.test());
      checkWidth(network, test.featureWidth(), data.test());
      if (p != null) {
        p.transform(test);
      }
    }
    List<Blocks.DriverBlocks> made = new ArrayList<>();
    JavaRDD<DataBlock> trainBlocks = blocks(sc, train, targetWidth, oneHot, partitions, made);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null
        : blocks(sc, validation, targetWidth, oneHot, partitions, made);
    JavaRDD<DataBlock> testBlocks = test == null ? null : blocks(sc, test, targetWidth, oneHot, partitions, made);
    TrainingData loaded = new TrainingData(trainBlocks, validationBlocks, testBlocks, p,
        all.description() + " (" + all.size() + " examples)", train.size());
    loaded.driverBlocks.addAll(made);
    return loaded;
  }

  private static JavaRDD<DataBlock> blocks(JavaSparkContext sc, dev.dendrite.core.data.Dataset d, int targetWidth,
                                           boolean oneHot, int partitions, List<Blocks.DriverBlocks> made) {
    dev.dendrite.core.data.Dataset t = oneHot ? d.withOneHotTargets(targetWidth) : d;
    if (t.targetWidth() != targetWidth) {
      throw new IllegalArgumentException(d.description() + " has " + t.targetWidth()
          + " target value(s) per example, the loss needs " + targetWidth);
    }
    Blocks.DriverBlocks b = Blocks.fromArrays(sc, t.features(), t.featureWidth(), t.targets(), targetWidth,
        t.weights(), t.size(), partitions);
    made.add(b);
    return b.rdd();
  }

  private static void checkWidth(Network network, int width, String file) {
    if (width != network.inputSize()) {
      throw new IllegalArgumentException("data file " + file + " has " + width + " features per example, the "
          + "network's input shape " + network.inputShape() + " has " + network.inputSize());
    }
  }

  private static TrainingData frames(SparkSession spark, DataConfig data, TrainingConfig training, Network network,
                                     int targetWidth, boolean oneHot, int partitions) {
    Dataset<Row> all = frame(spark, data, data.train(), network);
    Dataset<Row> train = all;
    Dataset<Row> validation = null;
    if (training.validationSplit() > 0) {
      Dataset<Row>[] split = all.randomSplit(new double[] {1 - training.validationSplit(),
          training.validationSplit()}, training.seed());
      train = split[0];
      validation = split[1];
    }
    Preprocessor p = unfitted(data.preprocessing());
    if (p != null) {
      p = fitDistributed(p, train, network.inputSize());
    }
    Blocks.TargetSpec spec = oneHot ? Blocks.TargetSpec.oneHot(targetWidth) : Blocks.TargetSpec.direct(targetWidth);
    Map<String, Object> fitted = p == null ? null : p.toMap();
    JavaRDD<DataBlock> trainBlocks = Blocks.toBlocks(examples(train, network, spec, fitted), partitions,
        network.inputSize(), targetWidth);
    long n = trainBlocks.map(DataBlock::size).fold(0, Integer::sum);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null : Blocks.toBlocks(
        examples(validation, network, spec, fitted), partitions, network.inputSize(), targetWidth);
    JavaRDD<DataBlock> testBlocks = data.test() == null ? null : Blocks.toBlocks(
        examples(frame(spark, data, data.test(), network), network, spec, fitted), partitions,
        network.inputSize(), targetWidth);
    return new TrainingData(trainBlocks, validationBlocks, testBlocks, p, data.format() + " " + data.train(), n);
  }

  /** A DataFrame with a {@code features} vector column and a {@code label} column. */
  static Dataset<Row> frame(SparkSession spark, DataConfig data, String path, Network network) {
    switch (data.format()) {
      case "libsvm": {
        int dimension = data.dimension() > 0 ? data.dimension() : network.inputSize();
        return spark.read().format("libsvm").option("numFeatures", String.valueOf(dimension)).load(path)
            .select(functions.col("features"), functions.col("label"));
      }
      case "csv": {
        Dataset<Row> raw = spark.read().option("header", String.valueOf(data.header()))
            .option("sep", data.delimiter()).option("mode", "FAILFAST").csv(path);
        List<String> inputs = new ArrayList<>();
        boolean found = false;
        for (StructField f : raw.schema().fields()) {
          if (f.name().equals(data.label())) {
            found = true;
          } else {
            inputs.add(f.name());
          }
        }
        if (!found) {
          throw new IllegalArgumentException("CSV file " + path + " has no column '" + data.label()
              + "'; its columns are " + String.join(", ", raw.columns()));
        }
        Dataset<Row> typed = raw;
        for (String c : raw.columns()) {
          typed = typed.withColumn(c, functions.col(c).cast(DataTypes.DoubleType));
        }
        // a cell that is empty or not a number became null: name the first one
        for (String c : raw.columns()) {
          Row bad = typed.where(functions.col(c).isNull()).select(raw.col(c).as("cell")).limit(1)
              .collectAsList().stream().findFirst().orElse(null);
          if (bad != null) {
            throw new IllegalArgumentException("CSV file " + path + ", column '" + c + "': the cell '"
                + (bad.isNullAt(0) ? "" : bad.getString(0)) + "' is missing or not a number");
          }
        }
        return new VectorAssembler().setInputCols(inputs.toArray(new String[0])).setOutputCol("features")
            .transform(typed).select(functions.col("features"), functions.col(data.label()).as("label"));
      }
      case "parquet":
        return spark.read().parquet(path).select(functions.col(data.features()).as("features"),
            functions.col(data.label()).as("label"));
      default:
        throw new IllegalArgumentException("data.format " + data.format() + " is not read through Spark");
    }
  }

  /** Fits min-max or standard scaling with one distributed pass (Spark's Summarizer). */
  private static Preprocessor fitDistributed(Preprocessor p, Dataset<Row> train, int width) {
    if (p instanceof PixelScaler) {
      return new PixelScaler(255.0, width);
    }
    Row stats = train.select(Summarizer.metrics("mean", "std", "min", "max").summary(functions.col("features"))
        .as("s")).select("s.mean", "s.std", "s.min", "s.max").head();
    double[] mean = ((Vector) stats.get(0)).toArray();
    double[] std = ((Vector) stats.get(1)).toArray();
    double[] min = ((Vector) stats.get(2)).toArray();
    double[] max = ((Vector) stats.get(3)).toArray();
    return p instanceof StandardScaler ? new StandardScaler(mean, std) : new MinMaxScaler(min, max);
  }

  private static JavaRDD<Example> examples(Dataset<Row> df, Network network, Blocks.TargetSpec spec,
                                           Map<String, Object> preprocessing) {
    JavaRDD<Example> examples = Blocks.examples(df, "features", "label", null, network.inputSize(), spec);
    if (preprocessing == null) {
      return examples;
    }
    return examples.mapPartitions((Iterator<Example> it) -> {
      Preprocessor p = Preprocessor.fromMap(preprocessing);
      List<Example> out = new ArrayList<>();
      while (it.hasNext()) {
        Example e = it.next();
        float[] f = e.features().clone();
        p.transform(f, 0, 1);
        out.add(new Example(f, e.target(), e.weight()));
      }
      return out.iterator();
    });
  }
}
