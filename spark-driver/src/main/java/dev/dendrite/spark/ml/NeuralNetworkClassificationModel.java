package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained network classifier: {@code transform} adds {@code prediction} (the arg-max class),
 * {@code probability} (the softmax output) and {@code rawPrediction} (the same scores, as Spark's
 * evaluators expect), computed in batches per partition.
 */
public final class NeuralNetworkClassificationModel extends NeuralNetworkModel<NeuralNetworkClassificationModel> {

  private static final long serialVersionUID = 1L;

  /** The arg-max class, the probabilities, and the same probabilities again as raw scores. */
  private static final NetworkTransform.OutputColumns COLUMNS = (y, offset, width) -> {
    double[] p = new double[width];
    int best = 0;
    for (int j = 0; j < width; j++) {
      p[j] = y[offset + j];
      if (p[j] > p[best]) {
        best = j;
      }
    }
    return new Object[] {(double) best, new DenseVector(p), new DenseVector(p.clone())};
  };

  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  NeuralNetworkClassificationModel(String uid, Network network, History history) {
    super(uid, network, history, COLUMNS);
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column",
        NeuralNetworkEstimator.nonEmpty());
    rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw scores column",
        NeuralNetworkEstimator.nonEmpty());
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
  }

  @Override
  NeuralNetworkClassificationModel create(String uid, Network network, History history) {
    return new NeuralNetworkClassificationModel(uid, network, history);
  }

  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> rawPredictionCol() { return rawPredictionCol; }

  public NeuralNetworkClassificationModel setProbabilityCol(String v) { set(probabilityCol, v); return this; }
  public NeuralNetworkClassificationModel setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }

  public int numClasses() {
    return outputSize();
  }

  static StructType outputSchema(StructType schema, String prediction, String probability, String raw) {
    SchemaChecks.requireAbsent(schema, prediction);
    SchemaChecks.requireAbsent(schema, probability);
    SchemaChecks.requireAbsent(schema, raw);
    return schema.add(prediction, DataTypes.DoubleType, false)
        .add(probability, SQLDataTypes.VectorType(), false)
        .add(raw, SQLDataTypes.VectorType(), false);
  }

  @Override
  StructType withOutputColumns(StructType schema) {
    return outputSchema(schema, getOrDefault(predictionCol()), getOrDefault(probabilityCol),
        getOrDefault(rawPredictionCol));
  }

  /** ML persistence: {@code NeuralNetworkClassificationModel.read().load(path)}. */
  public static MLReader<NeuralNetworkClassificationModel> read() {
    return new ModelPersistence.Reader<>((uid, net) -> new NeuralNetworkClassificationModel(uid, net, null));
  }

  public static NeuralNetworkClassificationModel load(String path) {
    return read().load(path);
  }
}
