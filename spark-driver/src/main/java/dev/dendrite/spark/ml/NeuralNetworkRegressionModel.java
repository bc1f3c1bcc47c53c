package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network regressor, a Spark {@code RegressionModel}: {@code prediction} is the network's
 * (first) output — for a Gaussian NLL network, the predicted mean. {@code predict(Vector)} scores one
 * vector; {@code transform} scores each partition in batches of 256 rows and gives the same numbers.
 */
public final class NeuralNetworkRegressionModel extends RegressionModel<Vector, NeuralNetworkRegressionModel>
    implements MLWritable {

  private static final long serialVersionUID = 2L;

  /** The first output. */
  private static final NetworkTransform.OutputColumns COLUMNS =
      (y, offset, width) -> new Object[] {(double) y[offset]};

  private final String uid;
  private final transient Network network;
  private final transient History history;

  NeuralNetworkRegressionModel(String uid, Network network, History history) {
    this(UidHandoff.of(uid), network, history);
  }

  private NeuralNetworkRegressionModel(UidHandoff uid, Network network, History history) {
    this.uid = uid.take();
    this.network = network;
    this.history = history;
  }

  @Override
  public String uid() {
    return uid != null ? uid : UidHandoff.pending();
  }

  /** The trained network (a copy: the model stays immutable). */
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
  public int numFeatures() {
    return network.inputSize();
  }

  @Override
  public double predict(Vector features) {
    return NetworkTransform.scoreOne(network, features)[0];
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol());
    if (!getPredictionCol().isEmpty()) {
      SchemaChecks.requireAbsent(schema, getPredictionCol());
    }
    return super.transformSchema(schema);
  }

  /** Spark's prediction column, computed per partition in batches through the network. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    StructType out = dataset.schema().add(schema.apply(getPredictionCol()));
    return NetworkTransform.apply(dataset, network, getFeaturesCol(), out, COLUMNS);
  }

  @Override
  public NeuralNetworkRegressionModel copy(ParamMap extra) {
    return copyValues(new NeuralNetworkRegressionModel(uid, network, history), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this, network);
  }

  /** ML persistence: {@code NeuralNetworkRegressionModel.read().load(path)}. */
  public static MLReader<NeuralNetworkRegressionModel> read() {
    return new ModelPersistence.Reader<>((uid, net) -> new NeuralNetworkRegressionModel(uid, net, null));
  }

  public static NeuralNetworkRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetworkRegressionModel: uid=" + uid + ", numFeatures=" + numFeatures() + ", network "
        + NetworkParams.describe(network.config());
  }
}
