package dev.dendrite.spark.data;

import dev.dendrite.core.data.ColumnStatistics;
import dev.dendrite.core.data.Preprocessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Converts training data once, at the boundary, into cached dense {@link DataBlock}s, one per partition:
 * DataFrames (a vector features column, a numeric or vector label column, an optional weight column)
 * become {@link Example}s, and examples become blocks. Every later step reads only the cache.
 */
public final class Blocks {

  private Blocks() {
  }

  /**
   * The examples of a DataFrame: {@code featuresCol} holds {@code ml.linalg.Vector}s of {@code inputWidth}
   * values, {@code labelCol} a number or a vector, {@code weightCol} (nullable) a number.
   */
  public static JavaRDD<Example> examples(Dataset<Row> df, String featuresCol, String labelCol, String weightCol,
                                          int inputWidth, TargetSpec target) {
    Dataset<Row> selected = weightCol == null ? df.select(featuresCol, labelCol)
        : df.select(featuresCol, labelCol, weightCol);
    boolean weighted = weightCol != null;
    return selected.toJavaRDD().map((Function<Row, Example>) row -> {
      Object f = row.get(0);
      if (!(f instanceof Vector)) {
        throw new IllegalArgumentException("column '" + featuresCol + "' must hold ml.linalg vectors, found "
            + (f == null ? "null" : f.getClass().getSimpleName()) + " in row " + row);
      }
      Vector v = (Vector) f;
      if (v.size() != inputWidth) {
        throw new IllegalArgumentException("column '" + featuresCol + "' holds a vector of size " + v.size()
            + ", the network expects " + inputWidth + " features");
      }
      float[] features = new float[inputWidth];
      for (int i = 0; i < inputWidth; i++) {
        features[i] = (float) v.apply(i);
      }
      float[] t = targetOf(row.get(1), labelCol, target);
      float w = weighted ? ((Number) row.get(2)).floatValue() : 1f;
      return new Example(features, t, w);
    });
  }

