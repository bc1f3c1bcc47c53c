package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializer;
import java.util.random.RandomGenerator;

/**
 * Orthogonal initialization (Saxe et al. 2014) for recurrent matrices: the tensor is read as rows of
 * {@code fanIn} values and cut into square {@code fanIn × fanIn} blocks — one per gate of {@code U [G·u, u]}
 * — each a random orthogonal matrix times {@code gain} (Gaussian rows orthonormalized by Gram–Schmidt in
 * double, which draws from the uniform (Haar) distribution). A trailing partial block gets orthonormal rows.
 * Unlike Keras, which makes the whole {@code [u, G·u]} matrix orthogonal, every gate's block is orthogonal
 * by itself, so each gate's recurrence starts with all singular values equal to {@code gain}.
 */
final class OrthogonalInitializer implements Initializer {

  private final float gain;

  OrthogonalInitializer(float gain) {
    if (!(gain > 0) || Float.isInfinite(gain)) {
      throw new IllegalArgumentException("orthogonal initializer: the gain must be a positive number, got " + gain);
    }
    this.gain = gain;
  }

  @Override
  public void fill(float[] values, int offset, int length, int fanIn, int fanOut, RandomGenerator rng) {
    int cols = fanIn;
    if (cols <= 0 || length % cols != 0) {
      throw new IllegalArgumentException("orthogonal initializer: " + length + " values are not rows of " + cols);
    }
    int rows = length / cols;
    double[] q = new double[cols * cols];
    for (int start = 0; start < rows; start += cols) {
      int n = Math.min(cols, rows - start);
      for (int i = 0; i < n; i++) {
        double norm;
        do {
          for (int j = 0; j < cols; j++) {
            q[i * cols + j] = rng.nextGaussian();
          }
          for (int pass = 0; pass < 2; pass++) { // twice is enough for orthogonality to rounding
            for (int p = 0; p < i; p++) {
              double dot = 0;
              for (int j = 0; j < cols; j++) {
                dot += q[i * cols + j] * q[p * cols + j];
              }
              for (int j = 0; j < cols; j++) {
                q[i * cols + j] -= dot * q[p * cols + j];
              }
            }
          }
          double s = 0;
          for (int j = 0; j < cols; j++) {
            s += q[i * cols + j] * q[i * cols + j];
          }
          norm = Math.sqrt(s);
        } while (norm < 1e-6); // a draw (numerically) in the span of the earlier rows: draw again
        for (int j = 0; j < cols; j++) {
          q[i * cols + j] /= norm;
        }
      }
      for (int i = 0; i < n * cols; i++) {
        values[offset + start * cols + i] = (float) (gain * q[i]);
      }
    }
  }

  @Override
  public String name() {
    return gain == 1f ? "orthogonal" : "orthogonal(" + gain + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
