/**
 * The matrix-multiply seam ({@link dev.dendrite.core.linalg.Gemm}) and its backends: EJML (pure Java,
 * the reference in tests) and netlib BLAS (native OpenBLAS when the host has it).
 */
package dev.dendrite.core.linalg;
