package dev.dendrite.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.network.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLWritable;
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
 * The two trained-network models without training: their params, the columns {@code transform} adds and
 * their values, {@code copy}, schema refusals, and ML persistence (metadata naming the concrete class and
 * the params, the network in {@code data/model.dndr}, a reload that predicts the same).
 */
class NetworkModelTest {

  private static SparkSession spark;
  private static Dataset<Row> table;
  private static List<double[]> inputs;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("network-model-test")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
        .add("f", SQLDataTypes.VectorType(), false);
    inputs = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {  // more than one batch of 256 per partition
      double[] x = {Math.sin(i), Math.cos(0.3 * i), (i % 7) - 3.0};
      inputs.add(x);
      rows.add(RowFactory.create(i, Vectors.dense(x)));
    }
    table = spark.createDataFrame(rows, schema).repartition(2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Network classifierNetwork() {
    return Network.builder(3).dense(5, "tanh").dense(4, "softmax").seed(11).build();
  }

  private static Network regressorNetwork() {
    return Network.builder(3).dense(5, "tanh").dense(1, "identity").seed(12).build();
  }

  private static float[] expected(Network network, int id) {
    double[] x = inputs.get(id);
    return network.predict(new float[] {(float) x[0], (float) x[1], (float) x[2]});
  }

  private static Map<String, Object> metadata(Path saved) throws Exception {
    try (Stream<Path> files = Files.list(saved.resolve("metadata"))) {
      Path part = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
      String text = Files.readAllLines(part).get(0);
      return Json.parseObject(text, part.toString());
    }
  }

  private static List<String> paramNames(org.apache.spark.ml.param.Params p) {
    return Arrays.stream(p.params()).map(Param::name).collect(Collectors.toList());
  }

  @Test
  void classificationModelAddsLogitsSoftmaxAndArgMaxAsMLlibDoes() {
    Network network = classifierNetwork();
    NeuralNetworkClassificationModel model = new NeuralNetworkClassificationModel("nnClassifier_t1", network, null)
        .setFeaturesCol("f").setPredictionCol("pred");
    assertEquals(List.of("featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol",
        "thresholds"), paramNames(model));
    assertEquals(4, model.numClasses());
    assertEquals(3, model.numFeatures());
    Dataset<Row> out = model.transform(table);
    assertEquals(List.of("id", "f", "rawPrediction", "probability", "pred"), Arrays.asList(out.columns()));
    assertEquals(DataTypes.DoubleType, out.schema().apply("pred").dataType());
    assertEquals(SQLDataTypes.VectorType(), out.schema().apply("probability").dataType());
    List<Row> rows = out.collectAsList();
    assertEquals(300, rows.size());
    for (Row row : rows) {
      float[] y = expected(network, row.getInt(0));
      Vector raw = (Vector) row.get(2);
      Vector p = (Vector) row.get(3);
      assertEquals(4, p.size());
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < 4; j++) {
        max = Math.max(max, raw.apply(j));
      }
      double sum = 0;
      for (int j = 0; j < 4; j++) {
        sum += Math.exp(raw.apply(j) - max);
      }
      for (int j = 0; j < 4; j++) {
        assertEquals(y[j], p.apply(j), 1e-6, "probability " + j + " is the network's softmax output");
        assertEquals(p.apply(j), Math.exp(raw.apply(j) - max) / sum, 1e-12, "probability = softmax(rawPrediction)");
      }
      assertEquals(raw.argmax(), row.getDouble(4), 0.0);
    }
  }

