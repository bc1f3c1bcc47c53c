package dev.dendrite.core;

import java.lang.management.ManagementFactory;

/**
 * What a step allocates once the JIT has compiled it. The JIT compiles on its own schedule, later on a
 * loaded machine, and until C2 has compiled a Vector API loop ({@code linalg.Kernels}) every vector in it
 * is an object on the heap; so a fixed warm-up can measure the interpreter instead of the step.
 */
public final class SteadyAllocation {

  private static final int MAX_WINDOWS = 20;

  private SteadyAllocation() {
  }

  /**
   * Bytes the calling thread allocates per call of {@code step}: windows of {@code calls} calls, after one
   * window of warm-up, until a window allocates less than {@code bound} per call or {@value #MAX_WINDOWS}
   * windows have run. Returns the smallest window's figure, so a step that always allocates still fails.
   */
  public static long bytesPerCall(Runnable step, int calls, long bound) {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int i = 0; i < calls; i++) {
      step.run();
    }
    long least = Long.MAX_VALUE;
    for (int w = 0; w < MAX_WINDOWS && least >= bound; w++) {
      long before = bean.getThreadAllocatedBytes(id);
      for (int i = 0; i < calls; i++) {
        step.run();
      }
      least = Math.min(least, (bean.getThreadAllocatedBytes(id) - before) / calls);
    }
    return least;
  }
}
