package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.Losses;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.MultiLabelMetrics;
import dev.dendrite.core.metrics.RegressionMetrics;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Detailed metrics of a network on distributed data: each partition runs the network in batches and
 * fills a mergeable accumulator ({@link ClassificationMetrics}, {@link MultiLabelMetrics} or
 * {@link RegressionMetrics}); the
 * accumulators are merged on the driver in partition order, so the result does not depend on which
 * task ends first.
 */
public final class DistributedEvaluator {

  private static final int BATCH = 512;

  private DistributedEvaluator() {
  }

  /** Confusion matrix, accuracy, per-class P/R/F1, log-loss (and AUC for two classes) of a multi-class network. */
  public static ClassificationMetrics classification(JavaRDD<DataBlock> blocks, Network network) {
    return classification(blocks, network, Task.MULTICLASS);
  }

  /**
   * Classification metrics for a multi-class or binary task: one-output binary networks are read as
   * probabilities (class 1 from 0.5) or, for {@link Task#BINARY_SCORE}, as scores (class 1 from 0).
   */
  public static ClassificationMetrics classification(JavaRDD<DataBlock> blocks, Network network, Task task) {
    int positions = network.outputPositions(); // a position-wise output: one decision per position
    int classes = Math.max(network.outputSize() / positions, 2);
    boolean scores = task == Task.BINARY_SCORE;
    return run(blocks, network, new Accumulate<>() {
      @Override
      public ClassificationMetrics create() {
        return scores ? ClassificationMetrics.binaryScores(0f) : new ClassificationMetrics(classes);
      }

      @Override
      public void add(ClassificationMetrics m, float[] out, int width, DataBlock b, int start, int rows) {
        m.add(out, width / positions, b.targets(), start * b.targetWidth(), b.targetWidth() / positions,
            rows * positions);
      }

      @Override
      public void merge(ClassificationMetrics into, ClassificationMetrics part) {
        into.merge(part);
      }
    });
  }

  /** Hamming loss, subset accuracy and per-label F1 of a multi-label network (probabilities, threshold 0.5). */
  public static MultiLabelMetrics multiLabel(JavaRDD<DataBlock> blocks, Network network) {
    int labels = network.outputSize();
    return run(blocks, network, new Accumulate<>() {
      @Override
      public MultiLabelMetrics create() {
        return new MultiLabelMetrics(labels);
      }

      @Override
      public void add(MultiLabelMetrics m, float[] out, int width, DataBlock b, int start, int rows) {
        m.add(out, b.targets(), start * b.targetWidth(), rows);
      }

      @Override
      public void merge(MultiLabelMetrics into, MultiLabelMetrics part) {
        into.merge(part);
      }
    });
  }

  /** MSE, RMSE, MAE and R² per output. */
  public static RegressionMetrics regression(JavaRDD<DataBlock> blocks, Network network) {
    int outputs = network.outputSize();
    return run(blocks, network, new Accumulate<>() {
      @Override
      public RegressionMetrics create() {
        return new RegressionMetrics(outputs);
      }

      @Override
      public void add(RegressionMetrics m, float[] out, int width, DataBlock b, int start, int rows) {
        m.add(out, b.targets(), start * b.targetWidth(), rows);
      }

      @Override
      public void merge(RegressionMetrics into, RegressionMetrics part) {
        into.merge(part);
      }
    });
  }

  /**
   * The detailed metrics the task calls for, each name prefixed (e.g. {@code test_}): classification
   * metrics for multi-class and binary tasks, multi-label metrics, or regression metrics.
   */
  public static Map<String, Double> metrics(JavaRDD<DataBlock> blocks, Network network, Task task, String prefix) {
    switch (task) {
      case MULTILABEL:
        return multiLabel(blocks, network).metrics(prefix);
      case REGRESSION:
        return regression(blocks, network).metrics(prefix);
      default:
        return classification(blocks, network, task).metrics(prefix);
    }
  }

  /**
   * The per-example means, on the test set, of the two parts of a variational autoencoder's loss: the
   * loss on the output ({@code reconstruction}, e.g. {@code ‖x − d(z)‖²} for loss {@code sse}) and each
   * term its layers add ({@code kl}, unweighted by β), and {@code elbo = −(reconstruction + Σ terms)}, the
   * evidence lower bound the lecture's loss negates (up to the decoder likelihood's constants). Evaluated in
   * inference mode, where the sampling layer outputs z = μ: the reconstruction is the decoder's at the mean
   * code, the plug-in value of the ELBO's expectation. Empty when no layer adds a term.
   */
  public static Map<String, Double> lossTerms(JavaRDD<DataBlock> blocks, Network network, String loss,
                                              String prefix) {
    List<String> names = network.lossTermNames();
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> config = network.config().toMap();
    float[] params = network.parameters();
    int terms = names.size();
    List<Tuple2<Integer, double[]>> parts = new ArrayList<>(blocks.mapPartitionsWithIndex(
        (Function2<Integer, java.util.Iterator<DataBlock>, java.util.Iterator<Tuple2<Integer, double[]>>>) (index, it) -> {
          Network net = new Network(NetworkConfig.read(new ConfigMap("network", config)));
          net.setParameters(params);
          Loss l = Losses.parse(loss);
          double[] sums = new double[2 + terms]; // examples, reconstruction, terms
          while (it.hasNext()) {
            DataBlock b = it.next();
            for (int start = 0; start < b.size(); start += BATCH) {
              int rows = Math.min(BATCH, b.size() - start);
              net.loss(b.features(), start * b.featureWidth(), b.targets(), start * b.targetWidth(), null, 0,
                  rows, l); // inference forward: records each term of the batch
              sums[0] += rows;
              sums[1] += l.value(net.lastOutput(), net.outputSize(), b.targets(), start * b.targetWidth(), null,
                  0, rows);
              for (int t = 0; t < terms; t++) {
                sums[2 + t] += net.lastLossTerm(t);
              }
            }
          }
          return Collections.singletonList(new Tuple2<>(index, sums)).iterator();
        }, true).collect());
    parts.sort(Comparator.comparing(Tuple2::_1));
    double[] sums = new double[2 + terms];
    for (Tuple2<Integer, double[]> p : parts) {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += p._2()[i];
      }
    }
    double n = Math.max(sums[0], 1);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(prefix + "reconstruction", sums[1] / n);
    double elbo = -sums[1] / n;
    for (int t = 0; t < terms; t++) {
      out.put(prefix + names.get(t), sums[2 + t] / n);
      elbo -= sums[2 + t] / n;
    }
    out.put(prefix + "elbo", elbo);
    return out;
  }

  interface Accumulate<M> extends Serializable {
    M create();

    void add(M metrics, float[] out, int width, DataBlock block, int start, int rows);

    void merge(M into, M part);
  }

  /** Runs the network over every block, one accumulator per partition, merged in partition order. */
  private static <M extends Serializable> M run(JavaRDD<DataBlock> blocks, Network network,
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
    M total = accumulate.create();
    for (Tuple2<Integer, M> p : parts) {
      accumulate.merge(total, p._2());
    }
    return total;
  }
}
