package dev.dendrite.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
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
 * The estimators in Spark ML: a Pipeline with VectorAssembler and StandardScaler, CrossValidator and
 * TrainValidationSplit over a small grid, Spark's evaluators on the output columns, and ML persistence.
 */
class EstimatorTest {

  private static SparkSession spark;
  private static Dataset<Row> table;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("estimator-test")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    // three raw columns on different scales; class = which of three rings around the origin (x, y) lies in;
    // target = a smooth function of the same columns, for the regressor
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.DoubleType)
        .add("noise", DataTypes.DoubleType).add("label", DataTypes.DoubleType).add("target", DataTypes.DoubleType);
    Random rng = new Random(4);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      int c = i % 3;
      double r = 1 + c + rng.nextDouble() * 0.6;
      double a = rng.nextDouble() * 2 * Math.PI;
      double x = r * Math.cos(a) * 100;
      double y = r * Math.sin(a);
      rows.add(RowFactory.create(x, y, rng.nextGaussian() * 1000, (double) c, Math.sin(x / 100) + 0.5 * y));
    }
    table = spark.createDataFrame(rows, schema).repartition(2).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static PipelineStage[] features() {
    return new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"x", "y", "noise"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)};
  }

  @Test
  void classifierInAPipelineWithEvaluatorAndPersistence(@TempDir Path dir) throws Exception {
    Dataset<Row>[] split = table.randomSplit(new double[] {0.8, 0.2}, 1);
    NeuralNetworkClassifier nn = new NeuralNetworkClassifier().setHiddenLayers(new int[] {32, 16})
        .setEpochs(30).setBatchSize(32).setLearningRate(0.01).setSeed(3).setMode("auto");
    PipelineStage[] stages = {features()[0], features()[1], nn};
    PipelineModel model = new Pipeline().setStages(stages).fit(split[0]);
    Dataset<Row> predictions = model.transform(split[1]);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    double logLoss = new MulticlassClassificationEvaluator().setMetricName("logLoss").evaluate(predictions);
    assertTrue(logLoss < 0.4, "log loss " + logLoss);

    NeuralNetworkClassificationModel nnModel = (NeuralNetworkClassificationModel) model.stages()[2];
    assertEquals(3, nnModel.numClasses());
    assertEquals(30, nnModel.history().epochs().size());

    String path = dir.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> a = predictions.select("probability").collectAsList();
    List<Row> b = loaded.transform(split[1]).select("probability").collectAsList();
    assertEquals(a, b, "a reloaded model predicts exactly the same probabilities");
    NeuralNetworkClassificationModel reloaded = (NeuralNetworkClassificationModel) loaded.stages()[2];
    assertArrayEquals(nnModel.network().parameters(), reloaded.network().parameters());
  }

  @Test
  void crossValidatorPicksFromAGrid() {
    NeuralNetworkClassifier nn = new NeuralNetworkClassifier().setEpochs(8).setBatchSize(64).setSeed(3)
        .setMode("auto");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {features()[0], features()[1], nn});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(nn.learningRate(), new double[] {1e-4, 3e-2})
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setNumFolds(2)
        .setSeed(5).fit(table);
    double[] metrics = cv.avgMetrics();
    assertEquals(2, metrics.length);
    assertTrue(metrics[1] > metrics[0], "lr 3e-2 learns more in 8 epochs than 1e-4: " + metrics[0] + " vs "
        + metrics[1]);
  }

  @Test
  void regressorWithTrainValidationSplit() {
    NeuralNetworkRegressor nn = new NeuralNetworkRegressor().setHiddenLayers(new int[] {32}).setActivation("tanh")
        .setEpochs(30).setBatchSize(48).setSeed(2).setMode("allreduce").setLearningRate(0.01)
        .setLabelCol("target");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {features()[0], features()[1], nn});
    ParamMap[] grid = new ParamGridBuilder().addGrid(nn.epochs(), new int[] {1, 25}).build();
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setLabelCol("target").setMetricName("rmse")).setTrainRatio(0.75)
        .setSeed(7).fit(table);
    assertTrue(tvs.validationMetrics()[1] < tvs.validationMetrics()[0], "25 epochs beat 1");
    double r2 = new RegressionEvaluator().setLabelCol("target").setMetricName("r2")
        .evaluate(tvs.transform(table));
    assertTrue(r2 > 0.9, "R² " + r2);
  }

  @Test
  void badParametersFailAtSetTimeNamingTheParameter() {
    NeuralNetworkClassifier nn = new NeuralNetworkClassifier();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nn.setBatchSize(0));
    assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> nn.setOptimizer("adamax"));
    assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> nn.setActivation("relux"));
    assertTrue(e.getMessage().contains("activation"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> nn.setLearningRate(-1));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
  }
}
