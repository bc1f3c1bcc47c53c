package dev.dendrite.core.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * {@link Gemm} through netlib BLAS: native OpenBLAS (via JNI) when {@code libblas.so.3} loads, otherwise
 * netlib's pure-Java implementation (Vector API when {@code jdk.incubator.vector} is present).
 *
 * <p>BLAS is column-major; a row-major {@code C = op(A)·op(B)} is the column-major
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, so the operands are swapped and no data moves.
 */
public final class BlasGemm implements Gemm {

  private final BLAS blas;

  public BlasGemm(BLAS blas) {
    this.blas = blas;
  }

  /** The implementation netlib chose for this JVM. */
  public static BlasGemm defaultInstance() {
    return new BlasGemm(BLAS.getInstance());
  }

  /** True when netlib runs native code rather than its Java fallback. */
  public boolean isNative() {
    return blas instanceof dev.ludovic.netlib.blas.NativeBLAS;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   float alpha, float[] a, int aOffset, int lda,
                   float[] b, int bOffset, int ldb,
                   float beta, float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k,
        alpha, b, bOffset, ldb, a, aOffset, lda, beta, c, cOffset, ldc);
  }

  @Override
  public String name() {
    return "blas:" + blas.getClass().getSimpleName();
  }
}