  private static float[] targetOf(Object label, String labelCol, TargetSpec spec) {
    if (label instanceof Number) {
      double value = ((Number) label).doubleValue();
      if (spec.oneHotClasses() > 0) {
        int k = (int) value;
        if (k != value || k < 0 || k >= spec.oneHotClasses()) {
          throw new IllegalArgumentException("column '" + labelCol + "': label " + value
              + " is not a class index in [0, " + spec.oneHotClasses() + ")");
        }
        float[] t = new float[spec.oneHotClasses()];
        t[k] = 1f;
        return t;
      }
      if (spec.width() != 1) {
        throw new IllegalArgumentException("column '" + labelCol + "' holds single numbers, but the loss needs "
            + spec.width() + " target values per example (use a vector column)");
      }
      return new float[] {(float) value};
    }
    if (label instanceof Vector) {
      Vector v = (Vector) label;
      if (v.size() != spec.width()) {
        throw new IllegalArgumentException("column '" + labelCol + "' holds vectors of size " + v.size()
            + ", the loss needs " + spec.width() + " target values per example");
      }
      float[] t = new float[v.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) v.apply(i);
      }
      return t;
    }
    throw new IllegalArgumentException("column '" + labelCol + "' must be numeric or a vector, found "
        + (label == null ? "null" : label.getClass().getSimpleName()));
  }

  /**
   * Blocks of data already in driver memory (files read with the core readers), cut into
   * {@code partitions} contiguous slices. Each slice travels once, as its own broadcast, to the executor
   * that caches it: tasks carry only broadcast handles, never the data (a parallelized collection would
   * ship its slice inside every later task that reads the cache), and a lost cached block is rebuilt from
   * its broadcast. Close the result to unpersist the blocks and destroy the broadcasts.
   */
  public static DriverBlocks fromArrays(JavaSparkContext sc, float[] features,
                                        int featureWidth, float[] targets, int targetWidth, float[] weights,
                                        int n, int partitions) {
    List<Broadcast<DataBlock>> slices = new ArrayList<>(partitions);
    List<Integer> indices = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      int from = (int) ((long) n * p / partitions);
      int to = (int) ((long) n * (p + 1) / partitions);
      slices.add(sc.broadcast(new DataBlock(p, to - from, featureWidth, targetWidth,
          Arrays.copyOfRange(features, from * featureWidth, to * featureWidth),
          Arrays.copyOfRange(targets, from * targetWidth, to * targetWidth),
          weights == null ? null : Arrays.copyOfRange(weights, from, to))));
      indices.add(p);
    }
    List<Broadcast<DataBlock>> handles = List.copyOf(slices);
    JavaRDD<DataBlock> rdd = sc.parallelize(indices, partitions).map(i -> handles.get(i).value())
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new DriverBlocks(rdd, handles);
  }

  /** Cached blocks built from driver memory, with the broadcasts they are rebuilt from. */
  public record DriverBlocks(JavaRDD<DataBlock> rdd, List<Broadcast<DataBlock>> sources)
      implements AutoCloseable {
    @Override
    public void close() {
      rdd.unpersist(false);
      for (Broadcast<DataBlock> b : sources) {
        b.destroy();
      }
    }
  }

  /**
   * Repartitions examples into {@code partitions} partitions, converts each into one dense block and
   * persists the blocks (MEMORY_AND_DISK). The caller materializes and later unpersists them.
   */
  public static JavaRDD<DataBlock> toBlocks(JavaRDD<Example> examples, int partitions, int featureWidth,
                                           int targetWidth) {
    JavaRDD<Example> spread = examples.getNumPartitions() == partitions ? examples
        : examples.repartition(partitions);
    return spread.mapPartitionsWithIndex((index, it) -> {
      BlockBuilder builder = new BlockBuilder(index, featureWidth, targetWidth);
      while (it.hasNext()) {
        Example e = it.next();
        if (e.features().length != featureWidth) {
          throw new IllegalArgumentException("an example has " + e.features().length
              + " features, the network expects " + featureWidth);
        }
        if (e.target().length != targetWidth) {
          throw new IllegalArgumentException("an example has " + e.target().length
              + " target values, the loss needs " + targetWidth);
        }
        int row = builder.addRow(e.weight());
        System.arraycopy(e.features(), 0, builder.features(), row * featureWidth, featureWidth);
        System.arraycopy(e.target(), 0, builder.targets(), row * targetWidth, targetWidth);
      }
      Iterator<DataBlock> one = Collections.singletonList(builder.build()).iterator();
      return one;
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Like {@link #toBlocks}, for rows read (and checked) from data files: valid examples become the
   * partition's block, and the earliest problem among its rows rides along in the block instead of
   * failing the task, which Spark would retry and then report wrapped in its own job failure. Read the
   * outcome with {@link #tally}.
   */
  public static JavaRDD<DataBlock> toCheckedBlocks(JavaRDD<CheckedExample> rows, int partitions, int featureWidth,
                                                   int targetWidth) {
    JavaRDD<CheckedExample> spread = rows.getNumPartitions() == partitions ? rows : rows.repartition(partitions);
    return spread.mapPartitionsWithIndex((index, it) -> {
      BlockBuilder builder = new BlockBuilder(index, featureWidth, targetWidth);
      DataProblem problem = null;
      while (it.hasNext()) {
        CheckedExample c = it.next();
        if (c.problem() != null) {
          problem = DataProblem.earlier(problem, c.problem());
          continue;
        }
        Example e = c.example();
        if (problem != null) {
          continue;   // the job will fail: keep no more rows, but look at every problem to report the earliest
        }
        int row = builder.addRow(e.weight());
        System.arraycopy(e.features(), 0, builder.features(), row * featureWidth, featureWidth);
        System.arraycopy(e.target(), 0, builder.targets(), row * targetWidth, targetWidth);
      }
      return Collections.singletonList(builder.build(problem)).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** What building a set of blocks found: the number of valid examples and the earliest bad row, if any. */
  public record Tally(long examples, DataProblem problem) implements java.io.Serializable {
    Tally plus(Tally o) {
      return new Tally(examples + o.examples, DataProblem.earlier(problem, o.problem));
    }
  }

  /** Builds (and so caches) {@code blocks} with one Spark job and returns what their rows held. */
  public static Tally tally(JavaRDD<DataBlock> blocks) {
    return blocks.map(b -> new Tally(b.size(), b.problem())).fold(new Tally(0, null), Tally::plus);
  }

  /** Per-feature statistics of every block's rows, merged in partition order (the same on every run). */
  public static ColumnStatistics statistics(JavaRDD<DataBlock> blocks, int featureWidth) {
    List<Tuple2<Integer, ColumnStatistics>> parts =
        new ArrayList<>(blocks.mapPartitionsWithIndex((index, it) -> {
          ColumnStatistics s = new ColumnStatistics(featureWidth);
          while (it.hasNext()) {
            DataBlock b = it.next();
            s.add(b.features(), b.size());
          }
          return Collections.singletonList(new Tuple2<>(index, s)).iterator();
        }, true).collect());
    parts.sort(Comparator.comparing(Tuple2::_1));
    ColumnStatistics total = new ColumnStatistics(featureWidth);
    parts.forEach(p -> total.merge(p._2()));
    return total;
  }

  /**
   * New cached blocks with every block's features transformed by the fitted preprocessing in
   * {@code preprocessing} (its map form; null for none) and, with {@code inputsAsTargets}, the transformed
   * features also as the targets (an autoencoder's data). The source blocks stay cached: unpersist them
   * once the result is materialized.
   */
  public static JavaRDD<DataBlock> prepare(JavaRDD<DataBlock> blocks, Map<String, Object> preprocessing,
                                           boolean inputsAsTargets) {
    return blocks.mapPartitions(it -> {
      Preprocessor p = preprocessing == null ? null
          : Preprocessor.fromMap(preprocessing);
      List<DataBlock> out = new ArrayList<>(1);
      while (it.hasNext()) {
        DataBlock b = it.next();
        float[] f = b.features().clone();
        if (p != null) {
          p.transform(f, 0, b.size());
        }
        out.add(new DataBlock(b.partition(), b.size(), b.featureWidth(),
            inputsAsTargets ? b.featureWidth() : b.targetWidth(), f, inputsAsTargets ? f.clone() : b.targets(),
            b.weights(), b.problem()));
      }
      return out.iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
  }
}