  @Test
  void singleRowPredictRawAndProbabilityAgreeWithTheBatchedColumns() {
    NeuralNetworkClassificationModel model = new NeuralNetworkClassificationModel("nnClassifier_t2",
        classifierNetwork(), null).setFeaturesCol("f");
    for (double[] thresholds : new double[][] {null, {0.5, 0.1, 0.9, 0.3}}) {
      if (thresholds != null) {
        model.setThresholds(thresholds);
      }
      for (Row row : model.transform(table).collectAsList()) {
        Vector x = (Vector) row.get(1);
        // a batch of one may sum the products in another order than a batch of 256: float rounding only
        assertArrayEquals(model.predictRaw(x).toArray(), ((Vector) row.get(2)).toArray(), 1e-6,
            "rawPrediction of row " + row.getInt(0));
        assertArrayEquals(model.predictProbability(x).toArray(), ((Vector) row.get(3)).toArray(), 1e-6,
            "probability of row " + row.getInt(0));
        assertEquals(model.predict(x), row.getDouble(4), 0.0, "prediction of row " + row.getInt(0));
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.setThresholds(new double[] {0.5, 0.5}).transform(table));
    assertTrue(e.getMessage().contains("2") && e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void regressionModelAddsTheFirstOutput() {
    Network network = regressorNetwork();
    NeuralNetworkRegressionModel model = new NeuralNetworkRegressionModel("nnRegressor_t1", network, null)
        .setFeaturesCol("f");
    assertEquals(List.of("featuresCol", "labelCol", "predictionCol"), paramNames(model));
    assertEquals(3, model.numFeatures());
    Dataset<Row> out = model.transform(table);
    assertEquals(List.of("id", "f", "prediction"), Arrays.asList(out.columns()));
    for (Row row : out.collectAsList()) {
      assertEquals(expected(network, row.getInt(0))[0], row.getDouble(2), 1e-6);
      assertEquals(model.predict((Vector) row.get(1)), row.getDouble(2), 0.0, "single-row predict agrees");
    }
  }

  @Test
  void schemaRefusalsNameTheColumn() {
    NeuralNetworkClassificationModel c = new NeuralNetworkClassificationModel("c", classifierNetwork(), null)
        .setFeaturesCol("f").setProbabilityCol("id");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.transform(table));
    assertEquals("output column 'id' already exists", e.getMessage());
    NeuralNetworkRegressionModel r = new NeuralNetworkRegressionModel("r", regressorNetwork(), null)
        .setFeaturesCol("id");
    e = assertThrows(IllegalArgumentException.class, () -> r.transformSchema(table.schema()));
    assertTrue(e.getMessage().startsWith("column 'id' must be of type ml.linalg Vector"), e.getMessage());
    NeuralNetworkRegressionModel wide = new NeuralNetworkRegressionModel("w",
        Network.builder(4).dense(1, "identity").build(), null).setFeaturesCol("f");
    Exception failed = assertThrows(Exception.class, () -> wide.transform(table).collectAsList());
    Throwable cause = failed;
    while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    assertEquals("features vector of size 3, the model expects 4", cause.getMessage());
  }

  @Test
  void copyKeepsClassUidNetworkAndParamsAndAppliesExtras() {
    NeuralNetworkClassificationModel c = new NeuralNetworkClassificationModel("nnClassifier_c", classifierNetwork(),
        null).setFeaturesCol("f");
    NeuralNetworkClassificationModel cc = c.copy(new ParamMap().put(c.rawPredictionCol(), "raw"));
    assertNotSame(c, cc);
    assertEquals("nnClassifier_c", cc.uid());
    assertEquals("f", cc.getOrDefault(cc.featuresCol()));
    assertEquals("raw", cc.getOrDefault(cc.rawPredictionCol()));
    assertEquals("rawPrediction", c.getOrDefault(c.rawPredictionCol()));
    assertArrayEquals(c.network().parameters(), cc.network().parameters());

    NeuralNetworkRegressionModel r = new NeuralNetworkRegressionModel("nnRegressor_c", regressorNetwork(), null)
        .setPredictionCol("yhat");
    NeuralNetworkRegressionModel rc = r.copy(ParamMap.empty());
    assertEquals(NeuralNetworkRegressionModel.class, rc.getClass());
    assertEquals("nnRegressor_c", rc.uid());
    assertEquals("yhat", rc.getOrDefault(rc.predictionCol()));
    assertSame(r.history(), rc.history());
    assertArrayEquals(r.network().parameters(), rc.network().parameters());
  }

  /**
   * Saves {@code model} under {@code dir} and checks the layout: Spark's metadata naming the concrete class,
   * the uid and the params, and the network in {@code data/model.dndr}. Returns the path saved to.
   */
  private static String saveAndCheck(Model<?> model, Path dir, Map<String, Object> params,
                                     Map<String, Object> defaults) throws Exception {
    Path saved = dir.resolve(model.uid());
    ((MLWritable) model).write().save(saved.toString());
    assertTrue(Files.isRegularFile(saved.resolve(ModelPersistence.DATA_FILE)));
    Map<String, Object> meta = metadata(saved);
    assertEquals(model.getClass().getName(), meta.get("class"));
    assertEquals(model.uid(), meta.get("uid"));
    assertEquals(params, meta.get("paramMap"));
    assertEquals(defaults, meta.get("defaultParamMap"));
    return saved.toString();
  }

  /** {@code loaded} is {@code model} read back: same uid, params, network, and the same transform output. */
  private static void assertReloaded(Model<?> model, Model<?> loaded) {
    assertEquals(model.getClass(), loaded.getClass());
    assertEquals(model.uid(), loaded.uid());
    for (Param<?> p : model.params()) {
      assertEquals(model.isDefined(p), loaded.isDefined(loaded.getParam(p.name())), p.name());
      if (!model.isDefined(p)) {
        continue;
      }
      assertEquals(model.getOrDefault(p), loaded.getOrDefault(loaded.getParam(p.name())), p.name());
    }
    assertArrayEquals(weights(model), weights(loaded));
    List<Row> a = model.transform(table).orderBy("id").collectAsList();
    assertEquals(a, loaded.transform(table).orderBy("id").collectAsList());
    assertTrue(a.get(0).get(1) instanceof DenseVector);
  }

  private static double[] weights(Model<?> m) {
    return (m instanceof NeuralNetworkClassificationModel ? ((NeuralNetworkClassificationModel) m).weights()
        : ((NeuralNetworkRegressionModel) m).weights()).toArray();
  }

  @Test
  void classificationModelPersistence(@TempDir Path dir) throws Exception {
    NeuralNetworkClassificationModel model = new NeuralNetworkClassificationModel("nnClassifier_p",
        classifierNetwork(), null).setFeaturesCol("f").setProbabilityCol("prob");
    String saved = saveAndCheck(model, dir, Map.of("featuresCol", "f", "probabilityCol", "prob"),
        Map.of("featuresCol", "features", "labelCol", "label", "predictionCol", "prediction",
            "probabilityCol", "probability", "rawPredictionCol", "rawPrediction"));
    NeuralNetworkClassificationModel loaded = NeuralNetworkClassificationModel.load(saved);
    assertEquals("prob", loaded.getOrDefault(loaded.probabilityCol()));
    assertReloaded(model, loaded);
  }

  @Test
  void regressionModelPersistence(@TempDir Path dir) throws Exception {
    NeuralNetworkRegressionModel model = new NeuralNetworkRegressionModel("nnRegressor_p", regressorNetwork(), null)
        .setFeaturesCol("f").setPredictionCol("yhat");
    String saved = saveAndCheck(model, dir, Map.of("featuresCol", "f", "predictionCol", "yhat"),
        Map.of("featuresCol", "features", "labelCol", "label", "predictionCol", "prediction"));
    NeuralNetworkRegressionModel loaded = NeuralNetworkRegressionModel.read().load(saved);
    assertEquals("yhat", loaded.getOrDefault(loaded.predictionCol()));
    assertReloaded(model, loaded);
  }

  /** Models saved by the code before issue 18 (a plain {@code Model}; rawPrediction was the softmax) load. */
  @Test
  void modelsSavedBeforeTheyBecameSparkPredictorsStillLoad() throws Exception {
    Path fixtures = Path.of(getClass().getResource("/ml").toURI());
    NeuralNetworkClassificationModel c = NeuralNetworkClassificationModel.load(
        fixtures.resolve("classifier-before-issue18").toString());
    assertEquals("nnClassifier_before18", c.uid());
    assertEquals("prob", c.getProbabilityCol());
    assertArrayEquals(classifierNetwork().parameters(), c.network().parameters());
    for (Row row : c.transform(table).collectAsList()) {
      float[] y = expected(classifierNetwork(), row.getInt(0));
      Vector p = (Vector) row.getAs("prob");
      for (int j = 0; j < y.length; j++) {
        assertEquals(y[j], p.apply(j), 1e-6);
      }
      assertArrayEquals(c.predictRaw((Vector) row.get(1)).toArray(), ((Vector) row.getAs("rawPrediction")).toArray(),
          1e-6);
    }
    NeuralNetworkRegressionModel r = NeuralNetworkRegressionModel.load(
        fixtures.resolve("regressor-before-issue18").toString());
    assertEquals("nnRegressor_before18", r.uid());
    for (Row row : r.transform(table).collectAsList()) {
      assertEquals(expected(regressorNetwork(), row.getInt(0))[0], row.getDouble(2), 1e-6);
    }
  }
}
