package dev.dendrite.spark;

import dev.dendrite.spark.data.DataBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import scala.Tuple2;

/**
 * Sums one vector per partition into one vector, on the executors, in partition order, so the result
 * is bit-identical whatever order tasks finish in (float addition is not associative; Spark's
 * {@code treeAggregate} merges in arrival order). Two paths:
 * <ul>
 *   <li>direct (one stage): every task sends its vector to the driver, which adds them in partition
 *       order — the cheapest round trip, used while partitions × vector bytes fit in
 *       {@link #DIRECT_BUDGET_BYTES};</li>
 *   <li>sharded (two stages): the vector is cut into {@code shards} slices, each partition sends slice
 *       s to reducer s, reducer s adds its slices in partition order, and the driver receives the S
 *       summed slices — one vector in all, however many partitions there are.</li>
 * </ul>
 */
final class DeterministicSum {

  private DeterministicSum() {
  }

  /** A slice of one partition's vector, or of the sum; shard 0 also carries the scalars. */
  record Slice(int shard, float[] values, double loss, long count) implements Serializable {
  }

  /** The most the driver receives in one step on the direct path (all partitions' vectors together). */
  static final long DIRECT_BUDGET_BYTES = 64L << 20;

  /** Slices per shard on the sharded path when the caller leaves the choice to us (shards = 0). */
  private static final long SHARD_BYTES = 16L << 20;

  /**
   * The number of executor-side shards to use: {@code shards} when the user set one (≥ 1); for 0, none
   * (the direct path) while {@code partitions} vectors of {@code length} floats fit the budget, else
   * one shard per 16 MiB of vector.
   */
  static int shardsFor(int shards, int length, int partitions) {
    if (shards > 0) {
      return shards;
    }
    long bytes = 4L * length;
    if (bytes * partitions <= DIRECT_BUDGET_BYTES) {
      return 0;
    }
    return (int) Math.max(1, (bytes + SHARD_BYTES - 1) / SHARD_BYTES);
  }

  /**
   * Runs {@code perBlock} on every block (one per partition) and returns the ordered sum of the
   * vectors it returns, with loss and count summed. {@code length} is the vectors' length;
   * {@code shards} as {@link #shardsFor} reads it.
   */
  static GradientSum sum(JavaRDD<DataBlock> blocks, Function<DataBlock, GradientSum> perBlock, int length,
                         int shards) {
    int partitions = blocks.getNumPartitions();
    int chosen = shardsFor(shards, length, partitions);
    if (chosen == 0) {
      return direct(blocks, perBlock);
    }
    int s = Math.min(chosen, Math.max(1, length));
    JavaPairRDD<Long, Slice> slices = blocks.mapPartitionsWithIndex((index, it) -> {
      GradientSum local = partitionSum(it, perBlock);
      List<Tuple2<Long, Slice>> out = new ArrayList<>(s);
      float[] v = local.gradient();
      for (int shard = 0; shard < s; shard++) {
        int from = sliceStart(length, shard, s);
        int to = sliceStart(length, shard + 1, s);
        float[] part = v == null ? null : java.util.Arrays.copyOfRange(v, from, to);
        out.add(new Tuple2<>((long) shard * partitions + index,
            new Slice(shard, part, shard == 0 ? local.loss() : 0, shard == 0 ? local.count() : 0)));
      }
      return out.iterator();
    }, true).mapToPair(t -> t);
    List<Slice> summed = slices
        .repartitionAndSortWithinPartitions(new ShardPartitioner(s, partitions))
        .mapPartitions((Iterator<Tuple2<Long, Slice>> it) -> {
          float[] acc = null;
          double loss = 0;
          long count = 0;
          int shard = -1;
          while (it.hasNext()) {
            Slice slice = it.next()._2();
            shard = slice.shard();
            loss += slice.loss();
            count += slice.count();
            if (slice.values() != null) {
              if (acc == null) {
                acc = slice.values().clone();
              } else {
                float[] x = slice.values();
                for (int i = 0; i < acc.length; i++) {
                  acc[i] += x[i];
                }
              }
            }
          }
          return shard < 0 ? Collections.<Slice>emptyIterator()
              : Collections.singletonList(new Slice(shard, acc, loss, count)).iterator();
        }).collect();
    float[] vector = new float[length];
    double loss = 0;
    long count = 0;
    boolean any = false;
    for (Slice slice : summed) {
      loss += slice.loss();
      count += slice.count();
      if (slice.values() != null) {
        System.arraycopy(slice.values(), 0, vector, sliceStart(length, slice.shard(), s), slice.values().length);
        any = true;
      }
    }
    GradientSum result = new GradientSum();
    return any ? result.add(vector, loss, count) : result;
  }

  /** One stage: each partition's sum goes to the driver; {@code collect} returns them in partition order. */
  private static GradientSum direct(JavaRDD<DataBlock> blocks, Function<DataBlock, GradientSum> perBlock) {
    List<GradientSum> parts = blocks.mapPartitions(
        it -> Collections.singletonList(partitionSum(it, perBlock)).iterator(), true).collect();
    GradientSum total = new GradientSum();
    for (GradientSum part : parts) {
      total.merge(part);
    }
    return total;
  }

  /** One partition's sum: {@code perBlock} of each of its blocks, merged in order. */
  static GradientSum partitionSum(Iterator<DataBlock> it, Function<DataBlock, GradientSum> perBlock)
      throws Exception {
    GradientSum local = new GradientSum();
    while (it.hasNext()) {
      local.merge(perBlock.call(it.next()));
    }
    return local;
  }

  static int sliceStart(int length, int shard, int shards) {
    return (int) ((long) length * shard / shards);
  }

  /** Sends key {@code shard · partitions + partition} to reducer {@code shard}; keys sort in partition order. */
  static final class ShardPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int shards;
    private final int partitions;

    ShardPartitioner(int shards, int partitions) {
      this.shards = shards;
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return shards;
    }

    @Override
    public int getPartition(Object key) {
      return (int) ((Long) key / partitions);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShardPartitioner && ((ShardPartitioner) o).shards == shards
          && ((ShardPartitioner) o).partitions == partitions;
    }

    @Override
    public int hashCode() {
      return 31 * shards + partitions;
    }
  }
}
