package dev.dendrite.core.linalg;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How many threads native OpenBLAS starts for each call, as the environment it loaded with decides, and
 * the warning for a program that also calls it from several threads of its own at once.
 *
 * <p>OpenBLAS reads its thread count once, when it loads: the first of {@link #VARIABLES} that holds a
 * positive integer, else one thread per core. A training step split over two threads, each of whose
 * products OpenBLAS splits again over both cores, ran at 0.28× the one-thread step on 2 cores (and two
 * independent steps at once at 0.41× one, against 2.1× with {@code OPENBLAS_NUM_THREADS=1}): the two pools
 * take turns on the cores and evict each other's cache.
 */
public final class BlasThreads {

  /** The variables OpenBLAS takes its thread count from, first to last (it ignores values below 1). */
  public static final List<String> VARIABLES = List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS",
      "OMP_NUM_THREADS");

  private BlasThreads() {
  }

  /** The setting OpenBLAS follows, as {@code NAME=value}, or empty when none is set (one thread per core). */
  public static Optional<String> setting(Map<String, String> env) {
    for (String name : VARIABLES) {
      String value = env.get(name);
      if (value != null && threads(value) > 0) {
        return Optional.of(name + "=" + value.trim());
      }
    }
    return Optional.empty();
  }

  /** Whether OpenBLAS, loaded with this environment, runs every call on the calling thread alone. */
  public static boolean singleThreaded(Map<String, String> env) {
    return setting(env).map(s -> threads(s.substring(s.indexOf('=') + 1)) == 1).orElse(false);
  }

  /**
   * The warning for {@code callers} threads calling OpenBLAS at once, in a JVM with {@code cores} cores,
   * under this environment; empty when OpenBLAS keeps to the calling thread or nothing competes.
   */
  public static Optional<String> competingThreadsWarning(int callers, int cores, Map<String, String> env) {
    if (callers < 2 || cores < 2 || singleThreaded(env)) {
      return Optional.empty();
    }
    String setting = setting(env).orElse("OPENBLAS_NUM_THREADS unset");
    return Optional.of(String.format(Locale.ROOT, "%d threads call native BLAS at once, and with %s OpenBLAS "
        + "splits each call over up to %d threads of its own: the two thread pools compete for the cores "
        + "(a 2-thread training step ran 3.5x slower than with one BLAS thread on 2 cores). "
        + "Set OPENBLAS_NUM_THREADS=1 in the environment (bin/dendrite does; on Spark also "
        + "spark.executorEnv.OPENBLAS_NUM_THREADS=1)", callers, setting, cores));
  }

  /** OpenBLAS's reading of a value: a leading integer as C's {@code atoi}, 0 for anything else. */
  private static int threads(String value) {
    String s = value.trim();
    s = s.startsWith("+") ? s.substring(1) : s;
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    if (end == 0 || end > 9) {
      return end > 9 ? Integer.MAX_VALUE : 0;
    }
    return Integer.parseInt(s.substring(0, end));
  }
}
