package dev.dendrite.spark.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The collective operations give, on every rank, the bits of the rank-order reference sum, step after step. */
class AllReduceTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int PARAMETERS = 235_146; // the Fashion-MNIST MLP

  /** Values whose exponents vary over ~12 decades, so the order of addition changes the float result. */
  static float[] vector(int length, int rank, int step) {
    Random random = new Random(1_000_003L * step + rank);
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) ((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(40) - 20));
    }
    return x;
  }

  /** The reference: {@code acc = x_0; acc += x_1; …} in float, as DeterministicSum adds partitions. */
  static float[] rankOrderSum(List<float[]> contributions) {
    float[] acc = contributions.get(0).clone();
    for (int r = 1; r < contributions.size(); r++) {
      float[] x = contributions.get(r);
      for (int i = 0; i < acc.length; i++) {
        acc[i] += x[i];
      }
    }
    return acc;
  }

  static int[] bits(float[] x) {
    int[] bits = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      bits[i] = Float.floatToRawIntBits(x[i]);
    }
    return bits;
  }

  @Test
  void everyRankHoldsTheBitsOfTheRankOrderSumForOneToFourRanks() throws Exception {
    for (int n = 1; n <= 4; n++) {
      try (Groups groups = Groups.form(n, TIMEOUT)) {
        int groupSize = n;
        int step = 0;
        for (int length : new int[] {0, 1, Math.max(0, n - 1), PARAMETERS, 7, PARAMETERS}) {
          int steps = length == PARAMETERS ? 4 : 25;
          for (int s = 0; s < steps; s++, step++) {
            int st = step;
            List<float[]> inputs = new java.util.ArrayList<>();
            for (int r = 0; r < groupSize; r++) {
              inputs.add(vector(length, r, st));
            }
            int[] expected = bits(rankOrderSum(inputs));
            List<float[]> results = groups.onEveryRank(g -> {
              float[] data = inputs.get(g.rank()).clone();
              g.allReduce(data);
              return data;
            });
            for (int r = 0; r < groupSize; r++) {
              assertArrayEquals(expected, bits(results.get(r)),
                  "n = " + groupSize + ", length " + length + ", step " + st + ", rank " + r);
            }
          }
        }
      }
    }
  }

  @Test
  void theTestDataIsSuchThatAnotherOrderOfAdditionGivesOtherBits() {
    for (int n = 3; n <= 4; n++) {
      List<float[]> inputs = new java.util.ArrayList<>();
      for (int r = 0; r < n; r++) {
        inputs.add(vector(PARAMETERS, r, 0));
      }
      List<float[]> reversed = new java.util.ArrayList<>(inputs);
      java.util.Collections.reverse(reversed);
      int[] inOrder = bits(rankOrderSum(inputs));
      int[] otherOrder = bits(rankOrderSum(reversed));
      int differ = 0;
      for (int i = 0; i < inOrder.length; i++) {
        differ += inOrder[i] != otherOrder[i] ? 1 : 0;
      }
      assertTrue(differ > 1000, "n = " + n + ": only " + differ + " of " + PARAMETERS + " sums depend on the order");
    }
  }

  @Test
  void doublesAreAddedInRankOrderStartingFromRankZerosValue() throws Exception {
    for (int n = 1; n <= 4; n++) {
      try (Groups groups = Groups.form(n, TIMEOUT)) {
        int groupSize = n;
        for (int step = 0; step < 20; step++) {
          int length = step % 4; // a few doubles: loss sums, counts; 0..3 so some slices are empty
          double[][] inputs = new double[groupSize][length];
          Random random = new Random(step);
          for (int r = 0; r < groupSize; r++) {
            for (int i = 0; i < length; i++) {
              inputs[r][i] = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(120) - 60);
            }
          }
          double[] expected = inputs[0].clone();
          for (int r = 1; r < groupSize; r++) {
            for (int i = 0; i < length; i++) {
              expected[i] += inputs[r][i];
            }
          }
          List<double[]> results = groups.onEveryRank(g -> {
            double[] data = inputs[g.rank()].clone();
            g.allReduce(data);
            return data;
          });
          for (int r = 0; r < groupSize; r++) {
            for (int i = 0; i < length; i++) {
              assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(results.get(r)[i]),
                  "n = " + groupSize + ", step " + step + ", rank " + r + ", element " + i + ": " + expected[i]
                      + " vs " + results.get(r)[i]);
            }
          }
        }
      }
    }
  }

  @Test
  void allGatherReturnsEveryRanksValueByRankBetweenOtherCalls() throws Exception {
    try (Groups groups = Groups.form(3, TIMEOUT)) {
      for (int step = 0; step < 10; step++) {
        int st = step;
        List<long[]> gathered = groups.onEveryRank(g -> {
          float[] data = vector(100, g.rank(), st);
          g.allReduce(data); // interleaved with the float calls, as checksums every N steps would be
          return g.allGather(Long.MIN_VALUE + 1000L * g.rank() + st);
        });
        long[] expected = {Long.MIN_VALUE + st, Long.MIN_VALUE + 1000 + st, Long.MIN_VALUE + 2000 + st};
        for (long[] values : gathered) {
          assertEquals(Arrays.toString(expected), Arrays.toString(values));
        }
      }
    }
    try (Groups one = Groups.form(1, TIMEOUT)) {
      assertArrayEquals(new long[] {42}, one.ranks.get(0).allGather(42));
    }
  }

  @Test
  void aWarmedUpAllReduceAllocatesNothingPerCall() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (Groups groups = Groups.form(3, TIMEOUT)) {
      List<Long> allocated = groups.onEveryRank(g -> {
        float[] data = vector(10_000, g.rank(), 0);
        double[] scalars = {1, 2};
        for (int call = 0; call < 200; call++) { // warm-up: buffers sized, code compiled
          g.allReduce(data);
          g.allReduce(scalars);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int call = 0; call < 500; call++) {
          g.allReduce(data);
          g.allReduce(scalars);
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
      });
      for (int r = 0; r < 3; r++) {
        // the JDK's epoll selector boxes a file descriptor per wake-up (~40 bytes a call measured); one
        // vector-sized buffer per call would be >= 40 KB a call, 40 MB here
        assertTrue(allocated.get(r) < 1_000_000, "rank " + r + " allocated " + allocated.get(r) + " bytes in 1000 calls");
      }
    }
  }
}
