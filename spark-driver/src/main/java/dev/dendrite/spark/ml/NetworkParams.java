package dev.dendrite.spark.ml;

import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.DropoutConfig;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.loss.Losses;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.EarlyStopping;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.DistributedConfig;
import dev.dendrite.spark.DistributedTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Function1;

/**
 * The parameters and the training that {@link NeuralNetworkClassifier} and {@link NeuralNetworkRegressor}
 * share: the network (hidden layer sizes and activation, dropout, L2, initial weights), the loss, the
 * optimizer and its settings, batch size, epochs, seed, the distributed mode and its averaging frequency,
 * checkpoints, clipping and early stopping. The two estimators extend Spark's {@code ProbabilisticClassifier}
 * and {@code Regressor}, so they cannot share a superclass: each holds one of these, created with itself as
 * the params' owner, and exposes its params through public accessors (Spark finds params by reflection).
 * Every value is validated when it is set, and a bad one names the parameter.
 *
 * <p>{@code layers} has MLlib's meaning ({@code MultilayerPerceptronClassifier}): the sizes of every layer,
 * input first and output last ({@code [4, 5, 3]}: 4 features, one hidden layer of 5, 3 classes). Its ends
 * must match the data, else {@code fit} refuses it and says what to write. {@code hiddenLayers} gives the
 * hidden sizes alone ({@code [5]}; default {@code [64]}); setting both is refused.
 */
