package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.BlasGemm;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.random.Rng;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One single-precision GEMM {@code C[m,n] = op(A)·op(B)} per invocation through Dendrite's {@link Gemm}
 * seam, per backend and shape; {@link BenchRunner} turns the average time into GFLOP/s = 2mnk / time.
 * The shape is {@code m x k x n} ({@code 128x784x256} is 128×784 · 784×256).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark {

  /** {@code ejml}, {@code blas-native} (netlib over OpenBLAS through JNI), {@code blas-java} (netlib's Java code). */
  @Param({"ejml", "blas-native", "blas-java"})
  public String backend;

  /** {@code m x k x n}. */
  @Param({"128x784x256", "128x256x128", "512x512x512", "1024x1024x1024"})
  public String shape;

  /**
   * Operand layout as in {@link Gemm#gemm}: {@code nn}; or the three calls a dense layer makes:
   * {@code nt} (forward, x·Wᵀ), {@code tn} (dW = dZᵀ·x), {@code nn} (dX = dZ·W).
   */
  @Param({"nn"})
  public String op;

  private Gemm gemm;
  private int m;
  private int n;
  private int k;
  private boolean transA;
  private boolean transB;
  private float[] a;
  private float[] b;
  private float[] c;

  @Setup(Level.Trial)
  public void setUp() {
    gemm = backend(backend);
    int[] mkn = parseShape(shape);
    m = mkn[0];
    k = mkn[1];
    n = mkn[2];
    transA = op.charAt(0) == 't';
    transB = op.charAt(1) == 't';
    Rng rng = new Rng(42);
    a = random(m * k, rng);
    b = random(k * n, rng);
    c = new float[m * n];
  }

  @Benchmark
  public float[] gemm() {
    // leading dimensions are the row strides of the stored matrices
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
    return c;
  }

  /** The {@link Gemm} for a backend name, failing with what to install when native BLAS is missing. */
  static Gemm backend(String name) {
    switch (name) {
      case "ejml":
        return new EjmlGemm();
      case "blas-native":
        try {
          return new BlasGemm(NativeBLAS.getInstance());
        } catch (RuntimeException | LinkageError e) {
          throw new IllegalStateException("backend blas-native: netlib could not load native BLAS "
              + "(libblas.so.3); on Debian: apt-get install libopenblas0 (" + e + ")", e);
        }
      case "blas-java":
        return new BlasGemm(JavaBLAS.getInstance());
      default:
        throw new IllegalArgumentException("backend " + name + " is not one of ejml, blas-native, blas-java");
    }
  }

  /** {@code "128x784x256"} → {@code {128, 784, 256}} (m, k, n). */
  static int[] parseShape(String shape) {
    String[] parts = shape.split("x");
    if (parts.length != 3) {
      throw new IllegalArgumentException("shape " + shape + " is not m x k x n, e.g. 128x784x256");
    }
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
  }

  private static float[] random(int size, Rng rng) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = rng.nextFloat() * 2f - 1f;
    }
    return v;
  }
}
