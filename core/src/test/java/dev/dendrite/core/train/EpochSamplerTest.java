package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How an epoch's rows are cut into steps, for one block and for blocks spread over partitions. */
class EpochSamplerTest {

  /** Rows of {@code n} split as the block builders split them: {@code [floor(n·p/P), floor(n·(p+1)/P))}. */
  private static int[] blockSizes(int n, int partitions) {
    int[] sizes = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      sizes[p] = (int) ((long) n * (p + 1) / partitions - (long) n * p / partitions);
    }
    return sizes;
  }

  private static int[] stepTotals(int[] sizes, int steps) {
    int[] totals = new int[steps];
    for (int p = 0; p < sizes.length; p++) {
      int used = 0;
      for (int s = 0; s < steps; s++) {
        int rows = EpochSampler.sliceSize(sizes[p], s, steps, p, sizes.length);
        totals[s] += rows;
        used += rows;
      }
      assertEquals(sizes[p], used, "block " + p + " of " + sizes.length + " uses each of its rows once per epoch");
    }
    return totals;
  }

  @Test
  void morePartitionsThanTheBatchSizeStillGiveEveryStepItsExamples() {
    // 360 rows in 40 blocks of 9, batch 32: 12 steps; unshifted, every block gave its rows to the same
    // 9 steps and 3 steps had no examples at all
    int steps = EpochSampler.stepsPerEpoch(360, 32);
    int[] totals = stepTotals(blockSizes(360, 40), steps);
    for (int s = 0; s < steps; s++) {
      assertEquals(EpochSampler.sliceSize(360, s, steps), totals[s], "step " + s + ": the single-JVM batch size");
    }
  }

  @Test
  void unevenBlocksOutnumberingTheBatchLeaveNoStepEmpty() {
    for (int[] c : new int[][] {{364, 40, 32}, {600, 12, 8}, {1000, 257, 128}, {40, 48, 16}, {5, 8, 1}, {97, 200, 3}}) {
      int steps = EpochSampler.stepsPerEpoch(c[0], c[2]);
      int[] totals = stepTotals(blockSizes(c[0], c[1]), steps);
      for (int s = 0; s < steps; s++) {
        int single = EpochSampler.sliceSize(c[0], s, steps);
        assertTrue(totals[s] > 0,
            c[0] + " rows in " + c[1] + " blocks, batch " + c[2] + ": step " + s + " has " + totals[s] + " examples, one JVM would take " + single);
        assertTrue(Math.abs(totals[s] - single) <= 1,
            c[0] + " rows in " + c[1] + " blocks, batch " + c[2] + ": step " + s + " has " + totals[s] + " examples, one JVM would take " + single);
      }
    }
  }

  @Test
  void shareZeroOfOneSlicesLikeOneJvm() {
    for (int n : new int[] {0, 1, 7, 100, 1000}) {
      for (int steps : new int[] {1, 3, 8, 1000}) {
        for (int s = 0; s <= steps; s++) {
          assertEquals(EpochSampler.sliceStart(n, s, steps), EpochSampler.sliceStart(n, s, steps, 0, 1),
              "n " + n + ", step " + s + " of " + steps);
        }
      }
    }
  }

  @Test
  void slicesOfHugeBlocksDoNotOverflow() {
    int n = Integer.MAX_VALUE - 8;
    int steps = 1_000_003;
    assertEquals(n, EpochSampler.sliceStart(n, steps, steps, 999_999, 1_000_000));
    assertEquals(0, EpochSampler.sliceStart(n, 0, steps, 999_999, 1_000_000));
    long half = EpochSampler.sliceStart(n, steps / 2, steps, 500_000, 1_000_000);
    assertEquals((double) n / 2, half, 2200, "the middle step starts near the middle");
  }
}
