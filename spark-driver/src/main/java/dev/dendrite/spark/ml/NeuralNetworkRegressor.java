package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer network regressor trained data-parallel on Spark, a Spark {@code Regressor}: hidden dense
 * layers, one linear output (two for Gaussian NLL: mean and variance), mean squared error by default
 * (any regression loss: mae, msle, gaussian_nll...).
 * <pre>{@code
 * NeuralNetworkRegressionModel model = new NeuralNetworkRegressor().setHiddenLayers(new int[] {32}).fit(train);
 * model.transform(test);   // adds prediction
 * }</pre>
 * {@code layers} is read as in MLlib (input size, hidden sizes, output size) and must match the data;
 * {@code hiddenLayers} gives the hidden sizes alone. Bad rows (a null or non-finite feature or label, a
 * vector of another size, a negative weight) fail {@code fit} naming the column, the row and the value.
 */
public final class NeuralNetworkRegressor
    extends Regressor<Vector, NeuralNetworkRegressor, NeuralNetworkRegressionModel>
    implements DefaultParamsWritable {

  private static final long serialVersionUID = 2L;

  private final String uid;
  final NetworkParams net;

  public NeuralNetworkRegressor() {
    this(Identifiable.randomUID("nnRegressor"));
  }

  public NeuralNetworkRegressor(String uid) {
    this(UidHandoff.of(uid));
  }

  private NeuralNetworkRegressor(UidHandoff uid) {
    this.uid = uid.take();
    net = new NetworkParams(this, "mse");
  }

  @Override
  public String uid() {
    return uid != null ? uid : UidHandoff.pending();
  }

  public static DefaultParamsReadable<NeuralNetworkRegressor> reader() {
    return new DefaultParamsReadable<>() { };
  }

  /** ML persistence: {@code NeuralNetworkRegressor.read().load(path)}. */
  public static MLReader<NeuralNetworkRegressor> read() {
    return reader().read();
  }

  public static NeuralNetworkRegressor load(String path) {
    return read().load(path);
  }

  // ---- parameters (public accessors, found by Spark's Params reflection) and setters ----

  public Param<String> weightCol() { return net.weightCol; }
  public IntArrayParam layers() { return net.layers; }
  public IntArrayParam hiddenLayers() { return net.hiddenLayers; }
  public Param<Vector> initialWeights() { return net.initialWeights; }
  public Param<String> activation() { return net.activation; }
  public DoubleParam dropout() { return net.dropout; }
  public DoubleParam l2() { return net.l2; }
  public Param<String> loss() { return net.loss; }
  public Param<String> optimizer() { return net.optimizer; }
  public DoubleParam learningRate() { return net.learningRate; }
  public IntParam batchSize() { return net.batchSize; }
  public IntParam epochs() { return net.epochs; }
  public LongParam seed() { return net.seed; }
  public Param<String> mode() { return net.mode; }
  public IntParam averagingFrequency() { return net.averagingFrequency; }
  public IntParam partitions() { return net.partitions; }
  public Param<String> checkpointDir() { return net.checkpointDir; }
  public IntParam checkpointInterval() { return net.checkpointInterval; }
  public DoubleParam clipNorm() { return net.clipNorm; }
  public DoubleParam validationFraction() { return net.validationFraction; }
  public IntParam earlyStoppingPatience() { return net.earlyStoppingPatience; }
  public BooleanParam verbose() { return net.verbose; }

  public NeuralNetworkRegressor setWeightCol(String v) { set(net.weightCol, v); return this; }
  public NeuralNetworkRegressor setLayers(int[] v) { set(net.layers, v); return this; }
  public NeuralNetworkRegressor setHiddenLayers(int[] v) { set(net.hiddenLayers, v); return this; }
  public NeuralNetworkRegressor setInitialWeights(Vector v) { set(net.initialWeights, v); return this; }
  public NeuralNetworkRegressor setActivation(String v) { set(net.activation, v); return this; }
  public NeuralNetworkRegressor setDropout(double v) { set(net.dropout, v); return this; }
  public NeuralNetworkRegressor setL2(double v) { set(net.l2, v); return this; }
  public NeuralNetworkRegressor setLoss(String v) { set(net.loss, v); return this; }
  public NeuralNetworkRegressor setOptimizer(String v) { set(net.optimizer, v); return this; }
  public NeuralNetworkRegressor setLearningRate(double v) { set(net.learningRate, v); return this; }
  public NeuralNetworkRegressor setBatchSize(int v) { set(net.batchSize, v); return this; }
  public NeuralNetworkRegressor setEpochs(int v) { set(net.epochs, v); return this; }
  public NeuralNetworkRegressor setSeed(long v) { set(net.seed, v); return this; }
  public NeuralNetworkRegressor setMode(String v) { set(net.mode, v); return this; }
  public NeuralNetworkRegressor setAveragingFrequency(int v) { set(net.averagingFrequency, v); return this; }
  public NeuralNetworkRegressor setPartitions(int v) { set(net.partitions, v); return this; }
  public NeuralNetworkRegressor setCheckpointDir(String v) { set(net.checkpointDir, v); return this; }
  public NeuralNetworkRegressor setCheckpointInterval(int v) { set(net.checkpointInterval, v); return this; }
  public NeuralNetworkRegressor setClipNorm(double v) { set(net.clipNorm, v); return this; }
  public NeuralNetworkRegressor setValidationFraction(double v) { set(net.validationFraction, v); return this; }
  public NeuralNetworkRegressor setEarlyStoppingPatience(int v) { set(net.earlyStoppingPatience, v); return this; }
  public NeuralNetworkRegressor setVerbose(boolean v) { set(net.verbose, v); return this; }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol());
    SchemaChecks.requireNumeric(schema, getLabelCol());
    return super.transformSchema(schema);
  }

  /** Called by {@code fit} (Spark's {@code Predictor}), with the label column already cast to double. */
  @Override
  public NeuralNetworkRegressionModel train(Dataset<?> dataset) {
    String loss = net.trainingConfig().loss();
    int outputs = "gaussian_nll".equals(loss) ? 2 : 1;
    int targets = net.trainingConfig().createLoss().targetWidth(outputs);
    if (targets != 1) {
      throw new IllegalArgumentException("loss " + loss + " needs " + targets + " target values per example, "
          + "but the regressor's label column '" + getLabelCol() + "' holds one number per row");
    }
    int inputs = NetworkParams.featureWidth(dataset, getFeaturesCol());
    String what = outputs == 1 ? "1 output" : outputs + " outputs (mean and variance, for " + loss + ")";
    NetworkConfig config = net.networkConfig(inputs, outputs, "identity", what);
    History[] history = new History[1];
    Network network = net.trainNetwork(dataset, getFeaturesCol(), getLabelCol(), config,
        FrameExamples.Labels.numbers(), history);
    return new NeuralNetworkRegressionModel(uid(), network, history[0]);
  }

  @Override
  public NeuralNetworkRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
