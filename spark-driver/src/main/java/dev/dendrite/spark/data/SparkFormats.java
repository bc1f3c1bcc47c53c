package dev.dendrite.spark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The file formats Spark reads (LibSVM, CSV, Parquet) as DataFrames of a {@code features} vector column
 * and a {@code label} column, checked against the width the model expects. Rows to train on take the
 * checked path of {@link DataRows} instead (a bad row names its line); this reader serves prediction,
 * where the rows keep their order and may have no label.
 */
final class SparkFormats {

  private SparkFormats() {
  }

  /**
   * A DataFrame with a {@code features} vector column of {@code width} values and a {@code label} column;
   * without {@code labelRequired}, a CSV or Parquet file that lacks the label column gives only
   * {@code features} (for CSV every column is then a feature). A file of another width fails, naming
   * {@code who} expects what.
   */
  static Dataset<Row> frame(SparkSession spark, DataConfig data, String path, int width, String who,
                            boolean labelRequired) {
    switch (data.format()) {
      case "libsvm": {
        if (data.dimension() > 0 && data.dimension() != width) {
          throw new IllegalArgumentException(widthMismatch(who, width, path, data.dimension(),
              " (data.dimension)"));
        }
        return spark.read().format("libsvm").option("numFeatures", String.valueOf(width)).load(path)
            .select(functions.col("features"), functions.col("label"));
      }
      case "csv": {
        Dataset<Row> raw = spark.read().option("header", String.valueOf(data.header()))
            .option("sep", data.delimiter()).option("mode", "FAILFAST").csv(path);
        List<String> inputs = new ArrayList<>();
        boolean found = false;
        for (StructField f : raw.schema().fields()) {
          if (f.name().equals(data.label())) {
            found = true;
          } else {
            inputs.add(f.name());
          }
        }
        if (!found && labelRequired) {
          throw new IllegalArgumentException("CSV file " + path + " has no column '" + data.label()
              + "'; its columns are " + String.join(", ", raw.columns()));
        }
        if (inputs.size() != width) {
          throw new IllegalArgumentException(widthMismatch(who, width, path, inputs.size(), found
              ? " (besides the label column '" + data.label() + "')"
              : " (it has no label column '" + data.label() + "', so every column was read as a feature)"));
        }
        String[] names = raw.columns();
        Column[] casts = new Column[names.length];
        Column anyMissing = functions.lit(false);
        for (int j = 0; j < names.length; j++) {
          casts[j] = raw.col(names[j]).cast(DataTypes.DoubleType);
          anyMissing = anyMissing.or(casts[j].isNull());
        }
        // a cell that is empty or not a number becomes null: name the first one (one pass over the data)
        Row bad = raw.where(anyMissing).limit(1).collectAsList().stream().findFirst().orElse(null);
        if (bad != null) {
          for (int j = 0; j < names.length; j++) {
            String cell = bad.isNullAt(j) ? "" : bad.getString(j).trim();
            if (!isNumber(cell)) {
              throw new IllegalArgumentException("CSV file " + path + ", column '" + names[j] + "': the cell '"
                  + cell + "' is missing or not a number");
            }
          }
          throw new IllegalArgumentException("CSV file " + path + ": a cell is missing or not a number in the row "
              + bad);
        }
        Column[] typedColumns = new Column[names.length];
        for (int j = 0; j < names.length; j++) {
          typedColumns[j] = casts[j].as(names[j]);
        }
        Dataset<Row> typed = raw.select(typedColumns);
        Dataset<Row> assembled = new VectorAssembler().setInputCols(inputs.toArray(new String[0]))
            .setOutputCol("features").transform(typed);
        return found ? assembled.select(functions.col("features"), functions.col(data.label()).as("label"))
            : assembled.select(functions.col("features"));
      }
      case "parquet": {
        Dataset<Row> raw = spark.read().parquet(path);
        List<String> columns = Arrays.asList(raw.columns());
        if (!columns.contains(data.features())) {
          throw new IllegalArgumentException("Parquet data " + path + " has no column '" + data.features()
              + "' (data.features); its columns are " + String.join(", ", columns));
        }
        boolean labelled = columns.contains(data.label());
        if (!labelled && labelRequired) {
          throw new IllegalArgumentException("Parquet data " + path + " has no column '" + data.label()
              + "' (data.label); its columns are " + String.join(", ", columns));
        }
        Dataset<Row> frame = labelled ? raw.select(functions.col(data.features()).as("features"),
            functions.col(data.label()).as("label")) : raw.select(functions.col(data.features()).as("features"));
        Object first = frame.select("features").limit(1).collectAsList().stream().findFirst()
            .map(r -> r.get(0)).orElse(null);
        if (first instanceof Vector && ((Vector) first).size() != width) {
          throw new IllegalArgumentException(widthMismatch(who, width, path, ((Vector) first).size(),
              " (size of the first vector in column '" + data.features() + "')"));
        }
        return frame;
      }
      default:
        throw new IllegalArgumentException("data.format " + data.format() + " is not read through Spark");
    }
  }

  private static boolean isNumber(String cell) {
    try {
      Double.parseDouble(cell);
      return !cell.isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static String widthMismatch(String who, int expected, String path, int found, String note) {
    return who + " expects " + expected + " features, " + path + " has " + found + note;
  }
}
