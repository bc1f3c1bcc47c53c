package dev.dendrite.core.train;

import dev.dendrite.core.loss.Task;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running sums for the loss and headline metric of predictions against targets, mergeable across
 * batches, threads and Spark partitions: accuracy for classification, MSE and MAE for regression.
 * Detailed reports (confusion matrix, per-class F1, AUC) live in {@code dev.dendrite.core.metrics}.
 */
public final class Evaluation implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Task task;
  private double lossSum;
  private long examples;
  private long correct;
  private long decisions;
  private double squaredError;
  private double absoluteError;
  private long values;

  public Evaluation(Task task) {
    this.task = task;
  }

  public Task task() {
    return task;
  }

  /**
   * Adds a batch: {@code pred [batch, width]} from offset 0, targets {@code [batch, targetWidth]} from
   * {@code tOffset}, and the batch's summed loss.
   */
  public void add(float[] pred, int width, float[] targets, int tOffset, int targetWidth, int batch,
                  double batchLoss) {
    add(pred, width, targets, tOffset, targetWidth, batch, 1, batchLoss);
  }

  /**
   * As {@link #add(float[], int, float[], int, int, int, double)} for a network whose output holds
   * {@code positions} predictions per example (a position-wise output over sequences): each position's
   * {@code width / positions} outputs and {@code targetWidth / positions} targets count as one decision
   * (accuracy per position), while the loss stays per example.
   */
  public void add(float[] pred, int width, float[] targets, int tOffset, int targetWidth, int batch,
                  int positions, double batchLoss) {
    lossSum += batchLoss;
    examples += batch;
    int rows = batch * positions; // the rows of a position-wise output are contiguous: [batch, P, width/P]
    width /= positions;
    targetWidth /= positions;
    for (int r = 0; r < rows; r++) {
      int p = r * width;
      int t = tOffset + r * targetWidth;
      switch (task) {
        case MULTICLASS:
          decisions++;
          int truth = targetWidth == 1 ? (int) targets[t] : argMax(targets, t, targetWidth);
          if (argMax(pred, p, width) == truth) {
            correct++;
          }
          break;
        case BINARY_PROBABILITY:
        case BINARY_SCORE:
        case MULTILABEL:
          for (int j = 0; j < width; j++) {
            decisions++;
            // scores (logits, margins, a binary step's 0/1) are positive above 0; probabilities from 0.5
            boolean predicted = task == Task.BINARY_SCORE ? pred[p + j] > 0f : pred[p + j] >= 0.5f;
            boolean actual = targets[t + j] > (task == Task.BINARY_SCORE ? 0f : 0.5f);
            if (predicted == actual) {
              correct++;
            }
          }
          break;
        default:
          for (int j = 0; j < targetWidth; j++) {
            double e = pred[p + j] - targets[t + j];
            squaredError += e * e;
            absoluteError += Math.abs(e);
            values++;
          }
      }
    }
  }

  static int argMax(float[] a, int offset, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (a[offset + j] > a[offset + best]) {
        best = j;
      }
    }
    return best;
  }

  /** Adds another evaluation's sums into this one; returns this. */
  public Evaluation merge(Evaluation other) {
    if (other.task != task) {
      throw new IllegalArgumentException("cannot merge a " + other.task + " evaluation into a " + task + " one");
    }
    lossSum += other.lossSum;
    examples += other.examples;
    correct += other.correct;
    decisions += other.decisions;
    squaredError += other.squaredError;
    absoluteError += other.absoluteError;
    values += other.values;
    return this;
  }

  /** The number of sums {@link #sums()} returns. */
  public static final int SUMS = 7;

  /**
   * The running sums as numbers, in a fixed order, for adding evaluations across processes as plain
   * vectors (counts are exact as doubles up to 2^53); {@link #ofSums} reads them back. Adding two such
   * vectors element by element equals {@link #merge}.
   */
  public double[] sums() {
    return new double[] {lossSum, examples, correct, decisions, squaredError, absoluteError, values};
  }

  /** The evaluation whose {@link #sums()} are {@code sums}. */
  public static Evaluation ofSums(Task task, double[] sums) {
    if (sums.length != SUMS) {
      throw new IllegalArgumentException("an evaluation has " + SUMS + " sums, got " + sums.length);
    }
    Evaluation e = new Evaluation(task);
    e.lossSum = sums[0];
    e.examples = (long) sums[1];
    e.correct = (long) sums[2];
    e.decisions = (long) sums[3];
    e.squaredError = sums[4];
    e.absoluteError = sums[5];
    e.values = (long) sums[6];
    return e;
  }

  public long examples() {
    return examples;
  }

  public double meanLoss() {
    return lossSum / Math.max(examples, 1);
  }

  /** Accuracy (per label for multi-label tasks), or NaN for regression. */
  public double accuracy() {
    return decisions == 0 ? Double.NaN : (double) correct / decisions;
  }

  /** The metrics by name, each prefixed (e.g. {@code val_}): loss, and accuracy or mse and mae. */
  public Map<String, Double> metrics(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "loss", meanLoss());
    if (task.isClassification()) {
      m.put(prefix + "accuracy", accuracy());
    } else {
      m.put(prefix + "mse", squaredError / Math.max(values, 1));
      m.put(prefix + "mae", absoluteError / Math.max(values, 1));
    }
    return m;
  }
}
