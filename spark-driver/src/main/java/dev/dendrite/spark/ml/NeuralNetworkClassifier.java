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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer network classifier trained data-parallel on Spark: hidden dense layers, a softmax output
 * with one unit per class (classes are {@code 0..max(label)}), sparse categorical cross-entropy.
 * <pre>{@code
 * NeuralNetworkClassifier nn = new NeuralNetworkClassifier()
 *     .setLayers(new int[] {256, 128}).setEpochs(10).setBatchSize(128).setLearningRate(1e-3);
 * NeuralNetworkClassificationModel model = nn.fit(train);
 * model.transform(test);   // adds prediction, probability, rawPrediction
 * }</pre>
 */
public final class NeuralNetworkClassifier extends NeuralNetworkEstimator<NeuralNetworkClassificationModel>
    implements DefaultParamsWritable {

  private static final long serialVersionUID = 1L;

  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  public NeuralNetworkClassifier() {
    this(Identifiable.randomUID("nnClassifier"));
  }

  public NeuralNetworkClassifier(String uid) {
    super(uid, "sparse_categorical_crossentropy");
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column", nonEmpty());
    rawPredictionCol = new Param<>(this, "rawPredictionCol", "raw scores column (the network's outputs)",
        nonEmpty());
    setDefault(probabilityCol, "probability");
    setDefault(rawPredictionCol, "rawPrediction");
  }

  public static DefaultParamsReadable<NeuralNetworkClassifier> reader() {
    return new DefaultParamsReadable<>() { };
  }

  /** ML persistence: {@code NeuralNetworkClassifier.read().load(path)}. */
  public static org.apache.spark.ml.util.MLReader<NeuralNetworkClassifier> read() {
    return reader().read();
  }

  public static NeuralNetworkClassifier load(String path) {
    return read().load(path);
  }

  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> rawPredictionCol() { return rawPredictionCol; }

  public NeuralNetworkClassifier setFeaturesCol(String v) { set(featuresCol, v); return this; }
  public NeuralNetworkClassifier setLabelCol(String v) { set(labelCol, v); return this; }
  public NeuralNetworkClassifier setWeightCol(String v) { set(weightCol, v); return this; }
  public NeuralNetworkClassifier setPredictionCol(String v) { set(predictionCol, v); return this; }
  public NeuralNetworkClassifier setProbabilityCol(String v) { set(probabilityCol, v); return this; }
  public NeuralNetworkClassifier setRawPredictionCol(String v) { set(rawPredictionCol, v); return this; }
  public NeuralNetworkClassifier setLayers(int[] v) { set(layers, v); return this; }
  public NeuralNetworkClassifier setActivation(String v) { set(activation, v); return this; }
  public NeuralNetworkClassifier setDropout(double v) { set(dropout, v); return this; }
  public NeuralNetworkClassifier setL2(double v) { set(l2, v); return this; }
  public NeuralNetworkClassifier setOptimizer(String v) { set(optimizer, v); return this; }
  public NeuralNetworkClassifier setLearningRate(double v) { set(learningRate, v); return this; }
  public NeuralNetworkClassifier setBatchSize(int v) { set(batchSize, v); return this; }
  public NeuralNetworkClassifier setEpochs(int v) { set(epochs, v); return this; }
  public NeuralNetworkClassifier setSeed(long v) { set(seed, v); return this; }
  public NeuralNetworkClassifier setMode(String v) { set(mode, v); return this; }
  public NeuralNetworkClassifier setAveragingFrequency(int v) { set(averagingFrequency, v); return this; }
  public NeuralNetworkClassifier setPartitions(int v) { set(partitions, v); return this; }
  public NeuralNetworkClassifier setCheckpointDir(String v) { set(checkpointDir, v); return this; }
  public NeuralNetworkClassifier setCheckpointInterval(int v) { set(checkpointInterval, v); return this; }
  public NeuralNetworkClassifier setClipNorm(double v) { set(clipNorm, v); return this; }
  public NeuralNetworkClassifier setValidationFraction(double v) { set(validationFraction, v); return this; }
  public NeuralNetworkClassifier setEarlyStoppingPatience(int v) { set(earlyStoppingPatience, v); return this; }
  public NeuralNetworkClassifier setVerbose(boolean v) { set(verbose, v); return this; }

  @Override
  public NeuralNetworkClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    String label = getOrDefault(labelCol);
    Row stats = dataset.agg(functions.min(label), functions.max(label)).head();
    if (stats.isNullAt(0)) {
      throw new IllegalArgumentException("cannot train a classifier on an empty dataset");
    }
    double min = ((Number) stats.get(0)).doubleValue();
    double max = ((Number) stats.get(1)).doubleValue();
    if (min < 0 || max != Math.rint(max)) {
      throw new IllegalArgumentException("column '" + label + "' must hold class indices 0, 1, 2, ... "
          + "(use StringIndexer); found values from " + min + " to " + max);
    }
    int classes = Math.max(2, (int) max + 1);
    int inputs = featureWidth(dataset, getOrDefault(featuresCol));
    NetworkConfig config = networkConfig(inputs, classes, "softmax");
    History[] history = new History[1];
    Network network = trainNetwork(dataset, config, history);
    NeuralNetworkClassificationModel model = new NeuralNetworkClassificationModel(uid(), network, history[0]);
    copyValues(model, extractParamMap());
    return model.setParent(this);
  }

  @Override
  StructType outputSchema(StructType schema) {
    return NeuralNetworkClassificationModel.outputSchema(schema, getOrDefault(predictionCol),
        getOrDefault(probabilityCol), getOrDefault(rawPredictionCol));
  }

  @Override
  public NeuralNetworkClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
