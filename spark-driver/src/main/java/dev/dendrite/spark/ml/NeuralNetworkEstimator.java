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
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * The parameters and the training shared by {@link NeuralNetworkClassifier} and
 * {@link NeuralNetworkRegressor}: the network (hidden layer sizes and activation, dropout, L2), the loss,
 * the optimizer and its settings, batch size, epochs, seed, the distributed mode and its averaging
 * frequency, checkpoints, clipping and early stopping. Every value is validated when it is set, and a
 * bad one names the parameter.
 */
public abstract class NeuralNetworkEstimator<M extends Model<M>> extends Estimator<M> {

  private static final long serialVersionUID = 1L;

  private final String uid;

  final Param<String> featuresCol;
  final Param<String> labelCol;
  final Param<String> weightCol;
  final Param<String> predictionCol;
  final IntArrayParam layers;
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

  protected NeuralNetworkEstimator(String uid, String defaultLoss) {
    this.uid = uid;
    featuresCol = new Param<>(this, "featuresCol", "features column (ml.linalg.Vector)", nonEmpty());
    labelCol = new Param<>(this, "labelCol", "label column", nonEmpty());
    weightCol = new Param<>(this, "weightCol", "example weight column; empty for none", always());
    predictionCol = new Param<>(this, "predictionCol", "prediction column", nonEmpty());
    layers = new IntArrayParam(this, "layers", "hidden layer sizes, input to output, e.g. [256, 128]",
        (Function1<int[], Object> & java.io.Serializable) a -> {
          for (int v : a) {
            if (v <= 0) {
              return false;
            }
          }
          return true;
        });
    activation = new Param<>(this, "activation", "hidden layer activation (relu, tanh, sigmoid, elu, "
        + "leaky_relu, softplus, arctan, identity)", (Function1<String, Object> & java.io.Serializable) a -> parses(() -> Activations.parse(a)));
    dropout = new DoubleParam(this, "dropout", "dropout rate after each hidden layer, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    l2 = new DoubleParam(this, "l2", "L2 penalty on hidden and output weights (>= 0)", ParamValidators.gtEq(0));
    loss = new Param<>(this, "loss", "loss function name", (Function1<String, Object> & java.io.Serializable) l -> parses(() -> Losses.parse(l)));
    optimizer = new Param<>(this, "optimizer", "optimizer: " + OptimizerConfig.TYPES,
        ParamValidators.inArray(OptimizerConfig.TYPES));
    learningRate = new DoubleParam(this, "learningRate", "learning rate (> 0)", ParamValidators.gt(0));
    batchSize = new IntParam(this, "batchSize", "global mini-batch size (>= 1)", ParamValidators.gtEq(1));
    epochs = new IntParam(this, "epochs", "passes over the training data (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(this, "seed", "random seed for initialization, shuffling and dropout", always());
    mode = new Param<>(this, "mode", "distributed mode: " + DistributedConfig.MODES,
        ParamValidators.inArray(DistributedConfig.MODES));
    averagingFrequency = new IntParam(this, "averagingFrequency",
        "local steps between parameter averages in averaging mode (>= 1)", ParamValidators.gtEq(1));
    partitions = new IntParam(this, "partitions", "data partitions; 0 = one per task slot",
        ParamValidators.gtEq(0));
    checkpointDir = new Param<>(this, "checkpointDir", "checkpoint directory on any Hadoop file system; "
        + "empty for none", always());
    checkpointInterval = new IntParam(this, "checkpointInterval", "steps between checkpoints; 0 = each epoch",
        ParamValidators.gtEq(0));
    clipNorm = new DoubleParam(this, "clipNorm", "clip the gradient's global L2 norm to this; 0 = off",
        ParamValidators.gtEq(0));
    validationFraction = new DoubleParam(this, "validationFraction",
        "fraction of the training data held out for validation and early stopping, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    earlyStoppingPatience = new IntParam(this, "earlyStoppingPatience",
        "epochs without val_loss improvement before stopping; 0 = no early stopping", ParamValidators.gtEq(0));
    verbose = new BooleanParam(this, "verbose", "print a progress line per epoch");

    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(weightCol, "");
    setDefault(predictionCol, "prediction");
    setDefault(layers, new int[] {64});
    setDefault(activation, "relu");
    setDefault(dropout, 0.0);
    setDefault(l2, 0.0);
    setDefault(loss, defaultLoss);
    setDefault(optimizer, "adam");
    setDefault(learningRate, 0.001);
    setDefault(batchSize, 128);
    setDefault(epochs, 10);
    setDefault(seed, 1L);
    setDefault(mode, "auto");
    setDefault(averagingFrequency, 1);
    setDefault(partitions, 0);
    setDefault(checkpointDir, "");
    setDefault(checkpointInterval, 0);
    setDefault(clipNorm, 0.0);
    setDefault(validationFraction, 0.0);
    setDefault(earlyStoppingPatience, 0);
    setDefault(verbose, false);
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

  @Override
  public String uid() {
    return uid;
  }

  double value(DoubleParam p) {
    return (Double) getOrDefault(p);
  }

  int value(IntParam p) {
    return (Integer) getOrDefault(p);
  }

  long value(LongParam p) {
    return (Long) getOrDefault(p);
  }

  boolean value(BooleanParam p) {
    return (Boolean) getOrDefault(p);
  }

  // ---- parameters (public accessors, found by Spark's Params reflection) ----

  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> labelCol() { return labelCol; }
  public Param<String> weightCol() { return weightCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public IntArrayParam layers() { return layers; }
  public Param<String> activation() { return activation; }
  public DoubleParam dropout() { return dropout; }
  public DoubleParam l2() { return l2; }
  public Param<String> loss() { return loss; }
  public Param<String> optimizer() { return optimizer; }
  public DoubleParam learningRate() { return learningRate; }
  public IntParam batchSize() { return batchSize; }
  public IntParam epochs() { return epochs; }
  public LongParam seed() { return seed; }
  public Param<String> mode() { return mode; }
  public IntParam averagingFrequency() { return averagingFrequency; }
  public IntParam partitions() { return partitions; }
  public Param<String> checkpointDir() { return checkpointDir; }
  public IntParam checkpointInterval() { return checkpointInterval; }
  public DoubleParam clipNorm() { return clipNorm; }
  public DoubleParam validationFraction() { return validationFraction; }
  public IntParam earlyStoppingPatience() { return earlyStoppingPatience; }
  public BooleanParam verbose() { return verbose; }

  /** The network the estimator will build for {@code inputs} features and {@code outputs} outputs. */
  NetworkConfig networkConfig(int inputs, int outputs, String outputActivation) {
    List<LayerConfig> list = new ArrayList<>();
    double penalty = value(l2);
    for (int units : getOrDefault(layers)) {
      list.add(DenseConfig.of(units, getOrDefault(activation)).withRegularization(0, penalty));
      if (value(dropout) > 0) {
        list.add(new DropoutConfig(value(dropout)));
      }
    }
    list.add(DenseConfig.of(outputs, outputActivation).withRegularization(0, penalty));
    return new NetworkConfig(new int[] {inputs}, list);
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

  /** Trains a network of this shape on the dataset's features and labels; returns it with the history. */
  Network trainNetwork(Dataset<?> dataset, NetworkConfig config, History[] history) {
    Dataset<Row> df = dataset.toDF();
    Dataset<Row> train = df;
    Dataset<Row> validation = null;
    double fraction = value(validationFraction);
    if (fraction > 0) {
      Dataset<Row>[] split = df.randomSplit(new double[] {1 - fraction, fraction}, value(seed));
      train = split[0];
      validation = split[1];
    }
    Network network = new Network(config).initialize(value(seed));
    String weights = getOrDefault(weightCol);
    DistributedTrainer trainer = new DistributedTrainer(trainingConfig(), distributedConfig())
        .columns(getOrDefault(featuresCol), getOrDefault(labelCol), weights.isEmpty() ? null : weights);
    if (value(verbose)) {
      trainer.listener(new dev.dendrite.core.train.ProgressBar(System.out, false));
    }
    history[0] = trainer.fit(network, train, validation);
    return network;
  }

  /** The width of the features vectors: from the column's ML attributes, else from the first row. */
  static int featureWidth(Dataset<?> dataset, String column) {
    org.apache.spark.ml.attribute.AttributeGroup group =
        org.apache.spark.ml.attribute.AttributeGroup.fromStructField(dataset.schema().apply(column));
    if (group.size() > 0) {
      return group.size();
    }
    Row first = dataset.toDF().select(column).head();
    return ((org.apache.spark.ml.linalg.Vector) first.get(0)).size();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getOrDefault(featuresCol));
    SchemaChecks.requireNumeric(schema, getOrDefault(labelCol));
    return outputSchema(schema);
  }

  abstract StructType outputSchema(StructType schema);
}
