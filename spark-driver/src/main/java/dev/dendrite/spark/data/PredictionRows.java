package dev.dendrite.spark.data;

import dev.dendrite.core.data.IdxReader;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows to predict, in read order (for one file, its line order): {@code frame} holds a {@code features}
 * vector column (as read, not yet preprocessed) and, when the data has labels, a {@code label} column.
 * Close it to free data read on the driver (IDX).
 */
public record PredictionRows(Dataset<Row> frame, boolean labelled, String description,
                             Blocks.DriverBlocks driverData) implements AutoCloseable {

  @Override
  public void close() {
    if (driverData != null) {
      driverData.close();
    }
  }

  /**
   * The rows at {@code path} in {@code data}'s format for a model of input width {@code width}. Labels
   * are optional: a CSV or Parquet file without the label column, or IDX images without a label file
   * ({@code labels} null), give unlabelled rows; LibSVM lines always carry a label.
   */
  public static PredictionRows read(SparkSession spark, DataConfig data, String path, String labels, int width,
                                    int partitions) throws IOException {
    if (data.format().equals("generated")) {
      throw new IllegalArgumentException("predict reads examples from files; data.format generated has none (train "
          + "and evaluate generate their sequences from data.train / data.test)");
    }
    if (!data.format().equals("idx")) {
      Dataset<Row> frame = SparkFormats.frame(spark, data, path, width, "the model", false);
      return new PredictionRows(frame, Arrays.asList(frame.columns()).contains("label"),
          data.format() + " " + path, null);
    }
    IdxReader.IdxData images = IdxReader.readImages(Paths.get(path), "IDX");
    int n = images.count();
    int imageWidth = n == 0 ? 0 : images.values().length / n;
    if (imageWidth != width) {
      throw new IllegalArgumentException(SparkFormats.widthMismatch("the model", width, path, imageWidth, ""));
    }
    float[] targets = new float[0];
    if (labels != null) {
      IdxReader.IdxData lab = IdxReader.readLabels(Paths.get(labels), "IDX");
      if (lab.count() != n) {
        throw new IllegalArgumentException("IDX image file " + path + " holds " + n + " images but label file "
            + labels + " holds " + lab.count() + " labels; are they from the same set?");
      }
      targets = lab.values();
    }
    int targetWidth = labels == null ? 0 : 1;
    Blocks.DriverBlocks driver = Blocks.fromArrays(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        images.values(), width, targets, targetWidth, null, n, partitions);
    JavaRDD<Row> rows = driver.rdd().flatMap(b -> {
      List<Row> out = new ArrayList<>(b.size());
      for (int r = 0; r < b.size(); r++) {
        double[] f = new double[width];
        for (int j = 0; j < width; j++) {
          f[j] = b.features()[r * width + j];
        }
        out.add(targetWidth == 0 ? RowFactory.create(Vectors.dense(f))
            : RowFactory.create(Vectors.dense(f), (double) b.targets()[r]));
      }
      return out.iterator();
    });
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    if (labels != null) {
      schema = schema.add("label", DataTypes.DoubleType, false);
    }
    return new PredictionRows(spark.createDataFrame(rows, schema), labels != null,
        "IDX " + path + (labels == null ? "" : " + " + labels) + " (" + n + " images)", driver);
  }

  /**
   * The first bad row of the CSV, LibSVM or Parquet data at {@code path} for a model of input width
   * {@code width}, as the paragraph training gives (file, line or record, column, value, what is wrong),
   * or null when every row's features read. For a prediction job that failed inside Spark's own reader,
   * whose error names neither the file nor the row: the data is read once more, through the checked
   * reader, only then. Labels are not checked (predict copies them as they are).
   */
  public static String firstProblem(SparkSession spark, DataConfig data, String path, int width) {
    if (!List.of("csv", "libsvm", "parquet").contains(data.format())) {
      return null;
    }
    Targets ignored = new Targets(null, 1, false, true);
    DataProblem first = null;
    for (DataProblem p : DataRows.read(spark, data, path, width, "the model", ignored)
        .filter(c -> c.problem() != null).map(CheckedExample::problem).collect()) { // one per partition at most
      first = DataProblem.earlier(first, p);
    }
    return first == null ? null : DataRows.describe(first, data.format(), spark.sparkContext().hadoopConfiguration());
  }
}
