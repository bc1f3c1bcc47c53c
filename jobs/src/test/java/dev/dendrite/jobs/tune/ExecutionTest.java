package dev.dendrite.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule that sends trials to parallel local training or to distributed runs one after another. */
class ExecutionTest {

  private static final long GB = 1L << 30;

  @Test
  void dataThatFitsAQuarterOfAnExecutorOncePerRunningTrialPlusOneTrainsInParallel() {
    // 4 trials per executor: the data 5 times; a quarter of 4 GB is 1 GB
    Execution small = Execution.choose("auto", 200_000_000L, 4 * GB, 4);
    assertTrue(small.parallel(), small.reason());
    Execution large = Execution.choose("auto", 220_000_000L, 4 * GB, 4);
    assertFalse(large.parallel(), large.reason());
    assertTrue(large.reason().contains("1100.0 MB > a quarter of executor memory 4295.0 MB"), large.reason());
  }

  @Test
  void theSpaceCanInsistEitherWayAndTheReasonSaysSo() {
    Execution forced = Execution.choose("distributed", 1000, 4 * GB, 4);
    assertFalse(forced.parallel());
    assertTrue(forced.reason().startsWith("execution: distributed in the space"), forced.reason());
    assertTrue(Execution.choose("parallel", 10 * GB, 4 * GB, 4).parallel());
  }
}
