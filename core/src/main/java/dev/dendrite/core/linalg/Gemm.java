package dev.dendrite.core.linalg;

/**
 * Single-precision general matrix multiply on row-major arrays with offsets:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(A)} is {@code m×k}, {@code op(B)} is
 * {@code k×n} and {@code C} is {@code m×n}. Leading dimensions are row strides (the number of columns of
 * the stored, untransposed matrix). Only {@code c} is modified.
 */
public interface Gemm {

  void gemm(boolean transA, boolean transB, int m, int n, int k,
            float alpha, float[] a, int aOffset, int lda,
            float[] b, int bOffset, int ldb,
            float beta, float[] c, int cOffset, int ldc);

  /** A short name for logs and benchmarks, e.g. {@code blas:JNIBLAS}. */
  String name();
}
