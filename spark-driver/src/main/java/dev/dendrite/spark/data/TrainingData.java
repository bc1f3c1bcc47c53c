package dev.dendrite.spark.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.loss.LossKind;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data boundary: a job's data as cached blocks, ready to train on. Formats are read once (IDX on the
 * driver, see {@link IdxFiles}; LibSVM, CSV and Parquet through Spark, see {@link DataRows}), every row is
 * checked as its block is built, the preprocessing is fitted once on the training split and applied to
 * every split, and the blocks are cached. All splits are built before training starts: a bad row fails
 * the job at once, naming its file, line or record, column and value.
 *
 * <ul>
 *   <li>{@link #load}: "read and prepare the data of this config" — the training blocks, held-out
 *       validation blocks (the configured split), test blocks when a test path is given, the fitted
 *       preprocessing;</li>
 *   <li>{@link #evaluation}: labelled data for a saved model (its preprocessing applied, not refitted);</li>
 *   <li>{@link #fromFrames}: DataFrames handed to the Spark ML estimators;</li>
 *   <li>{@link PredictionRows#read}: the rows to predict.</li>
 * </ul>
 * Call {@link #release} when done with the blocks.
 */
public final class TrainingData {

  public final JavaRDD<DataBlock> train;
  public final JavaRDD<DataBlock> validation;
  public final JavaRDD<DataBlock> test;
  public final Preprocessor preprocessor;
  public final String description;
  public final long trainExamples;
  private final List<Blocks.DriverBlocks> driverBlocks;

  TrainingData(JavaRDD<DataBlock> train, JavaRDD<DataBlock> validation, JavaRDD<DataBlock> test,
               Preprocessor preprocessor, String description, long trainExamples,
               List<Blocks.DriverBlocks> driverBlocks) {
    this.train = train;
    this.validation = validation;
    this.test = test;
    this.preprocessor = preprocessor;
    this.description = description;
    this.trainExamples = trainExamples;
    this.driverBlocks = List.copyOf(driverBlocks);
  }

  /** Frees the cached blocks (and the broadcasts driver-side data was shipped in). */
  public void release() {
    for (JavaRDD<DataBlock> b : Arrays.asList(train, validation, test)) {
      if (b != null) {
        b.unpersist(false);
      }
    }
    driverBlocks.forEach(Blocks.DriverBlocks::close);
  }

  /**
   * Reads and prepares the data {@code data} describes for training {@code network} with {@code training}
   * (its loss, validation split and seed) into {@code partitions} cached blocks per split.
   */
  public static TrainingData load(SparkSession spark, DataConfig data, TrainingConfig training, Network network,
                                  int partitions) throws IOException {
    checkTargets(data, training, network);
    TargetSpec layout = layout(data, training.loss(), network);
    if (data.format().equals("idx")) {
      return IdxFiles.load(JavaSparkContext.fromSparkContext(spark.sparkContext()), data, training, network,
          layout, partitions);
    }
    if (data.format().equals("generated")) {
      return GeneratedData.load(JavaSparkContext.fromSparkContext(spark.sparkContext()), data, training, network,
          partitions);
    }
    return files(spark, data, training, network, layout, partitions);
  }

  /**
   * The number of target values per example the loss needs on the network's outputs; with
   * {@code data.targets: inputs}, that must be the input width (checked before Spark starts).
   */
  public static int checkTargets(DataConfig data, TrainingConfig training, Network network) {
    int targetWidth = network.targetWidth(training.createLoss());
    if (data.reconstructsInputs() && targetWidth != network.inputSize()) {
      throw new ConfigException("data.targets", "'inputs' needs as many targets as "
          + "inputs: the network takes " + network.inputSize() + " features but loss " + training.loss() + " on its "
          + network.outputSize() + " outputs needs " + targetWidth + " targets");
    }
    return targetWidth;
  }

  /** How labels become the loss's targets (see {@link TargetSpec#of}); an autoencoder's are its inputs. */
  private static TargetSpec layout(DataConfig data, LossKind loss, Network network) {
    TargetSpec spec = TargetSpec.of(loss.create(), network.outputSize());
    return data.reconstructsInputs() ? TargetSpec.direct(spec.width()) : spec;
  }

  /**
   * Labelled data for evaluating a saved model: the examples at {@code path} (for IDX with the label
   * file {@code labels}) in {@code data}'s format, transformed by the model's fitted {@code preprocessor}
   * (null for none; never refitted), with targets laid out for {@code loss}, as cached blocks in
   * {@link #test} (the other splits are null). Fails naming the file when its width differs from the
   * model's input.
   */
  public static TrainingData evaluation(SparkSession spark, DataConfig data, String path, String labels,
                                        Network network, LossKind loss, Preprocessor preprocessor, int partitions)
      throws IOException {
    boolean inputs = data.reconstructsInputs();
    TargetSpec layout = layout(data, loss, network);
    if (data.format().equals("idx")) {
      return IdxFiles.evaluation(JavaSparkContext.fromSparkContext(spark.sparkContext()), data, path, labels,
          network, loss, layout, preprocessor, partitions);
    }
    if (data.format().equals("generated")) {
      return GeneratedData.evaluation(JavaSparkContext.fromSparkContext(spark.sparkContext()), path, network, loss,
          partitions);
    }
    Targets targets = Targets.of(loss, network.outputSize(), layout, inputs);
    JavaRDD<DataBlock> raw = Blocks.toCheckedBlocks(DataRows.read(spark, data, path, network.inputSize(),
        "the model", targets), partitions, network.inputSize(), targets.width());
    long n = check(spark, data, path, raw, null);
    JavaRDD<DataBlock> blocks = Preprocessing.applied(raw, preprocessor, inputs);
    return new TrainingData(null, null, blocks, preprocessor, data.format() + " " + path + " (" + n + " examples)",
        0, List.of());
  }

  /**
   * The blocks of DataFrames given to the Spark ML estimators (or {@code DistributedTrainer.fit}):
   * {@code featuresCol} holds vectors of the network's input width, {@code labelCol} a number or a vector,
   * {@code weightCol} (nullable) a number; {@code validation} may be null. No preprocessing: a Spark ML
   * pipeline does its own.
   */
  public static TrainingData fromFrames(Dataset<Row> train, Dataset<Row> validation, String featuresCol,
                                        String labelCol, String weightCol, Network network, TrainingConfig training,
                                        int partitions) {
    TargetSpec layout = TargetSpec.of(training.createLoss(), network.outputSize());
    int targetWidth = layout.width();
    int width = network.inputSize();
    JavaRDD<DataBlock> trainBlocks = Blocks.toBlocks(
        Blocks.examples(train, featuresCol, labelCol, weightCol, width, layout), partitions, width, targetWidth);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null : Blocks.toBlocks(
        Blocks.examples(validation, featuresCol, labelCol, weightCol, width, layout), partitions, width,
        targetWidth);
    return new TrainingData(trainBlocks, validationBlocks, null, null, "DataFrame", -1, List.of());
  }

  /** Fails with a message naming the file when a local path (no scheme, or file:) does not exist. */
  public static void requireLocalFile(String path, String what) {
    boolean local = !path.contains("://") || path.startsWith("file:");
    if (local && !Files.exists(Paths.get(path.replaceFirst("^file:", "")))) {
      throw new IllegalArgumentException(what + " " + path + " does not exist"
          + (path.contains("fashion-mnist") ? " (run bin/fetch-data to download Fashion-MNIST)" : ""));
    }
  }

  /**
   * Reads CSV, LibSVM or Parquet files through Spark, checking every row as it becomes a block: the
   * training split, the validation split and the test set are all read and checked before training
   * starts. The preprocessing is then fitted on the training blocks (one pass over the cache) and applied.
   */
  private static TrainingData files(SparkSession spark, DataConfig data, TrainingConfig training, Network network,
                                    TargetSpec layout, int partitions) {
    boolean inputs = data.reconstructsInputs();
    Targets targets = Targets.of(training.loss(), network.outputSize(), layout, inputs);
    String who = "the network (input shape " + network.inputShape() + ")";
    int width = network.inputSize();
    JavaRDD<CheckedExample> all = DataRows.read(spark, data, data.train(), width, who, targets);
    JavaRDD<CheckedExample> train = all;
    JavaRDD<CheckedExample> validation = null;
    if (training.validationSplit() > 0) {
      JavaRDD<CheckedExample>[] split = all.randomSplit(new double[] {
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
        check(spark, data, data.test(), testRaw, null);
      }
    } catch (RuntimeException e) {
      trainRaw.unpersist(false);
      if (validationRaw != null) {
        validationRaw.unpersist(false);
      }
      throw e;
    }
    Preprocessor p = Preprocessing.fitted(data.preprocessing(), trainRaw, width);
    return new TrainingData(Preprocessing.applied(trainRaw, p, inputs), Preprocessing.applied(validationRaw, p, inputs),
        Preprocessing.applied(testRaw, p, inputs), p, data.format() + " " + data.train(), n, List.of());
  }

  /**
   * Builds (and caches) blocks of rows read from files and fails, naming the file, the line or record,
   * the column and the value, when a row was bad (the earliest bad row of {@code blocks} and
   * {@code more}, nullable, the validation split of the same file), or when there are no rows at all.
   */
  private static long check(SparkSession spark, DataConfig data, String path, JavaRDD<DataBlock> blocks,
                            JavaRDD<DataBlock> more) {
    Blocks.Tally tally = Blocks.tally(blocks);
    DataProblem problem = tally.problem();
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
}
