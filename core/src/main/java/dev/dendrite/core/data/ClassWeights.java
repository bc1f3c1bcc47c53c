package dev.dendrite.core.data;

import java.util.Map;

/**
 * Weights that make rare classes count more in the loss: "balanced" ones computed from the class counts
 * as scikit-learn does, or given ones, turned into the per-example weights a {@link Dataset} carries.
 */
public final class ClassWeights {

  private ClassWeights() {
  }

  /**
   * {@code w_c = n / (k · count_c)} over the k classes present, computed in double (scikit-learn's
   * {@code class_weight="balanced"}): the weighted count of every present class is n / k, and the mean
   * example weight is 1. A class with no example gets weight 0.
   */
  public static float[] balanced(Dataset data) {
    int[] counts = data.classCounts();
    int present = 0;
    for (int c : counts) {
      present += c > 0 ? 1 : 0;
    }
    float[] w = new float[counts.length];
    for (int c = 0; c < counts.length; c++) {
      w[c] = counts[c] == 0 ? 0f : (float) ((double) data.size() / ((double) present * counts[c]));
    }
    return w;
  }

  /** Given weights by class index ({@code {0: 1, 1: 5}}); classes not named weigh 1. */
  public static float[] given(Map<Integer, ? extends Number> byClass, int classes) {
    float[] w = new float[classes];
    java.util.Arrays.fill(w, 1f);
    for (Map.Entry<Integer, ? extends Number> e : byClass.entrySet()) {
      int c = e.getKey();
      double v = e.getValue().doubleValue();
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException("class weight for class " + c + ": classes are 0.." + (classes - 1));
      }
      if (!(v >= 0 && Double.isFinite(v))) {
        throw new IllegalArgumentException("class weight for class " + c + " is " + v + "; expected a finite number >= 0");
      }
      w[c] = (float) v;
    }
    return w;
  }

  /** The weight of each example: {@code classWeights[label(r)]} ({@code [n]}). */
  public static float[] perExample(Dataset data, float[] classWeights) {
    if (classWeights.length != data.classes()) {
      throw new IllegalArgumentException(classWeights.length + " class weights given for " + data.classes()
          + " classes");
    }
    float[] w = new float[data.size()];
    for (int r = 0; r < w.length; r++) {
      w[r] = classWeights[data.label(r)];
    }
    return w;
  }

  /** A copy of {@code data} whose example weights are multiplied by their class's weight. */
  public static Dataset apply(Dataset data, float[] classWeights) {
    float[] w = perExample(data, classWeights);
    if (data.hasWeights()) {
      float[] old = data.weights();
      for (int r = 0; r < w.length; r++) {
        w[r] *= old[r];
      }
    }
    return data.withWeights(w);
  }
}
