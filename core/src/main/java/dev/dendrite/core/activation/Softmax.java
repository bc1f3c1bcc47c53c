package dev.dendrite.core.activation;

import dev.dendrite.core.linalg.Kernels;

/**
 * Row-wise {@code y_i = e^{z_i} / Σ_j e^{z_j}} (the row maximum is subtracted first). Its Jacobian is
 * {@code ∂y_i/∂z_j = y_i (δ_ij - y_j)}, so {@code dZ_i = y_i (dY_i - Σ_j dY_j y_j)}. With categorical
 * cross-entropy the network skips this and uses the fused gradient {@code p - y} instead.
 */
public final class Softmax implements Activation {

  @Override
  public String name() {
    return "softmax";
  }

  @Override
  public void forward(float[] z, float[] y, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, z[o + j]);
      }
      for (int j = 0; j < cols; j++) {
        y[o + j] = z[o + j] - max;
      }
    }
    Kernels.exp(y, y, 0, rows * cols); // one vectorized pass over the batch: rows are often short (10 classes)
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += y[o + j];
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < cols; j++) {
        y[o + j] *= inv;
      }
    }
  }

  @Override
  public void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double dot = 0;
      for (int j = 0; j < cols; j++) {
        dot += dY[o + j] * y[o + j];
      }
      float d = (float) dot;
      for (int j = 0; j < cols; j++) {
        dZ[o + j] = y[o + j] * (dY[o + j] - d);
      }
    }
  }

  /** The full Jacobian of one row, {@code J[i][j] = y_i (δ_ij - y_j)}: for tests and teaching. */
  public static float[][] jacobian(float[] y) {
    float[][] jac = new float[y.length][y.length];
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < y.length; j++) {
        jac[i][j] = y[i] * ((i == j ? 1f : 0f) - y[j]);
      }
    }
    return jac;
  }

  @Override
  public String toString() {
    return name();
  }
}
