package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer network regressor trained data-parallel on Spark: hidden dense layers, one linear output,
 * mean squared error by default (any regression loss: mae, msle...).
 * <pre>{@code
 * NeuralNetworkRegressionModel model = new NeuralNetworkRegressor().setLayers(new int[] {32}).fit(train);
 * model.transform(test);   // adds prediction
 * }</pre>
 */
public final class NeuralNetworkRegressor extends NeuralNetworkEstimator<NeuralNetworkRegressionModel>
    implements DefaultParamsWritable {

  private static final long serialVersionUID = 1L;


  public NeuralNetworkRegressor() {
    this(Identifiable.randomUID("nnRegressor"));
  }

  public NeuralNetworkRegressor(String uid) {
    super(uid, "mse");
  }

  public static DefaultParamsReadable<NeuralNetworkRegressor> reader() {
    return new DefaultParamsReadable<>() { };
  }

  /** ML persistence: {@code NeuralNetworkRegressor.read().load(path)}. */
  public static org.apache.spark.ml.util.MLReader<NeuralNetworkRegressor> read() {
    return reader().read();
  }

  public static NeuralNetworkRegressor load(String path) {
    return read().load(path);
  }

  public NeuralNetworkRegressor setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public NeuralNetworkRegressor setLabelCol(String v) { set(labelCol, v); return this; }
  public NeuralNetworkRegressor setWeightCol(String v) { set(weightCol, v); return this; }
  public NeuralNetworkRegressor setPredictionCol(String v) { set(predictionCol, v); return this; }
  public NeuralNetworkRegressor setLoss(String v) { set(loss, v); return this; }
  public NeuralNetworkRegressor setLayers(int[] v) { set(layers, v); return this; }
  public NeuralNetworkRegressor setActivation(String v) { set(activation, v); return this; }
  public NeuralNetworkRegressor setDropout(double v) { set(dropout, v); return this; }
  public NeuralNetworkRegressor setL2(double v) { set(l2, v); return this; }
  public NeuralNetworkRegressor setOptimizer(String v) { set(optimizer, v); return this; }
  public NeuralNetworkRegressor setLearningRate(double v) { set(learningRate, v); return this; }
  public NeuralNetworkRegressor setBatchSize(int v) { set(batchSize, v); return this; }
  public NeuralNetworkRegressor setEpochs(int v) { set(epochs, v); return this; }
  public NeuralNetworkRegressor setSeed(long v) { set(seed, v); return this; }
  public NeuralNetworkRegressor setMode(String v) { set(mode, v); return this; }
  public NeuralNetworkRegressor setAveragingFrequency(int v) { set(averagingFrequency, v); return this; }
  public NeuralNetworkRegressor setPartitions(int v) { set(partitions, v); return this; }
  public NeuralNetworkRegressor setCheckpointDir(String v) { set(checkpointDir, v); return this; }
  public NeuralNetworkRegressor setCheckpointInterval(int v) { set(checkpointInterval, v); return this; }
  public NeuralNetworkRegressor setClipNorm(double v) { set(clipNorm, v); return this; }
  public NeuralNetworkRegressor setValidationFraction(double v) { set(validationFraction, v); return this; }
  public NeuralNetworkRegressor setEarlyStoppingPatience(int v) { set(earlyStoppingPatience, v); return this; }
  public NeuralNetworkRegressor setVerbose(boolean v) { set(verbose, v); return this; }

  @Override
  public NeuralNetworkRegressionModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    int inputs = featureWidth(dataset, getOrDefault(featuresCol));
    int outputs = "gaussian_nll".equals(getOrDefault(loss)) ? 2 : 1;
    NetworkConfig config = networkConfig(inputs, outputs, "identity");
    History[] history = new History[1];
    Network network = trainNetwork(dataset, config, history);
    NeuralNetworkRegressionModel model = new NeuralNetworkRegressionModel(uid(), network, history[0]);
    copyValues(model, extractParamMap());
    return model.setParent(this);
  }

  @Override
  StructType outputSchema(StructType schema) {
    return NeuralNetworkRegressionModel.outputSchema(schema, getOrDefault(predictionCol));
  }

  @Override
  public NeuralNetworkRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
