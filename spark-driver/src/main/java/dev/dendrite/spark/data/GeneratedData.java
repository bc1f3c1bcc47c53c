package dev.dendrite.spark.data;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.DigitSequences;
import dev.dendrite.core.data.Splits;
import dev.dendrite.core.loss.LossKind;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code data.format: generated}: a digit-sequence task made on the driver from its spec ({@code data.train},
 * {@code data.test}, e.g. {@code sort_digits(length=8, examples=20000, seed=1)}) and parallelized once, as
 * IDX data is. The targets are one class index per position; the validation split is the training set's tail.
 */
final class GeneratedData {

  private GeneratedData() {
  }

  static TrainingData load(JavaSparkContext sc, DataConfig data, TrainingConfig training, Network network,
                           int partitions) {
    TargetSpec layout = layout(network, training.loss());
    Dataset all = generate(network, data.train());
    Dataset train = all;
    Dataset validation = null;
    if (training.validationSplit() > 0) {
      List<Dataset> parts = Splits.tail(all, training.validationSplit());
      train = parts.get(0);
      validation = parts.get(1);
    }
    Dataset test = data.test() == null ? null : generate(network, data.test());
    List<Blocks.DriverBlocks> made = new ArrayList<>();
    JavaRDD<DataBlock> trainBlocks = IdxFiles.blocks(sc, train, layout, partitions, made);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null
        : IdxFiles.blocks(sc, validation, layout, partitions, made);
    JavaRDD<DataBlock> testBlocks = test == null ? null : IdxFiles.blocks(sc, test, layout, partitions, made);
    return new TrainingData(trainBlocks, validationBlocks, testBlocks, null, all.description(), train.size(), made);
  }

  static TrainingData evaluation(JavaSparkContext sc, String spec, Network network, LossKind loss, int partitions) {
    Dataset d = generate(network, spec);
    List<Blocks.DriverBlocks> made = new ArrayList<>();
    JavaRDD<DataBlock> blocks = IdxFiles.blocks(sc, d, layout(network, loss), partitions, made);
    return new TrainingData(null, null, blocks, null, d.description(), 0, made);
  }

  /** Class indices as they are, one per position: as many as the network's output positions need. */
  private static TargetSpec layout(Network network, LossKind loss) {
    return TargetSpec.direct(network.targetWidth(loss.create()));
  }

  private static Dataset generate(Network network, String spec) {
    Dataset d = DigitSequences.parse(spec);
    if (d.featureWidth() != network.inputSize()) {
      throw new IllegalArgumentException("generated data " + spec + " has sequences of " + d.featureWidth()
          + " digits, the network's input shape " + network.inputShape() + " has " + network.inputSize());
    }
    return d;
  }
}
