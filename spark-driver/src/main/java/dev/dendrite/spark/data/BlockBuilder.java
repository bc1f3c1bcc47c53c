package dev.dendrite.spark.data;

import java.util.Arrays;

/** Accumulates examples of one partition into growable float arrays, then freezes them into a {@link DataBlock}. */
final class BlockBuilder {

  private final int partition;
  private final int featureWidth;
  private final int targetWidth;
  private float[] features;
  private float[] targets;
  private float[] weights;
  private boolean weighted;
  private int size;

  BlockBuilder(int partition, int featureWidth, int targetWidth) {
    this.partition = partition;
    this.featureWidth = featureWidth;
    this.targetWidth = targetWidth;
    this.features = new float[64 * featureWidth];
    this.targets = new float[64 * targetWidth];
    this.weights = new float[64];
  }

  /** Room for one more example; returns its row index. Callers fill features and targets at that row. */
  int addRow(float weight) {
    if (size == weights.length) {
      int capacity = Math.max(64, size + (size >> 1));
      features = Arrays.copyOf(features, capacity * featureWidth);
      targets = Arrays.copyOf(targets, capacity * targetWidth);
      weights = Arrays.copyOf(weights, capacity);
    }
    weights[size] = weight;
    weighted |= weight != 1f;
    return size++;
  }

  float[] features() {
    return features;
  }

  float[] targets() {
    return targets;
  }

  DataBlock build() {
    return build(null);
  }

  /** The block, carrying {@code problem} (null for none). */
  DataBlock build(DataProblem problem) {
    return new DataBlock(partition, size, featureWidth, targetWidth,
        Arrays.copyOf(features, size * featureWidth), Arrays.copyOf(targets, size * targetWidth),
        weighted ? Arrays.copyOf(weights, size) : null, problem);
  }
}
