package dev.dendrite.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.classification.OneVsRestModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimators behave as a Spark user moving from MLlib's MultilayerPerceptronClassifier expects
 * (issue 18): Spark's classifier and regressor types and column meanings, evaluators, OneVsRest and
 * CrossValidator unchanged, MLlib's {@code layers}, {@code initialWeights}, a cap on the number of classes,
 * and bad rows reported at {@code fit} naming column, row and value.
 */
class SparkMlConventionsTest {

  private static SparkSession spark;
  /** Two features, class = which of three rings the point lies in. */
  private static Dataset<Row> rings;
  /** Two features, class 1 when x + y > 0. */
  private static Dataset<Row> halves;

  private static final StructType SCHEMA = new StructType().add("features", SQLDataTypes.VectorType())
      .add("label", DataTypes.DoubleType).add("w", DataTypes.DoubleType);

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("spark-ml-conventions-test")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    Random rng = new Random(8);
    List<Row> ringRows = new ArrayList<>();
    List<Row> halfRows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int c = i % 3;
      double r = 1 + c + rng.nextDouble() * 0.6;
      double a = rng.nextDouble() * 2 * Math.PI;
      ringRows.add(RowFactory.create(Vectors.dense(r * Math.cos(a), r * Math.sin(a)), (double) c, 1.0));
      double x = rng.nextGaussian();
      double y = rng.nextGaussian();
      halfRows.add(RowFactory.create(Vectors.dense(x, y), x + y > 0 ? 1.0 : 0.0, 1.0));
    }
    rings = spark.createDataFrame(ringRows, SCHEMA).repartition(2).cache();
    halves = spark.createDataFrame(halfRows, SCHEMA).repartition(2).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static NeuralNetworkClassifier classifier() {
    return new NeuralNetworkClassifier().setHiddenLayers(new int[] {16}).setEpochs(15).setBatchSize(32)
        .setLearningRate(0.02).setSeed(3).setMode("allreduce");
  }

  /** Rows in one partition, in list order: row i of the frame is rows.get(i). */
  private static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA).coalesce(1);
  }

  private static List<Row> goodRows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(Vectors.dense(i % 5, (i * 7) % 3), (double) (i % 2), 1.0));
    }
    return rows;
  }

  @Test
  void evaluatorsOneVsRestAndCrossValidatorTakeTheModelsUnchanged() {
    NeuralNetworkClassificationModel binary = classifier().fit(halves);
    assertTrue(binary instanceof ProbabilisticClassificationModel);
    Dataset<Row> scored = binary.transform(halves);
    double auc = new BinaryClassificationEvaluator().setRawPredictionCol("rawPrediction")
        .setMetricName("areaUnderROC").evaluate(scored);
    assertTrue(auc > 0.97, "area under ROC from the logits: " + auc);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);

    OneVsRestModel ovr = new OneVsRest().setClassifier(classifier()).fit(rings);
    double ovrAccuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(ovr.transform(rings));
    assertTrue(ovrAccuracy > 0.85, "one-vs-rest accuracy " + ovrAccuracy);

    NeuralNetworkClassifier nn = classifier().setEpochs(6);
    ParamMap[] grid = new ParamGridBuilder().addGrid(nn.learningRate(), new double[] {1e-5, 3e-2}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(nn).setEstimatorParamMaps(grid)
        .setEvaluator(new BinaryClassificationEvaluator()).setNumFolds(2).setSeed(5).fit(halves);
    assertTrue(cv.avgMetrics()[1] > cv.avgMetrics()[0], "AUC by learning rate: " + cv.avgMetrics()[0] + ", "
        + cv.avgMetrics()[1]);
    assertTrue(cv.bestModel() instanceof NeuralNetworkClassificationModel);
  }

  @Test
  void regressorIsASparkRegressorWhoseSingleRowPredictMatchesTransform() {
    NeuralNetworkRegressionModel model = new NeuralNetworkRegressor().setHiddenLayers(new int[] {8}).setEpochs(2)
        .setSeed(1).setMode("allreduce").fit(halves);
    assertTrue(model instanceof RegressionModel);
    for (Row row : model.transform(halves).limit(50).collectAsList()) {
      // the same network; a batch of one may sum the products in another order (float rounding)
      assertEquals(model.predict((Vector) row.get(0)), row.getDouble(3), 1e-6);
    }
  }

  @Test
  void layersIsReadAsInMLlibAndAMismatchSaysWhatToWrite() {
    NeuralNetworkClassificationModel model = classifier().setHiddenLayers(new int[0]).setEpochs(1).fit(rings);
    assertEquals("[2 -> 3]", NetworkParams.describe(model.network().config()));
    NeuralNetworkClassificationModel mllib = new NeuralNetworkClassifier().setLayers(new int[] {2, 7, 5, 3})
        .setEpochs(1).setMode("allreduce").fit(rings);
    assertEquals("[2 -> 7 -> 5 -> 3]", NetworkParams.describe(mllib.network().config()));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NeuralNetworkClassifier().setLayers(new int[] {4, 5, 3}).fit(rings));
    assertEquals("layers [4, 5, 3] is read as in MLlib: input size, hidden sizes, output size. The data has 2 "
        + "features and 3 classes, so it must start with 2 and end with 3: write [2, 5, 3], or "
        + "setHiddenLayers([4, 5, 3]) for 3 hidden layers of these sizes", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new NeuralNetworkClassifier().setLayers(new int[] {2, 5, 3}).setHiddenLayers(new int[] {5}).fit(rings));
    assertTrue(e.getMessage().startsWith("set either layers"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new NeuralNetworkClassifier().setLayers(new int[] {3}));
    assertTrue(e.getMessage().contains("layers"), e.getMessage());
  }

  @Test
  void initialWeightsAreWhereTrainingStartsAndAWrongLengthNamesBoth(@TempDir Path dir) throws Exception {
    NeuralNetworkClassificationModel first = classifier().setEpochs(2).fit(rings);
    Vector start = first.weights();
    // plain SGD with a vanishing step: training from the given weights ends (almost) where it started
    NeuralNetworkClassificationModel again = classifier().setEpochs(1).setOptimizer("sgd").setLearningRate(1e-12)
        .setSeed(99).setInitialWeights(start).fit(rings);
    double[] a = start.toArray();
    double[] b = again.weights().toArray();
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-6, "weight " + i);
    }
    NeuralNetworkClassificationModel fresh = classifier().setEpochs(1).setOptimizer("sgd").setLearningRate(1e-12)
        .setSeed(99).fit(rings);
    assertTrue(Math.abs(fresh.weights().apply(0) - a[0]) > 1e-4, "without initialWeights the seed decides");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> classifier().setInitialWeights(Vectors.zeros(10)).fit(rings));
    assertEquals("initialWeights has 10 values, but the network [2 -> 16 -> 3] has " + a.length + " parameters",
        e.getMessage());

    String path = dir.resolve("estimator").toString();
    classifier().setInitialWeights(start).write().save(path);
    NeuralNetworkClassifier loaded = NeuralNetworkClassifier.load(path);
    assertArrayEquals(a, loaded.getOrDefault(loaded.initialWeights()).toArray(), "initialWeights persist");
  }

  @Test
  void aHugeLabelIsRefusedOnTheDriverNamingColumnValueAndCap() {
    List<Row> rows = goodRows(20);
    rows.set(13, RowFactory.create(Vectors.dense(1, 2), 1e9, 1.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(frame(rows)));
    assertEquals("column 'label' holds the value 1.0E9, but a classifier's labels are class indices 0, 1, ..., k-1 "
        + "with k at most 10000 (the network has one output per class); index the labels with StringIndexer",
        e.getMessage());
  }

  @Test
  void badRowsFailFitNamingColumnRowAndValue() {
    List<Row> nan = goodRows(40);
    nan.set(27, RowFactory.create(Vectors.dense(1, Double.NaN), 1.0, 1.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(frame(nan)));
    assertEquals("the training DataFrame, row 27 (counted from 0), column 'features' (element 1): 'NaN' is not a "
        + "finite number: features must be finite (impute or drop such rows first)", e.getMessage());

    List<Row> half = goodRows(40);
    half.set(5, RowFactory.create(Vectors.dense(1, 2), 0.5, 1.0));
    e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(frame(half)));
    assertEquals("the training DataFrame, row 5 (counted from 0), column 'label': '0.5' is not a class index: a "
        + "classifier's labels must be 0, 1, ..., 1 (index other labels with StringIndexer)", e.getMessage());

    List<Row> wide = goodRows(40);
    wide.set(31, RowFactory.create(Vectors.dense(1, 2, 3), 1.0, 1.0));
    e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(frame(wide)));
    assertTrue(e.getMessage().startsWith("the training DataFrame, row 31 (counted from 0), column 'features': "
        + "'[1.0,2.0,3.0]' has 3 values, but the features vectors of this DataFrame have 2"), e.getMessage());

    List<Row> weight = goodRows(40);
    weight.set(2, RowFactory.create(Vectors.dense(1, 2), 1.0, -1.0));
    e = assertThrows(IllegalArgumentException.class, () -> classifier().setWeightCol("w").fit(frame(weight)));
    assertEquals("the training DataFrame, row 2 (counted from 0), column 'w': '-1.0' is not a weight: weights must "
        + "be finite and >= 0", e.getMessage());

    // over several partitions and with a validation split, the row number is still the frame's
    List<Row> late = goodRows(300);
    late.set(250, RowFactory.create(Vectors.dense(1, 2), Double.NaN, 1.0));
    Dataset<Row> spread = spark.createDataFrame(late, SCHEMA);   // several partitions, list order kept
    assertTrue(spread.rdd().getNumPartitions() > 1);
    e = assertThrows(IllegalArgumentException.class, () -> new NeuralNetworkRegressor().setEpochs(1)
        .setValidationFraction(0.2).fit(spread));
    assertEquals("the training DataFrame, row 250 (counted from 0), column 'label': 'NaN' is not a finite number "
        + "(of float range)", e.getMessage());
  }
}
