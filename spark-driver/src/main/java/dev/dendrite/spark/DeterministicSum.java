package dev.dendrite.spark;

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
 * {@code treeAggregate} merges in arrival order). The vector is cut into {@code shards} slices: each
 * partition sends slice s to reducer s, reducer s adds its slices in partition order, and the driver
 * receives the S summed slices — one vector in all, however many partitions there are.
 */
final class DeterministicSum {

  private DeterministicSum() {
  }

  /** A slice of one partition's vector, or of the sum; shard 0 also carries the scalars. */
  record Slice(int shard, float[] values, double loss, long count) implements Serializable {
  }

  /**
   * Runs {@code perBlock} on every block (one per partition) and returns the ordered sum of the
   * vectors it returns, with loss and count summed. {@code length} is the vectors' length.
   */
  static GradientSum sum(JavaRDD<DataBlock> blocks, Function<DataBlock, GradientSum> perBlock, int length,
                         int shards) {
    int partitions = blocks.getNumPartitions();
    int s = Math.max(1, Math.min(shards, length));
    JavaPairRDD<Long, Slice> slices = blocks.mapPartitionsWithIndex((index, it) -> {
      GradientSum local = new GradientSum();
      while (it.hasNext()) {
        local.merge(perBlock.call(it.next()));
      }
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
