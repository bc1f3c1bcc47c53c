package dev.dendrite.spark.ml;

import org.apache.spark.ml.linalg.DenseVector;

/**
 * A classifier's output columns from one row of logits, with MLlib's meanings and in the order Spark's
 * {@code ProbabilisticClassificationModel.transform} appends them: {@code rawPrediction} (the logits),
 * {@code probability} (their softmax), {@code prediction} (the arg-max of the logits, or with
 * {@code thresholds} the arg-max of probability / threshold, a zero threshold winning). The same
 * arithmetic as the model's single-row {@code predictRaw}, {@code raw2probability} and
 * {@code raw2prediction}, so batched and single-row scores agree (up to float rounding: a batch of one
 * may sum a layer's products in another order than a batch of 256).
 */
record ClassifierColumns(boolean raw, boolean probability, boolean prediction, double[] thresholds)
    implements NetworkTransform.OutputColumns {

  @Override
  public Object[] values(float[] y, int offset, int width) {
    double[] scores = new double[width];
    for (int j = 0; j < width; j++) {
      scores[j] = y[offset + j];
    }
    double[] p = scores.clone();
    softmaxInPlace(p);
    Object[] out = new Object[(raw ? 1 : 0) + (probability ? 1 : 0) + (prediction ? 1 : 0)];
    int i = 0;
    if (raw) {
      out[i++] = new DenseVector(scores);
    }
    if (probability) {
      out[i++] = new DenseVector(p);
    }
    if (prediction) {
      out[i] = (double) predict(scores, p, thresholds);
    }
    return out;
  }

  /** Spark's rule: without thresholds the arg-max of the scores, else of probability / threshold. */
  static int predict(double[] scores, double[] probabilities, double[] thresholds) {
    if (thresholds == null) {
      return argMax(scores);
    }
    double[] scaled = new double[probabilities.length];
    for (int j = 0; j < scaled.length; j++) {
      scaled[j] = thresholds[j] == 0 ? Double.POSITIVE_INFINITY : probabilities[j] / thresholds[j];
    }
    return argMax(scaled);
  }

  /** The first index of the largest value (as {@code Vector.argmax}). */
  static int argMax(double[] v) {
    int best = 0;
    for (int j = 1; j < v.length; j++) {
      if (v[j] > v[best]) {
        best = j;
      }
    }
    return best;
  }

  /** Softmax in place, in double, after subtracting the largest score (no overflow for any finite logits). */
  static void softmaxInPlace(double[] v) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int j = 0; j < v.length; j++) {
      v[j] = Math.exp(v[j] - max);
      sum += v[j];
    }
    for (int j = 0; j < v.length; j++) {
      v[j] /= sum;
    }
  }
}
