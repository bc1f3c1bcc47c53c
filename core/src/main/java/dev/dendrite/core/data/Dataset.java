package dev.dendrite.core.data;

import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * An in-memory dataset: {@code n} feature rows {@code [n, width]} and targets {@code [n, targetWidth]},
 * row-major float arrays, with optional per-example weights {@code [n]}. After one {@link #shuffle} per
 * epoch a mini-batch of rows {@code r .. r+B} is the slice starting at {@link #featureOffset}{@code (r)}
 * of {@link #features()} (and likewise for targets and weights): nothing is copied per step.
 *
 * <p>The arrays are live: {@link #shuffle} and preprocessing change them in place. Methods that return a
 * new dataset ({@link #subset}, {@link #withWeights}, ...) copy, so two datasets never share an array.
 */
public final class Dataset {

  /** What a target row holds. */
  public enum TargetKind {
    /** One float per example: the class index {@code 0 .. classes-1}. */
    CLASS_INDEX,
    /** {@code classes} floats per example, a single 1 and zeros. */
    ONE_HOT,
    /** One 0/1 float per label; an example may have several labels. */
    MULTI_LABEL,
    /** Real values used as they are (regression, or ±1 targets for hinge-type losses). */
    REGRESSION,
    /** No targets (target width 0): data to predict on. */
    NONE;

    /** The snake_case name used in config files, e.g. {@code class_index}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()}; the message lists the allowed names. */
    public static TargetKind parse(String key) {
      for (TargetKind k : values()) {
        if (k.key().equalsIgnoreCase(key.trim())) {
          return k;
        }
      }
      throw new IllegalArgumentException("'" + key + "' is not a target kind; expected one of "
          + Arrays.stream(values()).map(TargetKind::key).toList());
    }
  }

  private final float[] features;   // [n, width]
  private final Shape featureShape;
  private final int width;
  private final float[] targets;    // [n, targetWidth]
  private final int targetWidth;
  private final TargetKind targetKind;
  private final int classes;
  private final float[] weights;    // [n] or null
  private final String description;
  private final int n;

  /**
   * A dataset over the given arrays (not copied). Everything is checked: the array lengths against the
   * shape and the row count, features and weights finite (weights also {@code >= 0}), targets valid for
   * their kind. {@code classes} may be 0 to infer it: the largest class index + 1 for
   * {@link TargetKind#CLASS_INDEX}, the target width for one-hot and multi-label targets.
   *
   * @param features {@code [n, featureShape.size()]}
   * @param targets {@code [n, targetWidth]}
   * @param weights {@code [n]}, or null for weight 1 everywhere
   * @param description where the data came from, recorded with a model
   */
  public Dataset(float[] features, Shape featureShape, float[] targets, int targetWidth, TargetKind targetKind,
                 int classes, float[] weights, String description) {
    if (features == null || featureShape == null || targets == null || targetKind == null) {
      throw new IllegalArgumentException("features, feature shape, targets and target kind are required");
    }
    this.description = description == null ? "" : description;
    this.width = featureShape.size();
    if (features.length % width != 0) {
      throw new IllegalArgumentException(prefix() + "the feature array has " + features.length
          + " floats, not a multiple of the row width " + width + " (shape " + featureShape + ")");
    }
    this.n = features.length / width;
    if (targetWidth < 0 || (targetWidth == 0) != (targetKind == TargetKind.NONE)) {
      throw new IllegalArgumentException(prefix() + "target width " + targetWidth + " does not fit target kind "
          + targetKind.key() + " (only 'none' has width 0)");
    }
    if (targets.length != (long) n * targetWidth) {
      throw new IllegalArgumentException(prefix() + n + " feature rows need " + (long) n * targetWidth
          + " target floats (" + targetWidth + " per row), got " + targets.length);
    }
    if (weights != null && weights.length != n) {
      throw new IllegalArgumentException(prefix() + n + " rows need " + n + " weights, got " + weights.length);
    }
    this.features = features;
    this.featureShape = featureShape;
    this.targets = targets;
    this.targetWidth = targetWidth;
    this.targetKind = targetKind;
    this.weights = weights;
    checkFeatures();
    checkWeights();
    this.classes = checkTargets(classes);
  }

  /** Class-index targets ({@code labels[i]} is the class of row i); {@code classes} 0 infers it. */
  public static Dataset ofClasses(float[] features, Shape featureShape, float[] labels, int classes,
                                  String description) {
    return new Dataset(features, featureShape, labels, 1, TargetKind.CLASS_INDEX, classes, null, description);
  }

  /** Real-valued targets {@code [n, targetWidth]}. */
  public static Dataset ofRegression(float[] features, Shape featureShape, float[] targets, int targetWidth,
                                     String description) {
    return new Dataset(features, featureShape, targets, targetWidth, TargetKind.REGRESSION, 0, null,
        description);
  }

  private String prefix() {
    return description.isEmpty() ? "" : "dataset '" + description + "': ";
  }

  private void checkFeatures() {
    for (int i = 0; i < features.length; i++) {
      if (!Float.isFinite(features[i])) {
        throw new IllegalArgumentException(prefix() + "feature at row " + i / width + ", column " + i % width
            + " is " + features[i] + "; features must be finite numbers");
      }
    }
  }

  private void checkWeights() {
    if (weights == null) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (!(weights[i] >= 0) || weights[i] == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(prefix() + "weight of row " + i + " is " + weights[i]
            + "; weights must be finite and >= 0");
      }
    }
  }

  private int checkTargets(int classes) {
    if (classes < 0) {
      throw new IllegalArgumentException(prefix() + "classes must be >= 0 (0 = infer), got " + classes);
    }
    for (int i = 0; i < targets.length; i++) {
      if (!Float.isFinite(targets[i])) {
        throw new IllegalArgumentException(prefix() + "target at row " + i / targetWidth + ", column "
            + i % targetWidth + " is " + targets[i] + "; targets must be finite numbers");
      }
    }
    switch (targetKind) {
      case CLASS_INDEX: {
        if (targetWidth != 1) {
          throw new IllegalArgumentException(prefix() + "class-index targets have width 1, got " + targetWidth);
        }
        int max = -1;
        for (int r = 0; r < n; r++) {
          float t = targets[r];
          if (t < 0 || t != Math.rint(t) || t >= (1 << 24) || (classes > 0 && t >= classes)) {
            throw new IllegalArgumentException(prefix() + "label of row " + r + " is " + t
                + "; class indices must be integers in [0, " + (classes > 0 ? classes - 1 : "2^24") + "]");
          }
          max = Math.max(max, (int) t);
        }
        return classes > 0 ? classes : max + 1;
      }
      case ONE_HOT: {
        if (classes > 0 && classes != targetWidth) {
          throw new IllegalArgumentException(prefix() + "one-hot targets of " + classes
              + " classes need width " + classes + ", got " + targetWidth);
        }
        for (int r = 0; r < n; r++) {
          int ones = 0;
          for (int c = 0; c < targetWidth; c++) {
            float t = targets[r * targetWidth + c];
            if (t != 0f && t != 1f) {
              throw new IllegalArgumentException(prefix() + "one-hot target at row " + r + ", column " + c
                  + " is " + t + "; expected 0 or 1");
            }
            ones += t == 1f ? 1 : 0;
          }
          if (ones != 1) {
            throw new IllegalArgumentException(prefix() + "one-hot target of row " + r + " has " + ones
                + " ones; expected exactly one");
          }
        }
        return targetWidth;
      }
      case MULTI_LABEL: {
        if (classes > 0 && classes != targetWidth) {
          throw new IllegalArgumentException(prefix() + "multi-label targets of " + classes
              + " labels need width " + classes + ", got " + targetWidth);
        }
        for (int i = 0; i < targets.length; i++) {
          if (targets[i] != 0f && targets[i] != 1f) {
            throw new IllegalArgumentException(prefix() + "multi-label target at row " + i / targetWidth
                + ", column " + i % targetWidth + " is " + targets[i] + "; expected 0 or 1");
          }
        }
        return targetWidth;
      }
      default:
        if (classes != 0) {
          throw new IllegalArgumentException(prefix() + targetKind.key() + " targets have no classes, got "
              + classes);
        }
        return 0;
    }
  }

  /** The number of examples. */
  public int size() {
    return n;
  }

  /** Floats per feature row: {@code featureShape().size()}. */
  public int featureWidth() {
    return width;
  }

  /** The shape of one example, e.g. {@code [1, 28, 28]} or {@code [13]}. */
  public Shape featureShape() {
    return featureShape;
  }

  /** Floats per target row (1 for class indices, {@code classes} for one-hot, 0 for none). */
  public int targetWidth() {
    return targetWidth;
  }

  public TargetKind targetKind() {
    return targetKind;
  }

  /** The number of classes (labels, for multi-label); 0 for regression or no targets. */
  public int classes() {
    return classes;
  }

  /** Where the data came from, for model provenance. */
  public String description() {
    return description;
  }

  /** The live feature array {@code [n, featureWidth]}. */
  public float[] features() {
    return features;
  }

  /** The live target array {@code [n, targetWidth]}. */
  public float[] targets() {
    return targets;
  }

  /** The live weight array {@code [n]}, or null when every example weighs 1. */
  public float[] weights() {
    return weights;
  }

  public boolean hasWeights() {
    return weights != null;
  }

  /** Index of row {@code row}'s first feature in {@link #features()}. */
  public int featureOffset(int row) {
    return row * width;
  }

  /** Index of row {@code row}'s first target in {@link #targets()}. */
  public int targetOffset(int row) {
    return row * targetWidth;
  }

  /** A copy of one feature row. */
  public float[] featureRow(int row) {
    checkRow(row);
    return Arrays.copyOfRange(features, row * width, (row + 1) * width);
  }

  /** A copy of one target row. */
  public float[] targetRow(int row) {
    checkRow(row);
    return Arrays.copyOfRange(targets, row * targetWidth, (row + 1) * targetWidth);
  }

  /** The weight of one example (1 when there are no weights). */
  public float weight(int row) {
    checkRow(row);
    return weights == null ? 1f : weights[row];
  }

  /** The class of one example, for class-index or one-hot targets. */
  public int label(int row) {
    checkRow(row);
    if (targetKind == TargetKind.CLASS_INDEX) {
      return (int) targets[row];
    }
    if (targetKind == TargetKind.ONE_HOT) {
      int base = row * targetWidth;
      for (int c = 0; c < targetWidth; c++) {
        if (targets[base + c] == 1f) {
          return c;
        }
      }
    }
    throw new IllegalStateException(prefix() + targetKind.key() + " targets have no single class per row");
  }

  /** The class of every example, for class-index or one-hot targets. */
  public int[] labels() {
    int[] out = new int[n];
    for (int r = 0; r < n; r++) {
      out[r] = label(r);
    }
    return out;
  }

  /** Examples per class, for class-index or one-hot targets. */
  public int[] classCounts() {
    int[] counts = new int[classes];
    for (int r = 0; r < n; r++) {
      counts[label(r)]++;
    }
    return counts;
  }

  private void checkRow(int row) {
    if (row < 0 || row >= n) {
      throw new IndexOutOfBoundsException(prefix() + "row " + row + " is outside [0, " + n + ")");
    }
  }

  /** The number of mini-batches of {@code batchSize} rows (the last one may be smaller). */
  public int batchCount(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    return (n + batchSize - 1) / batchSize;
  }

  /** The first row of batch {@code batch}: {@code batch · batchSize}. */
  public int batchStart(int batch, int batchSize) {
    int count = batchCount(batchSize);
    if (batch < 0 || batch >= count) {
      throw new IndexOutOfBoundsException("batch " + batch + " is outside [0, " + count + ")");
    }
    return batch * batchSize;
  }

  /** The number of rows in batch {@code batch} ({@code batchSize}, or fewer for the last batch). */
  public int batchRows(int batch, int batchSize) {
    int start = batchStart(batch, batchSize);
    return Math.min(batchSize, n - start);
  }

  /**
   * Permutes the rows in place (features, targets and weights alike) with a Fisher-Yates shuffle drawing
   * from {@code rng}: the same generator state gives the same order.
   */
  public void shuffle(RandomGenerator rng) {
    float[] tmp = new float[Math.max(width, targetWidth)];
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      if (j != i) {
        swapRows(features, width, i, j, tmp);
        swapRows(targets, targetWidth, i, j, tmp);
        if (weights != null) {
          float w = weights[i];
          weights[i] = weights[j];
          weights[j] = w;
        }
      }
    }
  }

  private static void swapRows(float[] a, int w, int i, int j, float[] tmp) {
    if (w == 0) {
      return;
    }
    System.arraycopy(a, i * w, tmp, 0, w);
    System.arraycopy(a, j * w, a, i * w, w);
    System.arraycopy(tmp, 0, a, j * w, w);
  }

  /** A new dataset of the given rows, in that order (rows may repeat); copies. */
  public Dataset subset(int[] indices) {
    return subset(indices, description);
  }

  /** {@link #subset(int[])} with another description. */
  public Dataset subset(int[] indices, String newDescription) {
    float[] f = new float[indices.length * width];
    float[] t = new float[indices.length * targetWidth];
    float[] w = weights == null ? null : new float[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int r = indices[k];
      checkRow(r);
      System.arraycopy(features, r * width, f, k * width, width);
      System.arraycopy(targets, r * targetWidth, t, k * targetWidth, targetWidth);
      if (w != null) {
        w[k] = weights[r];
      }
    }
    return new Dataset(f, featureShape, t, targetWidth, targetKind, classes, w, newDescription);
  }

  /** Rows {@code from .. to-1} as a new dataset (a copy). */
  public Dataset range(int from, int to) {
    if (from < 0 || to > n || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") are outside [0, " + n + ")");
    }
    int[] idx = new int[to - from];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = from + k;
    }
    return subset(idx);
  }

  /** A copy with one-hot targets of {@code classes} classes; this dataset must have class indices. */
  public Dataset withOneHotTargets(int classes) {
    if (targetKind == TargetKind.ONE_HOT && classes == this.classes) {
      return copy(targets.clone(), targetWidth, targetKind, classes, weights, description);
    }
    if (targetKind != TargetKind.CLASS_INDEX) {
      throw new IllegalStateException(prefix() + "only class-index targets can be one-hot encoded, these are "
          + targetKind.key());
    }
    if (classes < this.classes) {
      throw new IllegalArgumentException(prefix() + "labels go up to class " + (this.classes - 1) + ", so "
          + classes + " classes are too few");
    }
    return copy(oneHot(targets, classes), classes, TargetKind.ONE_HOT, classes, weights, description);
  }

  /** A copy with one-hot targets of {@link #classes()} classes. */
  public Dataset withOneHotTargets() {
    return withOneHotTargets(classes);
  }

  /** A copy with these per-example weights ({@code [n]}, finite, {@code >= 0}; null removes them). */
  public Dataset withWeights(float[] newWeights) {
    return copy(targets.clone(), targetWidth, targetKind, classes, newWeights == null ? null : newWeights.clone(),
        description);
  }

  /** A copy with another description. */
  public Dataset withDescription(String newDescription) {
    return copy(targets.clone(), targetWidth, targetKind, classes, weights, newDescription);
  }

  /** A full copy. */
  public Dataset copy() {
    return withDescription(description);
  }

  private Dataset copy(float[] newTargets, int newTargetWidth, TargetKind kind, int newClasses, float[] w,
                       String newDescription) {
    return new Dataset(features.clone(), featureShape, newTargets, newTargetWidth, kind, newClasses,
        w == weights && w != null ? w.clone() : w, newDescription);
  }

  /**
   * One-hot encoding: {@code labels [n]} of class indices into {@code [n, classes]}; a label outside
   * {@code [0, classes)} or not an integer is an error naming its row.
   */
  public static float[] oneHot(float[] labels, int classes) {
    if (classes <= 0) {
      throw new IllegalArgumentException("one-hot encoding needs classes > 0, got " + classes);
    }
    float[] out = new float[Math.multiplyExact(labels.length, classes)];
    for (int r = 0; r < labels.length; r++) {
      float t = labels[r];
      if (!(t >= 0 && t < classes && t == Math.rint(t))) {
        throw new IllegalArgumentException("label of row " + r + " is " + t + "; expected a class index in [0, "
            + (classes - 1) + "]");
      }
      out[r * classes + (int) t] = 1f;
    }
    return out;
  }

  @Override
  public String toString() {
    return "Dataset[" + (description.isEmpty() ? "" : description + ", ") + n + " × " + featureShape + ", "
        + targetKind.key() + " targets of width " + targetWidth + (classes > 0 ? ", " + classes + " classes" : "")
        + (weights != null ? ", weighted" : "") + "]";
  }
}
