package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network regressor: {@code transform} adds {@code prediction}, the network's (first) output
 * — for a Gaussian NLL network, the predicted mean.
 */
public final class NeuralNetworkRegressionModel extends NeuralNetworkModel<NeuralNetworkRegressionModel> {

  private static final long serialVersionUID = 1L;

  /** The first output. */
  private static final NetworkTransform.OutputColumns COLUMNS =
      (y, offset, width) -> new Object[] {(double) y[offset]};

  NeuralNetworkRegressionModel(String uid, Network network, History history) {
    super(uid, network, history, COLUMNS);
  }

  @Override
  NeuralNetworkRegressionModel create(String uid, Network network, History history) {
    return new NeuralNetworkRegressionModel(uid, network, history);
  }

  static StructType outputSchema(StructType schema, String prediction) {
    SchemaChecks.requireAbsent(schema, prediction);
    return schema.add(prediction, DataTypes.DoubleType, false);
  }

  @Override
  StructType withOutputColumns(StructType schema) {
    return outputSchema(schema, getOrDefault(predictionCol()));
  }

  /** ML persistence: {@code NeuralNetworkRegressionModel.read().load(path)}. */
  public static MLReader<NeuralNetworkRegressionModel> read() {
    return new ModelPersistence.Reader<>((uid, net) -> new NeuralNetworkRegressionModel(uid, net, null));
  }

  public static NeuralNetworkRegressionModel load(String path) {
    return read().load(path);
  }
}
