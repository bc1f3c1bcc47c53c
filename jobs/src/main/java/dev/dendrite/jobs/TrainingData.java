package dev.dendrite.jobs;

import dev.dendrite.core.data.DigitSequences;
import dev.dendrite.core.data.IdxReader;
import dev.dendrite.core.data.LabelRule;
import dev.dendrite.core.data.MinMaxScaler;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.Splits;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.loss.Losses;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.Blocks;
import dev.dendrite.spark.DataBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Loads a job's data into cached blocks: the training blocks, held-out validation blocks (the
 * configured split of the training data), test blocks when a test path is given, and the
 * preprocessing fitted on the training split only. {@link #evaluation} loads labelled data for a saved
 * model (its preprocessing applied, not refitted) and {@link #predictionRows} the rows to predict. Every
 * row of every split is checked as its block is built (see {@link DataRows}), and all splits are built
 * before training starts: a bad row fails the job at once, naming its file, line or record, column and
 * value.
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
    int targetWidth = checkTargets(data, training, network);
    boolean oneHot = !data.reconstructsInputs() && oneHot(training.loss(), targetWidth);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (data.format().equals("idx")) {
      return idx(sc, data, training, network, targetWidth, oneHot, partitions);
    }
    if (data.format().equals("generated")) {
      return generated(sc, data, training, network, targetWidth, partitions);
    }
    return frames(spark, data, training, network, targetWidth, oneHot, partitions);
  }

  /**
   * The number of target values per example the loss needs on the network's outputs; with
   * {@code data.targets: inputs}, that must be the input width (checked before Spark starts).
   */
  static int checkTargets(DataConfig data, TrainingConfig training, Network network) {
    int targetWidth = network.targetWidth(training.createLoss());
    if (data.reconstructsInputs() && targetWidth != network.inputSize()) {
      throw new dev.dendrite.core.config.ConfigException("data.targets", "'inputs' needs as many targets as "
          + "inputs: the network takes " + network.inputSize() + " features but loss " + training.loss() + " on its "
          + network.outputSize() + " outputs needs " + targetWidth + " targets");
    }
    return targetWidth;
  }

  /** Whether labels (class indices) become one-hot rows for this loss. */
  private static boolean oneHot(String loss, int targetWidth) {
    return targetWidth > 1 && (loss.equals("categorical_crossentropy") || loss.equals("kl_divergence"));
  }

  /**
   * Labelled data for evaluating a saved model: the examples at {@code path} (for IDX with the label
   * file {@code labels}) in {@code data}'s format, transformed by the model's fitted {@code preprocessor}
   * (null for none; never refitted), with targets laid out for {@code loss}, as cached blocks in
   * {@link #test} (the other splits are null). Fails naming the file when its width differs from the
   * model's input.
   */
  public static TrainingData evaluation(SparkSession spark, DataConfig data, String path, String labels,
                                        Network network, String loss, Preprocessor preprocessor, int partitions)
      throws IOException {
    int targetWidth = network.targetWidth(Losses.parse(loss));
    boolean inputs = data.reconstructsInputs();
    boolean oneHot = !inputs && oneHot(loss, targetWidth);
    if (data.format().equals("idx")) {
      if (labels == null && !inputs) {
        throw new IllegalArgumentException("IDX data " + path + " needs its label file for evaluation "
            + "(data.test_labels, or --labels PATH)");
      }
      dev.dendrite.core.data.Dataset d = readIdx(path, inputs ? null : labels);
      if (d.featureWidth() != network.inputSize()) {
        throw new IllegalArgumentException(widthMismatch("the model", network.inputSize(), path,
            d.featureWidth(), ""));
      }
      if (!inputs) {
        checkLabels(d, labels, LabelRule.of(loss, network.outputSize()));
      }
      if (preprocessor != null) {
        preprocessor.transform(d);
      }
      if (inputs) {
        d = inputsAsTargets(d);
      }
      List<Blocks.DriverBlocks> made = new ArrayList<>();
      JavaRDD<DataBlock> blocks = blocks(JavaSparkContext.fromSparkContext(spark.sparkContext()), d, targetWidth,
          oneHot, partitions, made);
      TrainingData loaded = new TrainingData(null, null, blocks, preprocessor,
          d.description() + " (" + d.size() + " examples)", 0);
      loaded.driverBlocks.addAll(made);
      return loaded;
    }
    if (data.format().equals("generated")) {
      dev.dendrite.core.data.Dataset d = generatedSet(network, path);
      List<Blocks.DriverBlocks> made = new ArrayList<>();
      JavaRDD<DataBlock> blocks = blocks(JavaSparkContext.fromSparkContext(spark.sparkContext()), d, targetWidth,
          false, partitions, made);
      TrainingData loaded = new TrainingData(null, null, blocks, null, d.description(), 0);
      loaded.driverBlocks.addAll(made);
      return loaded;
    }
    Targets targets = Targets.of(loss, network.outputSize(), targetWidth, oneHot, inputs);
    JavaRDD<DataBlock> raw = Blocks.toCheckedBlocks(DataRows.read(spark, data, path, network.inputSize(),
        "the model", targets), partitions, network.inputSize(), targets.width());
    long n = check(spark, data, path, raw);
    JavaRDD<DataBlock> blocks = prepared(raw, preprocessor, inputs);
    return new TrainingData(null, null, blocks, preprocessor, data.format() + " " + path + " (" + n + " examples)", 0);
  }

  /**
   * Builds (and caches) blocks of rows read from files and fails, naming the file, the line or record,
   * the column and the value, when a row was bad, or when there are no rows at all.
   */
  private static long check(SparkSession spark, DataConfig data, String path, JavaRDD<DataBlock> blocks) {
    return check(spark, data, path, blocks, null);
  }

  /** {@link #check} of the training and validation blocks of one file: the earliest bad row of both is named. */
  private static long check(SparkSession spark, DataConfig data, String path, JavaRDD<DataBlock> blocks,
                            JavaRDD<DataBlock> more) {
    Blocks.Tally tally = Blocks.tally(blocks);
    dev.dendrite.spark.DataProblem problem = tally.problem();
    if (more != null) {
      Blocks.Tally other = Blocks.tally(more);
      problem = problem == null ? other.problem()
          : other.problem() == null || problem.compareTo(other.problem()) <= 0 ? problem : other.problem();
      tally = new Blocks.Tally(tally.examples() + other.examples(), problem);
    }
    if (problem != null) {
      blocks.unpersist(false);
      if (more != null) {
        more.unpersist(false);
      }
      throw new IllegalArgumentException(DataRows.describe(problem, data.format(),
          spark.sparkContext().hadoopConfiguration()));
    }
    if (tally.examples() == 0) {
      throw new IllegalArgumentException(DataRows.kind(data.format()) + path + " holds no examples (no data lines"
          + (data.format().equals("csv") && data.header() ? " after the header" : "") + ")");
    }
    return tally.examples();
  }

  /**
   * The blocks with {@code preprocessor} (fitted; null for none) applied and, for an autoencoder, the
   * inputs as targets: new cached blocks, built now, with {@code raw} unpersisted; or {@code raw} itself
   * when there is nothing to do.
   */
  private static JavaRDD<DataBlock> prepared(JavaRDD<DataBlock> raw, Preprocessor preprocessor, boolean inputs) {
    if (raw == null || (preprocessor == null && !inputs)) {
      return raw;
    }
    JavaRDD<DataBlock> done = Blocks.prepare(raw, preprocessor == null ? null : preprocessor.toMap(), inputs);
    Blocks.tally(done);
    raw.unpersist(false);
    return done;
  }

  /**
   * Rows to predict, in read order (for one file, its line order): {@code frame} holds a {@code features}
   * vector column (as read, not yet preprocessed) and, when the data has labels, a {@code label} column.
   * Close it to free data read on the driver (IDX).
   */
  public record PredictionRows(Dataset<Row> frame, boolean labelled, String description,
                               Blocks.DriverBlocks driverData) implements AutoCloseable {
    @Override
    public void close() {
      if (driverData != null) {
        driverData.close();
      }
    }
  }

  /**
   * The rows at {@code path} in {@code data}'s format for a model of input width {@code width}. Labels
   * are optional: a CSV or Parquet file without the label column, or IDX images without a label file
   * ({@code labels} null), give unlabelled rows; LibSVM lines always carry a label.
   */
  public static PredictionRows predictionRows(SparkSession spark, DataConfig data, String path, String labels,
                                              int width, int partitions) throws IOException {
    if (data.format().equals("generated")) {
      throw new IllegalArgumentException("predict reads examples from files; data.format generated has none (train "
          + "and evaluate generate their sequences from data.train / data.test)");
    }
    if (!data.format().equals("idx")) {
      Dataset<Row> frame = frame(spark, data, path, width, "the model", false);
      return new PredictionRows(frame, java.util.Arrays.asList(frame.columns()).contains("label"),
          data.format() + " " + path, null);
    }
    IdxReader.IdxData images = IdxReader.readImages(Paths.get(path), "IDX");
    int n = images.count();
    int imageWidth = n == 0 ? 0 : images.values().length / n;
    if (imageWidth != width) {
      throw new IllegalArgumentException(widthMismatch("the model", width, path, imageWidth, ""));
    }
    float[] targets = new float[0];
    if (labels != null) {
      IdxReader.IdxData lab = IdxReader.readLabels(Paths.get(labels), "IDX");
      if (lab.count() != n) {
        throw new IllegalArgumentException("IDX image file " + path + " holds " + n + " images but label file "
            + labels + " holds " + lab.count() + " labels; are they from the same set?");
      }
      targets = lab.values();
    }
    int targetWidth = labels == null ? 0 : 1;
    Blocks.DriverBlocks driver = Blocks.fromArrays(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        images.values(), width, targets, targetWidth, null, n, partitions);
    JavaRDD<Row> rows = driver.rdd().flatMap(b -> {
      List<Row> out = new ArrayList<>(b.size());
      for (int r = 0; r < b.size(); r++) {
        double[] f = new double[width];
        for (int j = 0; j < width; j++) {
          f[j] = b.features()[r * width + j];
        }
        out.add(targetWidth == 0 ? RowFactory.create(Vectors.dense(f))
            : RowFactory.create(Vectors.dense(f), (double) b.targets()[r]));
      }
      return out.iterator();
    });
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    if (labels != null) {
      schema = schema.add("label", DataTypes.DoubleType, false);
    }
    return new PredictionRows(spark.createDataFrame(rows, schema), labels != null,
        "IDX " + path + (labels == null ? "" : " + " + labels) + " (" + n + " images)", driver);
  }

  /** Fails with a message naming the file when a local path (no scheme, or file:) does not exist. */
  static void requireLocalFile(String path, String what) {
    boolean local = !path.contains("://") || path.startsWith("file:");
    if (local && !Files.exists(Paths.get(path.replaceFirst("^file:", "")))) {
      throw new IllegalArgumentException(what + " " + path + " does not exist"
          + (path.contains("fashion-mnist") ? " (run bin/fetch-data to download Fashion-MNIST)" : ""));
    }
  }

  private static String widthMismatch(String who, int expected, String path, int found, String note) {
    return who + " expects " + expected + " features, " + path + " has " + found + note;
  }

  private static TrainingData idx(JavaSparkContext sc, DataConfig data, TrainingConfig training, Network network,
                                  int targetWidth, boolean oneHot, int partitions) throws IOException {
    dev.dendrite.core.data.Dataset all = readIdx(data.train(), data.trainLabels());
    checkWidth(network, all.featureWidth(), data.train());
    LabelRule rule = LabelRule.of(training.loss(), network.outputSize());
    if (!data.reconstructsInputs()) {
      checkLabels(all, data.trainLabels(), rule);
    }
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
      test = readIdx(data.test(), data.testLabels());
      checkWidth(network, test.featureWidth(), data.test());
      if (!data.reconstructsInputs()) {
        checkLabels(test, data.testLabels(), rule);
      }
      if (p != null) {
        p.transform(test);
      }
    }
    if (data.reconstructsInputs()) {
      train = inputsAsTargets(train);
      validation = validation == null ? null : inputsAsTargets(validation);
      test = test == null ? null : inputsAsTargets(test);
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

  /**
   * A digit-sequence task made on the driver from its spec ({@code data.train}, {@code data.test}) and
   * parallelized once, as IDX data is; the validation split is the tail of the training set.
   */
  private static TrainingData generated(JavaSparkContext sc, DataConfig data, TrainingConfig training,
                                        Network network, int targetWidth, int partitions) {
    dev.dendrite.core.data.Dataset all = generatedSet(network, data.train());
    dev.dendrite.core.data.Dataset train = all;
    dev.dendrite.core.data.Dataset validation = null;
    if (training.validationSplit() > 0) {
      List<dev.dendrite.core.data.Dataset> parts = Splits.tail(all, training.validationSplit());
      train = parts.get(0);
      validation = parts.get(1);
    }
    dev.dendrite.core.data.Dataset test = data.test() == null ? null : generatedSet(network, data.test());
    List<Blocks.DriverBlocks> made = new ArrayList<>();
    JavaRDD<DataBlock> trainBlocks = blocks(sc, train, targetWidth, false, partitions, made);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null
        : blocks(sc, validation, targetWidth, false, partitions, made);
    JavaRDD<DataBlock> testBlocks = test == null ? null : blocks(sc, test, targetWidth, false, partitions, made);
    TrainingData loaded = new TrainingData(trainBlocks, validationBlocks, testBlocks, null, all.description(),
        train.size());
    loaded.driverBlocks.addAll(made);
    return loaded;
  }

  private static dev.dendrite.core.data.Dataset generatedSet(Network network, String spec) {
    dev.dendrite.core.data.Dataset d = DigitSequences.parse(spec);
    if (d.featureWidth() != network.inputSize()) {
      throw new IllegalArgumentException("generated data " + spec + " has sequences of " + d.featureWidth()
          + " digits, the network's input shape " + network.inputShape() + " has " + network.inputSize());
    }
    return d;
  }

  /** Fails naming the label file, the record and the label when a label of {@code d} breaks {@code rule}. */
  private static void checkLabels(dev.dendrite.core.data.Dataset d, String labelFile, LabelRule rule) {
    float[] t = d.targets();
    int width = d.targetWidth();
    for (int i = 0; i < d.size(); i++) {
      float label = t[i * width];
      String why = rule.problem(label);
      if (why != null) {
        throw new IllegalArgumentException("IDX label file " + labelFile + ", record " + (i + 1) + " of " + d.size()
            + ", the label: '" + (int) label + "' " + why);
      }
    }
  }

  /** IDX images with their labels, or (labels null) images alone. */
  private static dev.dendrite.core.data.Dataset readIdx(String images, String labels) throws IOException {
    if (labels != null) {
      return IdxReader.readImagesAndLabels(Paths.get(images), Paths.get(labels), "IDX " + images);
    }
    IdxReader.IdxData img = IdxReader.readImages(Paths.get(images), "IDX");
    int[] dims = img.dims();
    return new dev.dendrite.core.data.Dataset(img.values(), dev.dendrite.core.tensor.Shape.of(1, dims[1], dims[2]),
        new float[0], 0, dev.dendrite.core.data.Dataset.TargetKind.NONE, 0, null, "IDX " + images);
  }

  /** The same rows with their features (already preprocessed) as regression targets: an autoencoder's data. */
  private static dev.dendrite.core.data.Dataset inputsAsTargets(dev.dendrite.core.data.Dataset d) {
    return dev.dendrite.core.data.Dataset.ofRegression(d.features(), d.featureShape(), d.features(),
        d.featureWidth(), d.description() + ", inputs as targets");
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

  /**
   * Reads CSV, LibSVM or Parquet files through Spark, checking every row as it becomes a block: the
   * training split, the validation split and the test set are all read and checked before training
   * starts. The preprocessing is then fitted on the training blocks (one pass over the cache) and applied.
   */
  private static TrainingData frames(SparkSession spark, DataConfig data, TrainingConfig training, Network network,
                                     int targetWidth, boolean oneHot, int partitions) {
    boolean inputs = data.reconstructsInputs();
    Targets targets = Targets.of(training.loss(), network.outputSize(), targetWidth, oneHot, inputs);
    String who = "the network (input shape " + network.inputShape() + ")";
    int width = network.inputSize();
    JavaRDD<dev.dendrite.spark.CheckedExample> all = DataRows.read(spark, data, data.train(), width, who, targets);
    JavaRDD<dev.dendrite.spark.CheckedExample> train = all;
    JavaRDD<dev.dendrite.spark.CheckedExample> validation = null;
    if (training.validationSplit() > 0) {
      JavaRDD<dev.dendrite.spark.CheckedExample>[] split = all.randomSplit(new double[] {
          1 - training.validationSplit(), training.validationSplit()}, training.seed());
      train = split[0];
      validation = split[1];
    }
    JavaRDD<DataBlock> trainRaw = Blocks.toCheckedBlocks(train, partitions, width, targets.width());
    JavaRDD<DataBlock> validationRaw = validation == null ? null
        : Blocks.toCheckedBlocks(validation, partitions, width, targets.width());
    check(spark, data, data.train(), trainRaw, validationRaw);
    long n = Blocks.tally(trainRaw).examples();   // from the cache
    JavaRDD<DataBlock> testRaw = null;
    try {
      if (data.test() != null) {
        testRaw = Blocks.toCheckedBlocks(DataRows.read(spark, data, data.test(), width, who, targets), partitions,
            width, targets.width());
        check(spark, data, data.test(), testRaw);
      }
    } catch (RuntimeException e) {
      trainRaw.unpersist(false);
      if (validationRaw != null) {
        validationRaw.unpersist(false);
      }
      throw e;
    }
    Preprocessor p = unfitted(data.preprocessing());
    if (p instanceof PixelScaler) {
      p = new PixelScaler(255.0, width);
    } else if (p != null) {
      p = Blocks.statistics(trainRaw, width).fit(p);
    }
    return new TrainingData(prepared(trainRaw, p, inputs), prepared(validationRaw, p, inputs),
        prepared(testRaw, p, inputs), p, data.format() + " " + data.train(), n);
  }

  /**
   * A DataFrame with a {@code features} vector column of {@code width} values and a {@code label} column;
   * without {@code labelRequired}, a CSV or Parquet file that lacks the label column gives only
   * {@code features} (for CSV every column is then a feature). A file of another width fails, naming
   * {@code who} expects what.
   */
  static Dataset<Row> frame(SparkSession spark, DataConfig data, String path, int width, String who,
                            boolean labelRequired) {
    switch (data.format()) {
      case "libsvm": {
        if (data.dimension() > 0 && data.dimension() != width) {
          throw new IllegalArgumentException(widthMismatch(who, width, path, data.dimension(),
              " (data.dimension)"));
        }
        return spark.read().format("libsvm").option("numFeatures", String.valueOf(width)).load(path)
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
        if (!found && labelRequired) {
          throw new IllegalArgumentException("CSV file " + path + " has no column '" + data.label()
              + "'; its columns are " + String.join(", ", raw.columns()));
        }
        if (inputs.size() != width) {
          throw new IllegalArgumentException(widthMismatch(who, width, path, inputs.size(), found
              ? " (besides the label column '" + data.label() + "')"
              : " (it has no label column '" + data.label() + "', so every column was read as a feature)"));
        }
        String[] names = raw.columns();
        org.apache.spark.sql.Column[] casts = new org.apache.spark.sql.Column[names.length];
        org.apache.spark.sql.Column anyMissing = functions.lit(false);
        for (int j = 0; j < names.length; j++) {
          casts[j] = raw.col(names[j]).cast(DataTypes.DoubleType);
          anyMissing = anyMissing.or(casts[j].isNull());
        }
        // a cell that is empty or not a number becomes null: name the first one (one pass over the data)
        Row bad = raw.where(anyMissing).limit(1).collectAsList().stream().findFirst().orElse(null);
        if (bad != null) {
          for (int j = 0; j < names.length; j++) {
            String cell = bad.isNullAt(j) ? "" : bad.getString(j).trim();
            if (!isNumber(cell)) {
              throw new IllegalArgumentException("CSV file " + path + ", column '" + names[j] + "': the cell '"
                  + cell + "' is missing or not a number");
            }
          }
          throw new IllegalArgumentException("CSV file " + path + ": a cell is missing or not a number in the row "
              + bad);
        }
        org.apache.spark.sql.Column[] typedColumns = new org.apache.spark.sql.Column[names.length];
        for (int j = 0; j < names.length; j++) {
          typedColumns[j] = casts[j].as(names[j]);
        }
        Dataset<Row> typed = raw.select(typedColumns);
        Dataset<Row> assembled = new VectorAssembler().setInputCols(inputs.toArray(new String[0]))
            .setOutputCol("features").transform(typed);
        return found ? assembled.select(functions.col("features"), functions.col(data.label()).as("label"))
            : assembled.select(functions.col("features"));
      }
      case "parquet": {
        Dataset<Row> raw = spark.read().parquet(path);
        List<String> columns = java.util.Arrays.asList(raw.columns());
        if (!columns.contains(data.features())) {
          throw new IllegalArgumentException("Parquet data " + path + " has no column '" + data.features()
              + "' (data.features); its columns are " + String.join(", ", columns));
        }
        boolean labelled = columns.contains(data.label());
        if (!labelled && labelRequired) {
          throw new IllegalArgumentException("Parquet data " + path + " has no column '" + data.label()
              + "' (data.label); its columns are " + String.join(", ", columns));
        }
        Dataset<Row> frame = labelled ? raw.select(functions.col(data.features()).as("features"),
            functions.col(data.label()).as("label")) : raw.select(functions.col(data.features()).as("features"));
        Object first = frame.select("features").limit(1).collectAsList().stream().findFirst()
            .map(r -> r.get(0)).orElse(null);
        if (first instanceof Vector && ((Vector) first).size() != width) {
          throw new IllegalArgumentException(widthMismatch(who, width, path, ((Vector) first).size(),
              " (size of the first vector in column '" + data.features() + "')"));
        }
        return frame;
      }
      default:
        throw new IllegalArgumentException("data.format " + data.format() + " is not read through Spark");
    }
  }

  private static boolean isNumber(String cell) {
    try {
      Double.parseDouble(cell);
      return !cell.isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
