package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.core.random.Rng;
import dev.dendrite.spark.data.DataBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/** The two summation paths: the same ordered sum, and the size rule that picks between them. */
class DeterministicSumTest extends LocalSparkTest {

  @Test
  void directAndShardedPathsGiveTheSameBitsInPartitionOrder() {
    int length = 1001;
    List<DataBlock> blocks = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      float[] x = new float[length];
      Rng rng = new Rng(p);
      for (int i = 0; i < length; i++) {
        x[i] = (rng.nextFloat() - 0.5f) * (float) Math.pow(10, p); // magnitudes where order matters
      }
      blocks.add(new DataBlock(p, 1, length, 1, x, new float[1], null));
    }
    JavaRDD<DataBlock> rdd = sc.parallelize(blocks, 5);
    float[] expected = blocks.get(0).features().clone();
    for (int p = 1; p < 5; p++) {
      for (int i = 0; i < length; i++) {
        expected[i] += blocks.get(p).features()[i];
      }
    }
    for (int shards : new int[] {0, 1, 3}) {
      GradientSum s = DeterministicSum.sum(rdd, b -> new GradientSum().add(b.features(), 2.5, b.size()), length,
          shards);
      assertArrayEquals(expected, s.gradient(), 0f, "shards = " + shards);
      assertEquals(12.5, s.loss(), 0);
      assertEquals(5, s.count());
    }
  }

  @Test
  void directPathOnlyWhileAllPartitionsVectorsFitTheBudget() {
    int fits = (int) (DeterministicSum.DIRECT_BUDGET_BYTES / 4 / 8); // 8 partitions of this many floats fit
    assertEquals(0, DeterministicSum.shardsFor(0, fits, 8));
    assertEquals(1, DeterministicSum.shardsFor(0, fits, 9));
    assertEquals(4, DeterministicSum.shardsFor(0, 16_000_000, 2)); // 64 MB vector: one shard per 16 MiB
    assertEquals(3, DeterministicSum.shardsFor(3, 10, 2));          // a user's choice stands
  }
}
