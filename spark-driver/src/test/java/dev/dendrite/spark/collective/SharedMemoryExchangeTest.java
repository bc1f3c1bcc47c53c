package dev.dendrite.spark.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ranks that are all threads of one JVM (Spark's local mode) all-reduce through memory: the bits of the
 * rank-order reference, as over the sockets; a rank that leaves breaks the others' waits at once; and
 * nothing stays registered once the group has formed.
 */
class SharedMemoryExchangeTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void ranksOfOneJvmSumThroughMemoryToTheBitsOfTheRankOrderSum() throws Exception {
    for (int n = 2; n <= 4; n++) {
      try (Groups groups = Groups.formSharingMemory(n, TIMEOUT)) {
        assertTrue(groups.ranks.stream().allMatch(CollectiveGroup::sharedMemory), "n = " + n + " shares memory");
        assertEquals(0, SharedMemoryExchange.forming(), "nothing left registered once formed");
        int groupSize = n;
        int step = 0;
        for (int length : new int[] {0, 1, Math.max(0, n - 1), 235_146, 7}) {
          for (int s = 0; s < 3; s++, step++) {
            int st = step;
            List<float[]> inputs = new ArrayList<>();
            double[][] doubles = new double[groupSize][];
            for (int r = 0; r < groupSize; r++) {
              inputs.add(AllReduceTest.vector(length, r, st));
              doubles[r] = new double[] {r * 0.1 + st, 1e-17 * r, st};
            }
            int[] expected = AllReduceTest.bits(AllReduceTest.rankOrderSum(inputs));
            double[] expectedDoubles = doubles[0].clone();
            for (int r = 1; r < groupSize; r++) {
              for (int i = 0; i < expectedDoubles.length; i++) {
                expectedDoubles[i] += doubles[r][i];
              }
            }
            List<float[]> results = groups.onEveryRank(g -> {
              float[] data = inputs.get(g.rank()).clone();
              g.allReduce(data);
              double[] d = doubles[g.rank()].clone();
              g.allReduce(d);
              assertArrayEquals(expectedDoubles, d, "doubles on rank " + g.rank());
              long[] all = g.allGather(100L + g.rank());
              for (int r = 0; r < all.length; r++) {
                assertEquals(100L + r, all[r]);
              }
              return data;
            });
            for (int r = 0; r < groupSize; r++) {
              assertArrayEquals(expected, AllReduceTest.bits(results.get(r)),
                  "n = " + groupSize + ", length " + length + ", step " + st + ", rank " + r);
            }
          }
        }
      }
    }
  }

  @Test
  void withoutTheShortcutRanksOfOneJvmStillUseTheSockets() throws Exception {
    try (Groups groups = Groups.form(2, TIMEOUT)) {
      assertFalse(groups.ranks.get(0).sharedMemory());
    }
  }

  @Test
  void aRankThatLeavesBreaksTheOthersWaitAtOnce() throws Exception {
    try (Groups groups = Groups.formSharingMemory(3, Duration.ofSeconds(60))) {
      long start = System.nanoTime();
      CollectiveException e = assertThrows(CollectiveException.class, () -> groups.onEveryRank(g -> {
        if (g.rank() == 2) {
          Thread.sleep(300);
          g.close();
          return null;
        }
        g.allReduce(new float[1000]);
        return null;
      }));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(e.getMessage().contains("left the group"), e.getMessage());
      assertTrue(seconds < 30, "the others failed after " + seconds + " s, not at the 60 s timeout");
    }
  }
}
