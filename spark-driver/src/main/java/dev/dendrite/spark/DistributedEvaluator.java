package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.RegressionMetrics;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Detailed metrics of a network on distributed data: each partition runs the network in batches and
 * fills a mergeable accumulator ({@link ClassificationMetrics} or {@link RegressionMetrics}); the
 * accumulators are merged on the driver in partition order, so the result does not depend on which
 * task ends first.
 */
public final class DistributedEvaluator {

  private static final int BATCH = 512;

  private DistributedEvaluator() {
  }

  /** Confusion matrix, accuracy, per-class P/R/F1, log-loss (and AUC for two classes). */
  public static ClassificationMetrics classification(JavaRDD<DataBlock> blocks, Network network) {
    int classes = network.outputSize();
    List<ClassificationMetrics> parts = run(blocks, network, new Accumulate<>() {
      @Override
      public ClassificationMetrics create() {
        return new ClassificationMetrics(Math.max(classes, 2));
      }

      @Override
      public void add(ClassificationMetrics m, float[] out, int width, DataBlock b, int start, int rows) {
        m.add(out, width, b.targets(), start * b.targetWidth(), b.targetWidth(), rows);
      }
    });
    ClassificationMetrics total = new ClassificationMetrics(Math.max(classes, 2));
    parts.forEach(total::merge);
    return total;
  }

  /** MSE, RMSE, MAE and R² per output. */
  public static RegressionMetrics regression(JavaRDD<DataBlock> blocks, Network network) {
    int outputs = network.outputSize();
    List<RegressionMetrics> parts = run(blocks, network, new Accumulate<>() {
      @Override
      public RegressionMetrics create() {
        return new RegressionMetrics(outputs);
      }

      @Override
      public void add(RegressionMetrics m, float[] out, int width, DataBlock b, int start, int rows) {
        m.add(out, b.targets(), start * b.targetWidth(), rows);
      }
    });
    RegressionMetrics total = new RegressionMetrics(outputs);
    parts.forEach(total::merge);
    return total;
  }

  interface Accumulate<M> extends Serializable {
    M create();

    void add(M metrics, float[] out, int width, DataBlock block, int start, int rows);
  }

  private static <M extends Serializable> List<M> run(JavaRDD<DataBlock> blocks, Network network,
                                                       Accumulate<M> accumulate) {
    Map<String, Object> config = network.config().toMap();
    float[] params = network.parameters();
    List<Tuple2<Integer, M>> parts = new ArrayList<>(blocks.mapPartitionsWithIndex(
        (Function2<Integer, java.util.Iterator<DataBlock>, java.util.Iterator<Tuple2<Integer, M>>>) (index, it) -> {
          Network net = new Network(NetworkConfig.read(new ConfigMap("network", config)));
          net.setParameters(params);
          M metrics = accumulate.create();
          while (it.hasNext()) {
            DataBlock b = it.next();
            for (int start = 0; start < b.size(); start += BATCH) {
              int rows = Math.min(BATCH, b.size() - start);
              float[] out = net.forward(b.features(), start * b.featureWidth(), rows, false, null);
              accumulate.add(metrics, out, net.outputSize(), b, start, rows);
            }
          }
          return Collections.singletonList(new Tuple2<>(index, metrics)).iterator();
        }, true).collect());
    parts.sort(Comparator.comparing(Tuple2::_1));
    List<M> out = new ArrayList<>();
    for (Tuple2<Integer, M> p : parts) {
      out.add(p._2());
    }
    return out;
  }
}
