package dev.dendrite.spark.data;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.IdxReader;
import dev.dendrite.core.data.LabelRule;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.Splits;
import dev.dendrite.core.loss.LossKind;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * IDX files (MNIST's format) are read on the driver with the core reader, checked there, and shipped
 * once as broadcast slices that the executors cache (see {@link Blocks#fromArrays}). This class holds the
 * driver-side half: reading, the label and width checks, and the conversion to blocks.
 */
final class IdxFiles {

  private IdxFiles() {
  }

  /** IDX images with their labels, or (labels null) images alone. */
  static Dataset read(String images, String labels) throws IOException {
    if (labels != null) {
      return IdxReader.readImagesAndLabels(Paths.get(images), Paths.get(labels), "IDX " + images);
    }
    IdxReader.IdxData img = IdxReader.readImages(Paths.get(images), "IDX");
    int[] dims = img.dims();
    return new Dataset(img.values(), Shape.of(1, dims[1], dims[2]), new float[0], 0, Dataset.TargetKind.NONE, 0,
        null, "IDX " + images);
  }

  /** Fails naming the label file, the record and the label when a label of {@code d} breaks {@code rule}. */
  static void checkLabels(Dataset d, String labelFile, LabelRule rule) {
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

  /** Fails naming the file when its examples are not as wide as the network's input. */
  static void checkWidth(Network network, int width, String file) {
    if (width != network.inputSize()) {
      throw new IllegalArgumentException("data file " + file + " has " + width + " features per example, the "
          + "network's input shape " + network.inputShape() + " has " + network.inputSize());
    }
  }

  /** The same rows with their features (already preprocessed) as regression targets: an autoencoder's data. */
  static Dataset inputsAsTargets(Dataset d) {
    return Dataset.ofRegression(d.features(), d.featureShape(), d.features(), d.featureWidth(),
        d.description() + ", inputs as targets");
  }


  /**
   * The training, validation (the configured tail of the training file) and test splits of IDX files,
   * the preprocessing fitted on the training split only.
   */
  static TrainingData load(JavaSparkContext sc, DataConfig data, TrainingConfig training, Network network,
                           TargetSpec layout, int partitions) throws IOException {
    Dataset all = read(data.train(), data.trainLabels());
    checkWidth(network, all.featureWidth(), data.train());
    LabelRule rule = LabelRule.of(training.loss(), network.outputSize());
    if (!data.reconstructsInputs()) {
      checkLabels(all, data.trainLabels(), rule);
    }
    Dataset train = all;
    Dataset validation = null;
    if (training.validationSplit() > 0) {
      List<Dataset> parts = Splits.tail(all, training.validationSplit());
      train = parts.get(0);
      validation = parts.get(1);
    }
    Preprocessor p = Preprocessing.unfitted(data.preprocessing());
    if (p != null) {
      p = p.fit(train);
      p.transform(train);
      if (validation != null) {
        p.transform(validation);
      }
    }
    Dataset test = null;
    if (data.test() != null) {
      test = read(data.test(), data.testLabels());
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
    JavaRDD<DataBlock> trainBlocks = blocks(sc, train, layout, partitions, made);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null : blocks(sc, validation, layout, partitions, made);
    JavaRDD<DataBlock> testBlocks = test == null ? null : blocks(sc, test, layout, partitions, made);
    return new TrainingData(trainBlocks, validationBlocks, testBlocks, p,
        all.description() + " (" + all.size() + " examples)", train.size(), made);
  }

  /** Labelled IDX data for evaluating a saved model: see {@link TrainingData#evaluation}. */
  static TrainingData evaluation(JavaSparkContext sc, DataConfig data, String path, String labels, Network network,
                                 LossKind loss, TargetSpec layout, Preprocessor preprocessor, int partitions)
      throws IOException {
    boolean inputs = data.reconstructsInputs();
    if (labels == null && !inputs) {
      throw new IllegalArgumentException("IDX data " + path + " needs its label file for evaluation "
          + "(data.test_labels, or --labels PATH)");
    }
    Dataset d = read(path, inputs ? null : labels);
    if (d.featureWidth() != network.inputSize()) {
      throw new IllegalArgumentException(SparkFormats.widthMismatch("the model", network.inputSize(), path,
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
    JavaRDD<DataBlock> blocks = blocks(sc, d, layout, partitions, made);
    return new TrainingData(null, null, blocks, preprocessor, d.description() + " (" + d.size() + " examples)", 0,
        made);
  }

  /**
   * Cached blocks of {@code d} in {@code partitions} slices, its targets laid out as {@code layout} says; the driver-side sources are added to {@code made} to be closed later.
   */
  static JavaRDD<DataBlock> blocks(JavaSparkContext sc, Dataset d, TargetSpec layout, int partitions,
                                           List<Blocks.DriverBlocks> made) {
    int targetWidth = layout.width();
    Dataset t = layout.oneHot() ? d.withOneHotTargets(targetWidth) : d;
    if (t.targetWidth() != targetWidth) {
      throw new IllegalArgumentException(d.description() + " has " + t.targetWidth()
          + " target value(s) per example, the loss needs " + targetWidth);
    }
    Blocks.DriverBlocks b = Blocks.fromArrays(sc, t.features(), t.featureWidth(), t.targets(), targetWidth,
        t.weights(), t.size(), partitions);
    made.add(b);
    return b.rdd();
  }
}
