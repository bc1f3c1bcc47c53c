package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
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
 * A trained network classifier: {@code transform} adds {@code prediction} (the arg-max class),
 * {@code probability} (the softmax output) and {@code rawPrediction} (the same scores, as Spark's
 * evaluators expect), computed in batches per partition.
 */
public final class NeuralNetworkClassificationModel extends Model<NeuralNetworkClassificationModel>
    implements MLWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final transient Network network;
  private final transient History history;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  NeuralNetworkClassificationModel(String uid, Network network, History history) {
    this.uid = uid;
    this.network = network;
    this.history = history;
    featuresCol = new Param<>(this, "featuresCol", "features column (ml.linalg.Vector)",
        NeuralNetworkEstimator.nonEmpty());
    predictionCol = new Param<>(this, "predictionCol", "prediction column", NeuralNetworkEstimator.nonEmpty());
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column",
        NeuralNetworkEstimator.nonEmpty());
    rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw scores column",
        NeuralNetworkEstimator.nonEmpty());
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> rawPredictionCol() { return rawPredictionCol; }

  public NeuralNetworkClassificationModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public NeuralNetworkClassificationModel setPredictionCol(String v) { set(predictionCol, v); return this; }
  public NeuralNetworkClassificationModel setProbabilityCol(String v) { set(probabilityCol, v); return this; }
  public NeuralNetworkClassificationModel setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }

  /** The trained network (a copy: the model stays immutable). */
  public Network network() {
    return network.copy();
  }

  /** The training history (null for a model loaded from disk). */
  public History history() {
    return history;
  }

  public int numClasses() {
    return network.outputSize();
  }

  public int numFeatures() {
    return network.inputSize();
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
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getOrDefault(featuresCol));
    return outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol),
        getOrDefault(rawPredictionCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    int featuresIndex = dataset.schema().fieldIndex(getOrDefault(featuresCol));
    return dataset.toDF().mapPartitions(new NetworkTransform(network, featuresIndex, (y, offset, width) -> {
      double[] p = new double[width];
      int best = 0;
      for (int j = 0; j < width; j++) {
        p[j] = y[offset + j];
        if (p[j] > p[best]) {
          best = j;
        }
      }
      return new Object[] {(double) best, new DenseVector(p), new DenseVector(p.clone())};
    }), Encoders.row(out));
  }

  @Override
  public NeuralNetworkClassificationModel copy(ParamMap extra) {
    NeuralNetworkClassificationModel copy = new NeuralNetworkClassificationModel(uid, network, history);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this, network);
  }

  public static org.apache.spark.ml.util.MLReader<NeuralNetworkClassificationModel> read() {
    return new ModelPersistence.Reader<>((uid, net) -> new NeuralNetworkClassificationModel(uid, net, null));
  }

  public static NeuralNetworkClassificationModel load(String path) {
    return read().load(path);
  }
}
