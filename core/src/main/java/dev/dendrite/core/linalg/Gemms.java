package dev.dendrite.core.linalg;

import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link Gemm} backend: netlib BLAS unless the system property {@code dendrite.gemm} is
 * {@code ejml}. Which implementation loaded is logged once, with a warning when it is not native code.
 */
public final class Gemms {

  /** System property selecting the backend: {@code blas} (default) or {@code ejml}. */
  public static final String PROPERTY = "dendrite.gemm";

  private static final Logger LOG = LoggerFactory.getLogger(Gemms.class);
  private static volatile boolean logged;
  private static volatile boolean warnedOfCompetingThreads;

  private Gemms() {
  }

  /** A new instance of the configured backend (EJML instances hold scratch space: one per thread). */
  public static Gemm create() {
    return factory(System.getProperty(PROPERTY, "blas")).get();
  }

  /** A factory for the named backend: {@code blas} or {@code ejml}. */
  public static Supplier<Gemm> factory(String backend) {
    switch (backend.toLowerCase(Locale.ROOT)) {
      case "ejml":
        return EjmlGemm::new;
      case "blas":
        return () -> {
          BlasGemm gemm = BlasGemm.defaultInstance();
          logOnce(gemm);
          return gemm;
        };
      default:
        throw new IllegalArgumentException(
            PROPERTY + "=" + backend + " is not a GEMM backend; use blas or ejml");
    }
  }

  /**
   * Logs, once per JVM, {@link BlasThreads#competingThreadsWarning} when {@code callers} threads are about to
   * call the backend named {@code gemmName} ({@link Gemm#name()}) at once and it is native BLAS free to
   * start threads of its own.
   */
  public static void warnIfThreadsCompete(String gemmName, int callers) {
    if (warnedOfCompetingThreads || callers < 2) {
      return;
    }
    BlasGemm blas = BlasGemm.defaultInstance();
    if (!gemmName.equals(blas.name()) || !blas.isNative()) {
      return;
    }
    BlasThreads.competingThreadsWarning(callers, Runtime.getRuntime().availableProcessors(), System.getenv())
        .ifPresent(warning -> {
          warnedOfCompetingThreads = true;
          LOG.warn(warning);
        });
  }

  private static void logOnce(BlasGemm gemm) {
    if (logged) {
      return;
    }
    logged = true;
    if (gemm.isNative()) {
      String threads = System.getenv("OPENBLAS_NUM_THREADS");
      String core = System.getenv("OPENBLAS_CORETYPE");
      // OpenBLAS falls back to SSE3 kernels on a CPU newer than its release; bin/openblas-env sets this
      LOG.info("GEMM backend {} (native BLAS; OPENBLAS_NUM_THREADS={}, OPENBLAS_CORETYPE={})", gemm.name(),
          threads == null ? "unset" : threads, core == null ? "unset (OpenBLAS's own choice)" : core);
    } else {
      LOG.warn("GEMM backend {} is netlib's Java fallback, 3-4x slower than native OpenBLAS: "
          + "install libopenblas0 (Debian) and run with --add-modules=jdk.incubator.vector", gemm.name());
    }
  }
}
