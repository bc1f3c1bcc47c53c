package dev.dendrite.spark.ml;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.spark.FeatureVectors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a network over the rows of one partition in batches and appends the output columns that a
 * {@link OutputColumns} implementation derives from each output row. The network is rebuilt once per
 * partition from its JSON map and parameters (shipped with the closure: transform is lazy, so there is
 * no moment at which a broadcast could be destroyed).
 */
final class NetworkTransform implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;
  private static final int BATCH = 256;

  /** Appended values for one example, given the network's output row. */
  interface OutputColumns extends Serializable {
    Object[] values(float[] output, int offset, int width);
  }

  private final Map<String, Object> networkConfig;
  private final float[] params;
  private final int featuresIndex;
  private final OutputColumns columns;

  NetworkTransform(Network network, int featuresIndex, OutputColumns columns) {
    this.networkConfig = network.config().toMap();
    this.params = network.parameters();
    this.featuresIndex = featuresIndex;
    this.columns = columns;
  }

  /**
   * {@code dataset} with the columns of {@code out} beyond its own appended, computed by {@code columns}
   * from {@code network}'s outputs, a batch of rows per forward pass.
   */
  static Dataset<Row> apply(Dataset<?> dataset, Network network, String featuresCol, StructType out,
                            OutputColumns columns) {
    int featuresIndex = dataset.schema().fieldIndex(featuresCol);
    return dataset.toDF().mapPartitions(new NetworkTransform(network, featuresIndex, columns), Encoders.row(out));
  }

  /**
   * One features vector through {@code network} (single-row {@code predict}; shared by the caller's
   * threads, so one pass at a time).
   */
  static float[] scoreOne(Network network, Vector features) {
    int width = network.inputSize();
    if (features.size() != width) {
      throw new IllegalArgumentException("features vector of size " + features.size() + ", the model expects "
          + width);
    }
    float[] x = new float[width];
    FeatureVectors.copy(features, x, 0);
    synchronized (network) {
      return java.util.Arrays.copyOf(network.forward(x, 0, 1, false, null), network.outputSize());
    }
  }

  /** Floats as a dense ml.linalg vector of doubles. */
  static Vector toVector(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return new DenseVector(d);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Network network = new Network(NetworkConfig.read(new ConfigMap("network", networkConfig)));
    network.setParameters(params);
    int width = network.inputSize();
    int outputs = network.outputSize();
    float[] x = new float[BATCH * width];
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>(BATCH);
      private final List<Row> ready = new ArrayList<>(BATCH);
      private int next;

      @Override
      public boolean hasNext() {
        if (next < ready.size()) {
          return true;
        }
        ready.clear();
        next = 0;
        pending.clear();
        while (pending.size() < BATCH && rows.hasNext()) {
          pending.add(rows.next());
        }
        if (pending.isEmpty()) {
          return false;
        }
        for (int r = 0; r < pending.size(); r++) {
          Vector v = (Vector) pending.get(r).get(featuresIndex);
          if (v.size() != width) {
            throw new IllegalArgumentException("features vector of size " + v.size()
                + ", the model expects " + width);
          }
          FeatureVectors.copy(v, x, r * width);
        }
        float[] out = network.forward(x, 0, pending.size(), false, null);
        for (int r = 0; r < pending.size(); r++) {
          Row row = pending.get(r);
          Object[] extra = columns.values(out, r * outputs, outputs);
          Object[] values = new Object[row.size() + extra.length];
          for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
          }
          System.arraycopy(extra, 0, values, row.size(), extra.length);
          ready.add(RowFactory.create(values));
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }
}
