package dev.dendrite.spark.ml;

import dev.dendrite.spark.CheckedExample;
import dev.dendrite.spark.DataBlock;
import dev.dendrite.spark.DataProblem;
import dev.dendrite.spark.Example;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows of a DataFrame given to {@code fit}, checked as they become training blocks: a null or
 * non-finite feature, a features vector of another size, a label that is not a class index (classifier)
 * or not a finite number, a negative or non-finite weight. The first bad row of each partition travels to
 * the driver as a {@link DataProblem} inside its block (the mechanism the jobs use for files: a
 * deterministic data error thrown in a task would be retried and then reach the user wrapped in
 * "Job aborted due to stage failure"), and {@code fit} fails with an {@link IllegalArgumentException}
 * that names the column, the row (counted from 0 in the DataFrame's order) and the value.
 */
final class FrameExamples {

  /** The {@code file} of a problem found in a DataFrame (its rows have no file). */
  static final String SOURCE = "the training DataFrame";

  private FrameExamples() {
  }

  /** What a label must be: a class index below {@code classes} (classifier), or any finite number (0). */
  record Labels(int classes) implements Serializable {
    static Labels classIndices(int classes) {
      return new Labels(classes);
    }

    static Labels numbers() {
      return new Labels(0);
    }
  }

  /** Cached training (and, with a validation fraction, validation) blocks; {@link #release} frees them. */
  record Blocks(JavaRDD<DataBlock> train, JavaRDD<DataBlock> validation) {
    void release() {
      train.unpersist(false);
      if (validation != null) {
        validation.unpersist(false);
      }
    }
  }

  /**
   * The checked blocks of {@code df}: {@code validationFraction} of its rows (split with {@code seed})
   * held out, unless 0. Builds and caches them (one Spark job per split) and fails on the driver,
   * naming column, row and value, when a row is bad, or when there are no rows.
   */
  static Blocks blocks(Dataset<Row> df, String featuresCol, String labelCol, String weightCol, int width,
                       Labels labels, double validationFraction, long seed, int partitions) {
    Dataset<Row> selected = weightCol == null ? df.select(featuresCol, labelCol)
        : df.select(featuresCol, labelCol, weightCol);
    JavaRDD<Row> rows = selected.toJavaRDD();
    JavaRDD<CheckedExample> all = checked(rows, featuresCol, labelCol, weightCol, width, labels);
    JavaRDD<CheckedExample> train = all;
    JavaRDD<CheckedExample> validation = null;
    if (validationFraction > 0) {
      JavaRDD<CheckedExample>[] split = all.randomSplit(new double[] {1 - validationFraction, validationFraction},
          seed);
      train = split[0];
      validation = split[1];
    }
    JavaRDD<DataBlock> trainBlocks = dev.dendrite.spark.Blocks.toCheckedBlocks(train, partitions, width, 1);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null
        : dev.dendrite.spark.Blocks.toCheckedBlocks(validation, partitions, width, 1);
    Blocks blocks = new Blocks(trainBlocks, validationBlocks);
    try {
      dev.dendrite.spark.Blocks.Tally tally = dev.dendrite.spark.Blocks.tally(trainBlocks);
      DataProblem problem = tally.problem();
      long examples = tally.examples();
      if (validationBlocks != null) {
        dev.dendrite.spark.Blocks.Tally other = dev.dendrite.spark.Blocks.tally(validationBlocks);
        problem = problem == null || (other.problem() != null && other.problem().compareTo(problem) < 0)
            ? other.problem() : problem;
        examples += other.examples();
      }
      if (problem != null) {
        throw new IllegalArgumentException(problem.message(where(rows, problem.position())));
      }
      if (examples == 0) {
        throw new IllegalArgumentException("cannot train on an empty DataFrame");
      }
    } catch (RuntimeException e) {
      blocks.release();
      throw e;
    }
    return blocks;
  }

  /**
   * A row's position as it travels: its partition in the high 32 bits, its index in the partition in the
   * low 32 (positions compare in the frame's order; the driver turns one into a row number on failure).
   */
  static long position(int partition, long index) {
    return ((long) partition << 32) | index;
  }

  /** "row 17": the row number (from 0, in the frame's order) of a {@link #position}, counted only on failure. */
  static String where(JavaRDD<Row> rows, long position) {
    int partition = (int) (position >>> 32);
    long index = position & 0xffffffffL;
    List<Long> before = rows.mapPartitionsWithIndex((p, it) -> {
      long n = 0;
      if (p < partition) {
        for (; it.hasNext(); it.next()) {
          n++;
        }
      }
      return Collections.singletonList(n).iterator();
    }, true).collect();
    long row = index;
    for (long n : before) {
      row += n;
    }
    return "row " + row + " (counted from 0)";
  }

  /** The rows as checked examples (target: the label as one value); a partition ends at its first problem. */
  static JavaRDD<CheckedExample> checked(JavaRDD<Row> rows, String featuresCol, String labelCol, String weightCol,
                                         int width, Labels labels) {
    boolean weighted = weightCol != null;
    return rows.mapPartitionsWithIndex((partition, it) -> new Iterator<CheckedExample>() {
      private long index;
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done && it.hasNext();
      }

      @Override
      public CheckedExample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        CheckedExample c = check(it.next(), position(partition, index++), featuresCol, labelCol,
            weighted ? weightCol : null, width, labels);
        done = c.problem() != null;
        return c;
      }
    }, true);
  }

  /** One row (features, label[, weight]) as an example, or the first problem it has. */
  static CheckedExample check(Row row, long position, String featuresCol, String labelCol, String weightCol,
                              int width, Labels labels) {
    if (row.isNullAt(0)) {
      return problem(position, featuresCol, "null", "is not a vector: every row needs a features vector");
    }
    Vector v = (Vector) row.get(0);
    if (v.size() != width) {
      return problem(position, featuresCol, v.toString(), "has " + v.size() + " values, but the features vectors "
          + "of this DataFrame have " + width + " (the first row's size, or the column's ML attributes)");
    }
    float[] features = new float[width];
    for (int i = 0; i < width; i++) {
      double x = v.apply(i);
      features[i] = (float) x;
      if (!Float.isFinite(features[i])) {
        return problem(position, "column '" + featuresCol + "' (element " + i + ")", String.valueOf(x),
            Double.isFinite(x) ? "does not fit a float: features must be finite numbers of float range"
                : "is not a finite number: features must be finite (impute or drop such rows first)");
      }
    }
    if (row.isNullAt(1)) {
      return problem(position, labelCol, "null", "is not a label: every row needs one");
    }
    double label = ((Number) row.get(1)).doubleValue();
    if (labels.classes() > 0) {
      if (label != Math.rint(label) || label < 0 || label >= labels.classes()) {
        return problem(position, labelCol, String.valueOf(label), "is not a class index: a classifier's labels "
            + "must be 0, 1, ..., " + (labels.classes() - 1) + " (index other labels with StringIndexer)");
      }
    } else if (!Double.isFinite(label) || !Float.isFinite((float) label)) {
      return problem(position, labelCol, String.valueOf(label), "is not a finite number (of float range)");
    }
    float weight = 1f;
    if (weightCol != null) {
      if (row.isNullAt(2)) {
        return problem(position, weightCol, "null", "is not a weight: every row needs one when weightCol is set");
      }
      double w = ((Number) row.get(2)).doubleValue();
      weight = (float) w;
      if (!(w >= 0) || !Float.isFinite(weight)) {
        return problem(position, weightCol, String.valueOf(w), "is not a weight: weights must be finite and >= 0");
      }
    }
    return CheckedExample.of(new Example(features, new float[] {(float) label}, weight));
  }

  private static CheckedExample problem(long position, String column, String value, String reason) {
    String named = column.startsWith("column '") ? column : "column '" + column + "'";
    return CheckedExample.of(new DataProblem(SOURCE, position, DataProblem.Unit.RECORD, named, value, reason));
  }
}
