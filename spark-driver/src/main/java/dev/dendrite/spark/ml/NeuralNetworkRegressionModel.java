package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network regressor: {@code transform} adds {@code prediction}, the network's (first) output
 * — for a Gaussian NLL network, the predicted mean.
 */
public final class NeuralNetworkRegressionModel extends Model<NeuralNetworkRegressionModel>
    implements MLWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final transient Network network;
  private final transient History history;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;

  NeuralNetworkRegressionModel(String uid, Network network, History history) {
    this.uid = uid;
    this.network = network;
    this.history = history;
    featuresCol = new Param<>(this, "featuresCol", "features column (ml.linalg.Vector)",
        NeuralNetworkEstimator.nonEmpty());
    predictionCol = new Param<>(this, "predictionCol", "prediction column", NeuralNetworkEstimator.nonEmpty());
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> predictionCol() { return predictionCol; }

  public NeuralNetworkRegressionModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public NeuralNetworkRegressionModel setPredictionCol(String v) { set(predictionCol, v); return this; }

  /** The trained network (a copy: the model stays immutable). */
  public Network network() {
    return network.copy();
  }

  /** The training history (null for a model loaded from disk). */
  public History history() {
    return history;
  }

  public int numFeatures() {
    return network.inputSize();
  }

  static StructType outputSchema(StructType schema, String prediction) {
    SchemaChecks.requireAbsent(schema, prediction);
    return schema.add(prediction, DataTypes.DoubleType, false);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getOrDefault(featuresCol));
    return outputSchema(schema, getOrDefault(predictionCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    int featuresIndex = dataset.schema().fieldIndex(getOrDefault(featuresCol));
    return dataset.toDF().mapPartitions(new NetworkTransform(network, featuresIndex,
        (y, offset, width) -> new Object[] {(double) y[offset]}), Encoders.row(out));
  }

  @Override
  public NeuralNetworkRegressionModel copy(ParamMap extra) {
    NeuralNetworkRegressionModel copy = new NeuralNetworkRegressionModel(uid, network, history);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this, network);
  }

  public static org.apache.spark.ml.util.MLReader<NeuralNetworkRegressionModel> read() {
    return new ModelPersistence.Reader<>((uid, net) -> new NeuralNetworkRegressionModel(uid, net, null));
  }

  public static NeuralNetworkRegressionModel load(String path) {
    return read().load(path);
  }
}
