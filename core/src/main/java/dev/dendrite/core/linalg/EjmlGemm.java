package dev.dendrite.core.linalg;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * {@link Gemm} through EJML's pure-Java row-major multiply: always available, the reference backend in
 * tests. EJML matrices start at offset 0, so operands are copied into scratch matrices that grow on
 * demand and are then reused (no allocation in steady state). Not thread-safe: one instance per thread.
 */
public final class EjmlGemm implements Gemm {

  private final FMatrixRMaj a = new FMatrixRMaj(1, 1);
  private final FMatrixRMaj b = new FMatrixRMaj(1, 1);
  private final FMatrixRMaj c = new FMatrixRMaj(1, 1);

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   float alpha, float[] aData, int aOffset, int lda,
                   float[] bData, int bOffset, int ldb,
                   float beta, float[] cData, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    load(a, aData, aOffset, lda, transA ? k : m, transA ? m : k);
    load(b, bData, bOffset, ldb, transB ? n : k, transB ? k : n);
    c.reshape(m, n);
    if (transA && transB) {
      CommonOps_FDRM.multTransAB(alpha, a, b, c);
    } else if (transA) {
      CommonOps_FDRM.multTransA(alpha, a, b, c);
    } else if (transB) {
      CommonOps_FDRM.multTransB(alpha, a, b, c);
    } else {
      CommonOps_FDRM.mult(alpha, a, b, c);
    }
    float[] product = c.data;
    for (int i = 0; i < m; i++) {
      int row = cOffset + i * ldc;
      int src = i * n;
      if (beta == 0f) {
        System.arraycopy(product, src, cData, row, n);
      } else {
        for (int j = 0; j < n; j++) {
          cData[row + j] = beta * cData[row + j] + product[src + j];
        }
      }
    }
  }

  private static void load(FMatrixRMaj dst, float[] src, int offset, int ld, int rows, int cols) {
    dst.reshape(rows, cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(src, offset + i * ld, dst.data, i * cols, cols);
    }
  }

  @Override
  public String name() {
    return "ejml";
  }
}