final class NetworkParams implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  private final Params owner;

  final Param<String> weightCol;
  final IntArrayParam layers;
  final IntArrayParam hiddenLayers;
  final Param<Vector> initialWeights;
  final Param<String> activation;
  final DoubleParam dropout;
  final DoubleParam l2;
  final Param<String> loss;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final IntParam batchSize;
  final IntParam epochs;
  final LongParam seed;
  final Param<String> mode;
  final IntParam averagingFrequency;
  final IntParam partitions;
  final Param<String> checkpointDir;
  final IntParam checkpointInterval;
  final DoubleParam clipNorm;
  final DoubleParam validationFraction;
  final IntParam earlyStoppingPatience;
  final BooleanParam verbose;

  NetworkParams(Params owner, String defaultLoss) {
    this.owner = owner;
    weightCol = new Param<>(owner, "weightCol", "example weight column; empty for none", always());
    layers = new IntArrayParam(owner, "layers", "MLlib's form: sizes of all layers, input first and output "
        + "last, e.g. [4, 5, 3] for 4 features, one hidden layer of 5 units and 3 classes; or use hiddenLayers",
        (Function1<int[], Object> & java.io.Serializable) a -> a.length >= 2 && positive(a));
    hiddenLayers = new IntArrayParam(owner, "hiddenLayers", "hidden layer sizes only, input to output, "
        + "e.g. [256, 128]; [] for none", (Function1<int[], Object> & java.io.Serializable) NetworkParams::positive);
    initialWeights = new Param<>(owner, "initialWeights", "the network's parameters to start training from, "
        + "in its parameter layout (as a trained model's weights()); unset: random initialization from seed",
        always());
    activation = new Param<>(owner, "activation", "hidden layer activation (relu, tanh, sigmoid, elu, "
        + "leaky_relu, softplus, arctan, identity)", (Function1<String, Object> & java.io.Serializable) a -> parses(() -> Activations.parse(a)));
    dropout = new DoubleParam(owner, "dropout", "dropout rate after each hidden layer, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    l2 = new DoubleParam(owner, "l2", "L2 penalty on hidden and output weights (>= 0)", ParamValidators.gtEq(0));
    loss = new Param<>(owner, "loss", "loss function name", (Function1<String, Object> & java.io.Serializable) l -> parses(() -> Losses.parse(l)));
    optimizer = new Param<>(owner, "optimizer", "optimizer: " + OptimizerConfig.TYPES,
        ParamValidators.inArray(OptimizerConfig.TYPES));
    learningRate = new DoubleParam(owner, "learningRate", "learning rate (> 0)", ParamValidators.gt(0));
    batchSize = new IntParam(owner, "batchSize", "global mini-batch size (>= 1)", ParamValidators.gtEq(1));
    epochs = new IntParam(owner, "epochs", "passes over the training data (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(owner, "seed", "random seed for initialization, shuffling and dropout", always());
    mode = new Param<>(owner, "mode", "distributed mode: " + DistributedConfig.MODES,
        ParamValidators.inArray(DistributedConfig.MODES));
    averagingFrequency = new IntParam(owner, "averagingFrequency",
        "local steps between parameter averages in averaging mode (>= 1)", ParamValidators.gtEq(1));
    partitions = new IntParam(owner, "partitions", "data partitions; 0 = one per task slot",
        ParamValidators.gtEq(0));
    checkpointDir = new Param<>(owner, "checkpointDir", "checkpoint directory on any Hadoop file system; "
        + "empty for none", always());
    checkpointInterval = new IntParam(owner, "checkpointInterval", "steps between checkpoints; 0 = each epoch",
        ParamValidators.gtEq(0));
    clipNorm = new DoubleParam(owner, "clipNorm", "clip the gradient's global L2 norm to this; 0 = off",
        ParamValidators.gtEq(0));
    validationFraction = new DoubleParam(owner, "validationFraction",
        "fraction of the training data held out for validation and early stopping, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience",
        "epochs without val_loss improvement before stopping; 0 = no early stopping", ParamValidators.gtEq(0));
    verbose = new BooleanParam(owner, "verbose", "print a progress line per epoch");

    owner.setDefault(weightCol, "");
    owner.setDefault(hiddenLayers, new int[] {64});
    owner.setDefault(activation, "relu");
    owner.setDefault(dropout, 0.0);
    owner.setDefault(l2, 0.0);
    owner.setDefault(loss, defaultLoss);
    owner.setDefault(optimizer, "adam");
    owner.setDefault(learningRate, 0.001);
    owner.setDefault(batchSize, 128);
    owner.setDefault(epochs, 10);
    owner.setDefault(seed, 1L);
    owner.setDefault(mode, "auto");
    owner.setDefault(averagingFrequency, 1);
    owner.setDefault(partitions, 0);
    owner.setDefault(checkpointDir, "");
    owner.setDefault(checkpointInterval, 0);
    owner.setDefault(clipNorm, 0.0);
    owner.setDefault(validationFraction, 0.0);
    owner.setDefault(earlyStoppingPatience, 0);
    owner.setDefault(verbose, false);
  }

  private static boolean positive(int[] a) {
    for (int v : a) {
      if (v <= 0) {
        return false;
      }
    }
    return true;
  }

  static <T> Function1<T, Object> always() {
    return (Function1<T, Object> & java.io.Serializable) v -> true;
  }

  static Function1<String, Object> nonEmpty() {
    return (Function1<String, Object> & java.io.Serializable) v -> v != null && !v.isEmpty();
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private <T> T getOrDefault(Param<T> p) {
    return owner.getOrDefault(p);
  }

  double value(DoubleParam p) {
    return (Double) owner.getOrDefault(p);
  }

  int value(IntParam p) {
    return (Integer) owner.getOrDefault(p);
  }

  long value(LongParam p) {
    return (Long) owner.getOrDefault(p);
  }

  boolean value(BooleanParam p) {
    return (Boolean) owner.getOrDefault(p);
  }

  /**
   * The hidden layer sizes for {@code inputs} features and {@code outputs} outputs ({@code outputsName}
   * says what they are, e.g. "3 classes"): {@code hiddenLayers}, or the middle of {@code layers} when
   * that is set in MLlib's form. A {@code layers} whose ends do not match the data is refused with the
   * form to write instead: a silent reading of MLlib's {@code [4, 5, 3]} as three hidden layers would
   * train a different network than the user asked for.
   */
  int[] hiddenSizes(int inputs, int outputs, String outputsName) {
    boolean mllib = owner.isSet(layers);
    if (mllib && owner.isSet(hiddenLayers)) {
      throw new IllegalArgumentException("set either layers (MLlib's form: input size, hidden sizes, output size) "
          + "or hiddenLayers (hidden sizes only), not both: layers is "
          + Arrays.toString(getOrDefault(layers)) + ", hiddenLayers " + Arrays.toString(getOrDefault(hiddenLayers)));
    }
    if (!mllib) {
      return getOrDefault(hiddenLayers);
    }
    int[] all = getOrDefault(layers);
    int[] hidden = Arrays.copyOfRange(all, 1, all.length - 1);
    if (all[0] != inputs || all[all.length - 1] != outputs) {
      int[] fixed = all.clone();
      fixed[0] = inputs;
      fixed[all.length - 1] = outputs;
      throw new IllegalArgumentException("layers " + Arrays.toString(all) + " is read as in MLlib: input size, "
          + "hidden sizes, output size. The data has " + inputs + " features and " + outputsName
          + ", so it must start with " + inputs + " and end with " + outputs + ": write "
          + Arrays.toString(fixed) + ", or setHiddenLayers(" + Arrays.toString(all)
          + ") for " + all.length + " hidden layers of these sizes");
    }
    return hidden;
  }

  /** The network the estimator will build for {@code inputs} features and {@code outputs} outputs. */
  NetworkConfig networkConfig(int inputs, int outputs, String outputActivation, String outputsName) {
    List<LayerConfig> list = new ArrayList<>();
    double penalty = value(l2);
    for (int units : hiddenSizes(inputs, outputs, outputsName)) {
      list.add(DenseConfig.of(units, getOrDefault(activation)).withRegularization(0, penalty));
      if (value(dropout) > 0) {
        list.add(new DropoutConfig(value(dropout)));
      }
    }
    list.add(DenseConfig.of(outputs, outputActivation).withRegularization(0, penalty));
    return new NetworkConfig(new int[] {inputs}, list);
  }

  /**
   * A network of {@code config} to start training from: {@code initialWeights} when set (refused naming
   * both lengths when its length is not the network's parameter count), else initialized from the seed.
   */
  Network initialNetwork(NetworkConfig config) {
    Network network = new Network(config).initialize(value(seed));
    if (!owner.isDefined(initialWeights)) {
      return network;
    }
    Vector start = getOrDefault(initialWeights);
    if (start.size() != network.parameterCount()) {
      throw new IllegalArgumentException("initialWeights has " + start.size() + " values, but the network "
          + describe(config) + " has " + network.parameterCount() + " parameters");
    }
    float[] params = new float[start.size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) start.apply(i);
      if (!Float.isFinite(params[i])) {
        throw new IllegalArgumentException("initialWeights[" + i + "] is " + start.apply(i)
            + ": weights must be finite numbers that fit a float");
      }
    }
    network.setParameters(params);
    return network;
  }

  /** {@code [4 -> 5 -> 3]}: the sizes of the dense layers. */
  static String describe(NetworkConfig config) {
    StringBuilder b = new StringBuilder("[").append(config.inputShape()[0]);
    for (LayerConfig layer : config.layers()) {
      if (layer instanceof DenseConfig) {
        b.append(" -> ").append(((DenseConfig) layer).units());
      }
    }
    return b.append("]").toString();
  }

  TrainingConfig trainingConfig() {
    OptimizerConfig opt = OptimizerConfig.defaults(getOrDefault(optimizer))
        .withLearningRate(value(learningRate));
    int patience = value(earlyStoppingPatience);
    double fraction = value(validationFraction);
    EarlyStopping early = patience > 0 && fraction > 0 ? new EarlyStopping("val_loss", patience, 0, true) : null;
    double clip = value(clipNorm);
    return new TrainingConfig(getOrDefault(loss), opt, value(batchSize), value(epochs),
        value(seed), true, 1, 0, early, clip > 0 ? GradientClipping.byNorm(clip) : GradientClipping.NONE,
        "none");
  }

  DistributedConfig distributedConfig() {
    String dir = getOrDefault(checkpointDir);
    return new DistributedConfig(getOrDefault(mode), value(averagingFrequency), value(partitions),
        1, dir.isEmpty() ? null : dir, value(checkpointInterval));
  }

  /**
   * Trains a network of this shape on the dataset's features and labels (checked row by row as they
   * become blocks, see {@link FrameExamples}); returns it with the history.
   */
  Network trainNetwork(Dataset<?> dataset, String featuresCol, String labelCol, NetworkConfig config,
                       FrameExamples.Labels labels, History[] history) {
    Network network = initialNetwork(config);
    String weights = getOrDefault(weightCol);
    if (!weights.isEmpty()) {
      SchemaChecks.requireNumeric(dataset.schema(), weights);
    }
    DistributedConfig distributed = distributedConfig();
    DistributedTrainer trainer = new DistributedTrainer(trainingConfig(), distributed);
    if (value(verbose)) {
      trainer.listener(new dev.dendrite.core.train.ProgressBar(System.out, false));
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    int partitions = distributed.partitions() > 0 ? distributed.partitions() : sc.defaultParallelism();
    FrameExamples.Blocks blocks = FrameExamples.blocks(dataset.toDF(), featuresCol, labelCol,
        weights.isEmpty() ? null : weights, network.inputSize(), labels, value(validationFraction), value(seed),
        partitions);
    try {
      history[0] = trainer.fitBlocks(network, blocks.train(), blocks.validation());
    } finally {
      blocks.release();
    }
    return network;
  }

  /**
   * The width of the features vectors: from the column's ML attributes, else from the first row. Fails
   * naming the column when the frame has no rows or its first row has no vector.
   */
  static int featureWidth(Dataset<?> dataset, String column) {
    org.apache.spark.ml.attribute.AttributeGroup group =
        org.apache.spark.ml.attribute.AttributeGroup.fromStructField(dataset.schema().apply(column));
    if (group.size() > 0) {
      return group.size();
    }
    List<Row> first = dataset.toDF().select(column).takeAsList(1);
    if (first.isEmpty()) {
      throw new IllegalArgumentException("cannot train on an empty DataFrame (column '" + column + "' has no rows)");
    }
    if (first.get(0).isNullAt(0)) {
      throw new IllegalArgumentException("column '" + column + "', row 0: null; every row needs a features vector");
    }
    return ((Vector) first.get(0).get(0)).size();
  }
}
