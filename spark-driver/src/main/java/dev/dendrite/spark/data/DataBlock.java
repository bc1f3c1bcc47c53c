package dev.dendrite.spark.data;

import java.io.Serializable;

/**
 * One partition's training data, converted once to dense float arrays and cached: features
 * {@code [n, featureWidth]}, targets {@code [n, targetWidth]} and optional per-example weights. It
 * travels only between Spark's block manager and the tasks that read it (never in model files). A block
 * built from data files also carries the earliest {@link DataProblem} its rows had (null when all were
 * valid), so that the job materializing the blocks can report it once, without failing a task.
 */
public final class DataBlock implements Serializable {

  private static final long serialVersionUID = 2L;

  private final int partition;
  private final int size;
  private final int featureWidth;
  private final int targetWidth;
  private final float[] features;
  private final float[] targets;
  private final float[] weights;
  private final DataProblem problem;

  public DataBlock(int partition, int size, int featureWidth, int targetWidth, float[] features,
                   float[] targets, float[] weights) {
    this(partition, size, featureWidth, targetWidth, features, targets, weights, null);
  }

  public DataBlock(int partition, int size, int featureWidth, int targetWidth, float[] features,
                   float[] targets, float[] weights, DataProblem problem) {
    if (features.length != (long) size * featureWidth || targets.length != (long) size * targetWidth
        || (weights != null && weights.length != size)) {
      throw new IllegalArgumentException("block of partition " + partition + ": array lengths do not match "
          + size + " examples of width " + featureWidth + " and target width " + targetWidth);
    }
    this.partition = partition;
    this.size = size;
    this.featureWidth = featureWidth;
    this.targetWidth = targetWidth;
    this.features = features;
    this.targets = targets;
    this.weights = weights;
    this.problem = problem;
  }

  public int partition() {
    return partition;
  }

  public int size() {
    return size;
  }

  public int featureWidth() {
    return featureWidth;
  }

  public int targetWidth() {
    return targetWidth;
  }

  public float[] features() {
    return features;
  }

  public float[] targets() {
    return targets;
  }

  /** Per-example weights, or null when every example weighs 1. */
  public float[] weights() {
    return weights;
  }

  /** The earliest bad row met while this block was built, or null when every row was valid. */
  public DataProblem problem() {
    return problem;
  }
}
