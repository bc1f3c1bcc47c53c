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
import org.apache.spark.sql.types.StructType;

/**
 * What {@link NeuralNetworkClassificationModel} and {@link NeuralNetworkRegressionModel} share: the trained
 * network and its history, the {@code featuresCol} and {@code predictionCol} params, the batched
 * {@code transform}, {@code copy} and ML persistence; a subclass names its output columns and their values.
 *
 * @param <M> the concrete model class
 */
public abstract class NeuralNetworkModel<M extends NeuralNetworkModel<M>> extends Model<M> implements MLWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final transient Network network;
  private final transient History history;
  private final NetworkTransform.OutputColumns columns;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;

  /** {@code columns} derives the subclass's appended values from one network output row. */
  NeuralNetworkModel(String uid, Network network, History history, NetworkTransform.OutputColumns columns) {
    this.uid = uid;
    this.network = network;
    this.history = history;
    this.columns = columns;
    featuresCol = new Param<>(this, "featuresCol", "features column (ml.linalg.Vector)",
        NeuralNetworkEstimator.nonEmpty());
    predictionCol = new Param<>(this, "predictionCol", "prediction column", NeuralNetworkEstimator.nonEmpty());
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
  }

  /** A model of the concrete class holding {@code network} and {@code history}, with default params. */
  abstract M create(String uid, Network network, History history);

  /** {@code schema} with this model's output columns appended (refusing any that already exist). */
  abstract StructType withOutputColumns(StructType schema);

  /** This model, as its concrete class (for the fluent setters). */
  @SuppressWarnings("unchecked")
  final M self() {
    return (M) this;
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> predictionCol() { return predictionCol; }

  public M setFeaturesCol(String v) { set(featuresCol, v); return self(); }
  public M setPredictionCol(String v) { set(predictionCol, v); return self(); }

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

  /** The network's output width (the number of classes for a classifier). */
  final int outputSize() {
    return network.outputSize();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getOrDefault(featuresCol));
    return withOutputColumns(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    int featuresIndex = dataset.schema().fieldIndex(getOrDefault(featuresCol));
    return dataset.toDF().mapPartitions(new NetworkTransform(network, featuresIndex, columns),
        Encoders.row(out));
  }

  @Override
  public M copy(ParamMap extra) {
    return copyValues(create(uid, network, history), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this, network);
  }
}
