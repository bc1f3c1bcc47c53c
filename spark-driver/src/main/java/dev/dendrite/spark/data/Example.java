package dev.dendrite.spark.data;

import java.io.Serializable;

/**
 * One training example for RDD input: features, target values (a class index as one value, one-hot,
 * or regression targets) and a weight (1 for unweighted).
 */
public record Example(float[] features, float[] target, float weight) implements Serializable {

  public Example(float[] features, float label) {
    this(features, new float[] {label}, 1f);
  }
}
