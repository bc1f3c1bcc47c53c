package dev.dendrite.core.data;

import java.io.Serializable;

/**
 * Per-feature count, mean, sum of squared deviations, minimum and maximum of rows of floats, in double,
 * mergeable (Chan et al.'s pairwise update) so that partitions can be summarized apart and combined: what
 * {@link StandardScaler} and {@link MinMaxScaler} learn, fitted on data spread over a cluster. Merging in
 * a fixed order gives the same result on every run.
 */
public final class ColumnStatistics implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int width;
  private long count;
  private final double[] mean;
  private final double[] m2;     // sum of squared deviations from the mean
  private final double[] min;
  private final double[] max;

  public ColumnStatistics(int width) {
    this.width = width;
    this.mean = new double[width];
    this.m2 = new double[width];
    this.min = new double[width];
    this.max = new double[width];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  /** Adds {@code rows} rows of {@link #width} features stored row-major in {@code x} from index 0. */
  public ColumnStatistics add(float[] x, int rows) {
    if (rows == 0) {
      return this;
    }
    ColumnStatistics part = new ColumnStatistics(width);
    part.count = rows;
    for (int r = 0; r < rows; r++) {    // two passes over the rows: no cancellation from E[x²] - E[x]²
      for (int j = 0; j < width; j++) {
        float v = x[r * width + j];
        part.mean[j] += v;
        part.min[j] = Math.min(part.min[j], v);
        part.max[j] = Math.max(part.max[j], v);
      }
    }
    for (int j = 0; j < width; j++) {
      part.mean[j] /= rows;
    }
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < width; j++) {
        double d = x[r * width + j] - part.mean[j];
        part.m2[j] += d * d;
      }
    }
    return merge(part);
  }

  /** Adds another summary into this one (in place) and returns this. */
  public ColumnStatistics merge(ColumnStatistics other) {
    if (other.width != width) {
      throw new IllegalArgumentException("cannot merge statistics of " + other.width + " columns into " + width);
    }
    if (other.count == 0) {
      return this;
    }
    long n = count + other.count;
    for (int j = 0; j < width; j++) {
      double delta = other.mean[j] - mean[j];
      mean[j] += delta * other.count / n;
      m2[j] += other.m2[j] + delta * delta * ((double) count * other.count / n);
      min[j] = Math.min(min[j], other.min[j]);
      max[j] = Math.max(max[j], other.max[j]);
    }
    count = n;
    return this;
  }

  public long count() {
    return count;
  }

  public double[] mean() {
    return mean.clone();
  }

  /** Population standard deviations (divided by n, as {@link StandardScaler#fit} computes them). */
  public double[] std() {
    double[] s = new double[width];
    for (int j = 0; j < width; j++) {
      s[j] = count == 0 ? 0 : Math.sqrt(m2[j] / count);
    }
    return s;
  }

  public double[] min() {
    return min.clone();
  }

  public double[] max() {
    return max.clone();
  }

  /**
   * {@code unfitted}'s kind fitted on these statistics: standardization (a constant column's std
   * becomes 1, as in {@link StandardScaler#fit}) or min-max scaling; other kinds are returned unchanged.
   */
  public Preprocessor fit(Preprocessor unfitted) {
    if (count == 0) {
      throw new IllegalArgumentException("cannot fit " + unfitted.type() + " preprocessing on no examples");
    }
    if (unfitted instanceof StandardScaler) {
      double[] sd = std();
      for (int j = 0; j < width; j++) {
        sd[j] = sd[j] > 0 ? sd[j] : 1.0;
      }
      return new StandardScaler(mean(), sd);
    }
    if (unfitted instanceof MinMaxScaler) {
      return new MinMaxScaler(min(), max());
    }
    return unfitted;
  }
}
