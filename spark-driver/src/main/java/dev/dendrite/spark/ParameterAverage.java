package dev.dendrite.spark;

import java.io.Serializable;

/**
 * What executors send back in a parameter-averaging round: parameters and optimizer state vectors
 * summed with each partition's example count as weight, plus the loss sum and the count. Merged in
 * place, like {@link GradientSum}.
 */
final class ParameterAverage implements Serializable {

  private static final long serialVersionUID = 1L;

  private float[] params;
  private float[][] slots;
  private double weight;
  private double loss;
  private long count;

  /** Adds one partition's parameters and state, weighted by the examples it trained on. */
  ParameterAverage add(float[] partitionParams, float[][] partitionSlots, long examples, double lossSum) {
    float w = examples;
    if (params == null) {
      params = new float[partitionParams.length];
      slots = new float[partitionSlots.length][];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = new float[partitionSlots[s].length];
      }
    }
    axpy(w, partitionParams, params);
    for (int s = 0; s < slots.length; s++) {
      axpy(w, partitionSlots[s], slots[s]);
    }
    weight += examples;
    loss += lossSum;
    count += examples;
    return this;
  }

  ParameterAverage merge(ParameterAverage other) {
    if (other.params != null) {
      if (params == null) {
        params = other.params;
        slots = other.slots;
      } else {
        axpy(1f, other.params, params);
        for (int s = 0; s < slots.length; s++) {
          axpy(1f, other.slots[s], slots[s]);
        }
      }
    }
    weight += other.weight;
    loss += other.loss;
    count += other.count;
    return this;
  }

  private static void axpy(float a, float[] x, float[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  /** Divides the sums by the total weight, giving the averages in place. */
  void normalize() {
    float inv = (float) (1.0 / weight);
    for (int i = 0; i < params.length; i++) {
      params[i] *= inv;
    }
    for (float[] slot : slots) {
      for (int i = 0; i < slot.length; i++) {
        slot[i] *= inv;
      }
    }
  }

  float[] params() {
    return params;
  }

  float[][] slots() {
    return slots;
  }

  double loss() {
    return loss;
  }

  long count() {
    return count;
  }
}
