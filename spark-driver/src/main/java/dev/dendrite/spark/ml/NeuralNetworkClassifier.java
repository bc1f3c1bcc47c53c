package dev.dendrite.spark.ml;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.History;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer network classifier trained data-parallel on Spark, a Spark {@code ProbabilisticClassifier}
 * in place of MLlib's {@code MultilayerPerceptronClassifier}: hidden dense layers, a softmax output with
 * one unit per class, sparse categorical cross-entropy.
 * <pre>{@code
 * NeuralNetworkClassifier nn = new NeuralNetworkClassifier()
 *     .setHiddenLayers(new int[] {256, 128})      // or MLlib's form: setLayers(new int[] {784, 256, 128, 10})
 *     .setEpochs(10).setBatchSize(128).setLearningRate(1e-3);
 * NeuralNetworkClassificationModel model = nn.fit(train);
 * model.transform(test);   // adds rawPrediction (logits), probability (softmax), prediction
 * }</pre>
 *
 * <p>Labels are class indices 0, 1, ..., k-1 (StringIndexer makes them), with k at most
 * {@link #MAX_CLASSES}; k is the label column's number of nominal values when its ML attributes say,
 * else the largest label + 1 (at least 2). {@code layers} is read as in MLlib (input size, hidden sizes,
 * output size) and must match the data; {@code hiddenLayers} gives the hidden sizes alone. Bad rows (a
 * null or non-finite feature, a vector of another size, a label that is not a class index, a negative
 * weight) fail {@code fit} with an {@code IllegalArgumentException} naming the column, the row and the value.
 */
public final class NeuralNetworkClassifier
    extends ProbabilisticClassifier<Vector, NeuralNetworkClassifier, NeuralNetworkClassificationModel>
    implements DefaultParamsWritable {

  private static final long serialVersionUID = 2L;

  /**
   * The most classes {@code fit} accepts. A label is a class index and the output layer has one unit per
   * class, so a stray label such as 1e9 would ask for a network of a billion outputs: refused on the driver,
   * naming the column and the value, before any network is built.
   */
  public static final int MAX_CLASSES = 10_000;

  private final String uid;
  final NetworkParams net;

  public NeuralNetworkClassifier() {
    this(Identifiable.randomUID("nnClassifier"));
  }

  public NeuralNetworkClassifier(String uid) {
    this(UidHandoff.of(uid));
  }

  private NeuralNetworkClassifier(UidHandoff uid) {
    this.uid = uid.take();
    net = new NetworkParams(this, "sparse_categorical_crossentropy");
  }

  @Override
  public String uid() {
    return uid != null ? uid : UidHandoff.pending();
  }

  public static DefaultParamsReadable<NeuralNetworkClassifier> reader() {
    return new DefaultParamsReadable<>() { };
  }

  /** ML persistence: {@code NeuralNetworkClassifier.read().load(path)}. */
  public static MLReader<NeuralNetworkClassifier> read() {
    return reader().read();
  }

  public static NeuralNetworkClassifier load(String path) {
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

  public NeuralNetworkClassifier setWeightCol(String v) { set(net.weightCol, v); return this; }
  public NeuralNetworkClassifier setLayers(int[] v) { set(net.layers, v); return this; }
  public NeuralNetworkClassifier setHiddenLayers(int[] v) { set(net.hiddenLayers, v); return this; }
  public NeuralNetworkClassifier setInitialWeights(Vector v) { set(net.initialWeights, v); return this; }
  public NeuralNetworkClassifier setActivation(String v) { set(net.activation, v); return this; }
  public NeuralNetworkClassifier setDropout(double v) { set(net.dropout, v); return this; }
  public NeuralNetworkClassifier setL2(double v) { set(net.l2, v); return this; }
  public NeuralNetworkClassifier setOptimizer(String v) { set(net.optimizer, v); return this; }
  public NeuralNetworkClassifier setLearningRate(double v) { set(net.learningRate, v); return this; }
  public NeuralNetworkClassifier setBatchSize(int v) { set(net.batchSize, v); return this; }
  public NeuralNetworkClassifier setEpochs(int v) { set(net.epochs, v); return this; }
  public NeuralNetworkClassifier setSeed(long v) { set(net.seed, v); return this; }
  public NeuralNetworkClassifier setMode(String v) { set(net.mode, v); return this; }
  public NeuralNetworkClassifier setAveragingFrequency(int v) { set(net.averagingFrequency, v); return this; }
  public NeuralNetworkClassifier setPartitions(int v) { set(net.partitions, v); return this; }
  public NeuralNetworkClassifier setCheckpointDir(String v) { set(net.checkpointDir, v); return this; }
  public NeuralNetworkClassifier setCheckpointInterval(int v) { set(net.checkpointInterval, v); return this; }
  public NeuralNetworkClassifier setClipNorm(double v) { set(net.clipNorm, v); return this; }
  public NeuralNetworkClassifier setValidationFraction(double v) { set(net.validationFraction, v); return this; }
  public NeuralNetworkClassifier setEarlyStoppingPatience(int v) { set(net.earlyStoppingPatience, v); return this; }
  public NeuralNetworkClassifier setVerbose(boolean v) { set(net.verbose, v); return this; }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol());
    SchemaChecks.requireNumeric(schema, getLabelCol());
    return super.transformSchema(schema);
  }

  /** Called by {@code fit} (Spark's {@code Predictor}), with the label column already cast to double. */
  @Override
  public NeuralNetworkClassificationModel train(Dataset<?> dataset) {
    String label = getLabelCol();
    int classes = ClassCount.of(dataset, label, MAX_CLASSES);
    int inputs = NetworkParams.featureWidth(dataset, getFeaturesCol());
    NetworkConfig config = net.networkConfig(inputs, classes, "softmax", classes + " classes");
    History[] history = new History[1];
    Network network = net.trainNetwork(dataset, getFeaturesCol(), label, config,
        FrameExamples.Labels.classIndices(classes), history);
    return new NeuralNetworkClassificationModel(uid(), network, history[0]);
  }

  @Override
  public NeuralNetworkClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
