package dev.dendrite.spark.ml;

import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network classifier, a Spark {@code ProbabilisticClassificationModel} with MLlib's meaning for
 * every column: {@code rawPrediction} holds the scores before softmax (the logits), {@code probability}
 * their softmax, {@code prediction} the arg-max (of the probabilities divided by {@code thresholds} when
 * those are set). {@code predict}, {@code predictRaw} and {@code predictProbability} score one vector;
 * {@code transform} scores each partition in batches of 256 rows through the network and gives the same
 * numbers. Evaluators, {@code OneVsRest}, CrossValidator and code written for MLlib's classifiers use it
 * unchanged.
 */
public final class NeuralNetworkClassificationModel
    extends ProbabilisticClassificationModel<Vector, NeuralNetworkClassificationModel> implements MLWritable {

  private static final long serialVersionUID = 2L;

  private final String uid;
  /** The trained network, softmax output (what is saved). */
  private final transient Network network;
  /** The same parameters with an identity output: the logits. */
  private final transient Network logits;
  private final transient History history;

  NeuralNetworkClassificationModel(String uid, Network network, History history) {
    this(UidHandoff.of(uid), network, history);
  }

  private NeuralNetworkClassificationModel(UidHandoff uid, Network network, History history) {
    this.uid = uid.take();
    this.network = network;
    this.logits = logitsOf(network);
    this.history = history;
  }

  /**
   * The network without its final softmax: same layers and parameters, identity activation on the last
   * dense layer (the parameter layout does not depend on activations).
   */
  static Network logitsOf(Network network) {
    List<LayerConfig> layers = new ArrayList<>(network.config().layers());
    LayerConfig last = layers.get(layers.size() - 1);
    if (!(last instanceof DenseConfig)
        || !((DenseConfig) last).activation().trim().toLowerCase(Locale.ROOT).equals("softmax")) {
      throw new IllegalArgumentException("a classification model needs a network whose last layer is dense "
          + "with softmax activation; this one ends in " + last.toMap());
    }
    DenseConfig d = (DenseConfig) last;
    layers.set(layers.size() - 1, new DenseConfig(d.units(), "identity", d.kernelInit(), d.biasInit(), d.l1(), d.l2()));
    Network scores = new Network(new NetworkConfig(network.config().inputShape(), layers));
    scores.setParameters(network.parameters());
    return scores;
  }

  @Override
  public String uid() {
    return uid != null ? uid : UidHandoff.pending();
  }

  /** The trained network (a copy: the model stays immutable); its output is the softmax. */
  public Network network() {
    return network.copy();
  }

  /** The network's parameters, in its layout: what {@code initialWeights} takes to continue training. */
  public Vector weights() {
    return NetworkTransform.toVector(network.parameters());
  }

  /** The training history (null for a model loaded from disk). */
  public History history() {
    return history;
  }

  @Override
  public int numClasses() {
    return network.outputSize();
  }

  @Override
  public int numFeatures() {
    return network.inputSize();
  }

  /** The logits (scores before softmax) for one features vector. */
  @Override
  public Vector predictRaw(Vector features) {
    return NetworkTransform.toVector(NetworkTransform.scoreOne(logits, features));
  }

  /** Softmax, computed in double after subtracting the largest score. */
  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    DenseVector dense = rawPrediction instanceof DenseVector ? (DenseVector) rawPrediction
        : rawPrediction.toDense();
    ClassifierColumns.softmaxInPlace(dense.values());
    return dense;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol());
    for (String column : new String[] {getPredictionCol(), getRawPredictionCol(), getProbabilityCol()}) {
      if (!column.isEmpty()) {
        SchemaChecks.requireAbsent(schema, column);
      }
    }
    return super.transformSchema(schema);
  }

  /**
   * Spark's columns (rawPrediction, probability, prediction; an empty column name leaves that one out),
   * computed per partition in batches through the network rather than one forward pass per row.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
    if (thresholds != null && thresholds.length != numClasses()) {
      throw new IllegalArgumentException("thresholds has " + thresholds.length + " values, but the model has "
          + numClasses() + " classes");
    }
    ClassifierColumns columns = new ClassifierColumns(!getRawPredictionCol().isEmpty(),
        !getProbabilityCol().isEmpty(), !getPredictionCol().isEmpty(), thresholds);
    StructType out = dataset.schema();
    for (String column : new String[] {getRawPredictionCol(), getProbabilityCol(), getPredictionCol()}) {
      if (!column.isEmpty()) {
        out = out.add(schema.apply(column));
      }
    }
    if (out.size() == dataset.schema().size()) {
      return dataset.toDF();   // as Spark: no output column asked for
    }
    return NetworkTransform.apply(dataset, logits, getFeaturesCol(), out, columns);
  }

  /**
   * Spark's own (for training summaries). Declared here only because javac sees the Scala superclasses'
   * two declarations, whose return types differ in a type argument, as a clash.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public NeuralNetworkClassificationModel copy(ParamMap extra) {
    return copyValues(new NeuralNetworkClassificationModel(uid, network, history), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this, network);
  }

  /**
   * ML persistence: {@code NeuralNetworkClassificationModel.read().load(path)}; models saved before the
   * class became a {@code ProbabilisticClassificationModel} load too (their params are a subset).
   */
  public static MLReader<NeuralNetworkClassificationModel> read() {
    return new ModelPersistence.Reader<>((uid, net) -> new NeuralNetworkClassificationModel(uid, net, null));
  }

  public static NeuralNetworkClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetworkClassificationModel: uid=" + uid + ", numClasses=" + numClasses() + ", numFeatures="
        + numFeatures() + ", network " + NetworkParams.describe(network.config());
  }
}
