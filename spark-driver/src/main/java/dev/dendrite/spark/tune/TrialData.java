package dev.dendrite.spark.tune;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.spark.DataBlock;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * A run's prepared training and validation examples as flat arrays (already preprocessed, targets in the
 * loss's form), shipped to executors once in a broadcast. Each trial trains on its own
 * {@linkplain #train() copy}, because a local trainer shuffles its training rows in place.
 */
public final class TrialData implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int featureWidth;
  private final int targetWidth;
  private final Part train;
  private final Part validation;

  /** One split: features {@code [n, featureWidth]}, targets {@code [n, targetWidth]}, weights or null. */
  record Part(float[] features, float[] targets, float[] weights, int size) implements Serializable {
  }

  private TrialData(int featureWidth, int targetWidth, Part train, Part validation) {
    this.featureWidth = featureWidth;
    this.targetWidth = targetWidth;
    this.train = train;
    this.validation = validation;
  }

  /** Collects cached blocks (validation may be null) to the driver, in partition order. */
  public static TrialData collect(JavaRDD<DataBlock> train, JavaRDD<DataBlock> validation) {
    List<DataBlock> t = train.collect();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("the training data has no examples");
    }
    int fw = t.get(0).featureWidth();
    int tw = t.get(0).targetWidth();
    return new TrialData(fw, tw, part(t, fw, tw), validation == null ? null : part(validation.collect(), fw, tw));
  }

  /**
   * The bytes the arrays of {@code examples} examples take: what every executor holds once, and every
   * running trial once more.
   */
  public static long estimatedBytes(long examples, int featureWidth, int targetWidth) {
    return examples * (featureWidth + targetWidth + 1L) * Float.BYTES;
  }

  private static Part part(List<DataBlock> blocks, int fw, int tw) {
    long n = 0;
    boolean weighted = false;
    for (DataBlock b : blocks) {
      n += b.size();
      weighted |= b.weights() != null;
    }
    if (n * Math.max(fw, tw) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(n + " examples of " + fw + " features do not fit one array; "
          + "tune them with execution: distributed");
    }
    float[] x = new float[(int) n * fw];
    float[] y = new float[(int) n * tw];
    float[] w = weighted ? new float[(int) n] : null;
    int row = 0;
    for (DataBlock b : blocks) {
      System.arraycopy(b.features(), 0, x, row * fw, b.size() * fw);
      System.arraycopy(b.targets(), 0, y, row * tw, b.size() * tw);
      if (w != null) {
        if (b.weights() != null) {
          System.arraycopy(b.weights(), 0, w, row, b.size());
        } else {
          java.util.Arrays.fill(w, row, row + b.size(), 1f);
        }
      }
      row += b.size();
    }
    return new Part(x, y, w, (int) n);
  }

  public int trainExamples() {
    return train.size();
  }

  public int validationExamples() {
    return validation == null ? 0 : validation.size();
  }

  public long bytes() {
    return estimatedBytes(trainExamples() + (long) validationExamples(), featureWidth, targetWidth);
  }

  /** A fresh copy of the training split for one trial. */
  public Dataset train() {
    return dataset(train, "training rows");
  }

  /** The validation split (read only by evaluation, so shared), or null. */
  public Dataset validation() {
    return validation == null ? null : dataset(validation, "validation rows", false);
  }

  private Dataset dataset(Part p, String what) {
    return dataset(p, what, true);
  }

  private Dataset dataset(Part p, String what, boolean copy) {
    // targets are already in the loss's form (one-hot or 0/1 or values): read as plain values
    return new Dataset(copy ? p.features().clone() : p.features(), Shape.of(featureWidth),
        copy ? p.targets().clone() : p.targets(), targetWidth, Dataset.TargetKind.REGRESSION, 0,
        p.weights() == null ? null : copy ? p.weights().clone() : p.weights(), "tune " + what);
  }
}
