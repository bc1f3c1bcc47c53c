package dev.dendrite.spark;

import dev.dendrite.spark.data.DataBlock;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * How the vectors of a step travel between the driver and its tasks: the parameters out to every
 * task, one summed vector per partition back.
 * <ul>
 *   <li>{@code spark}: a broadcast out, task results back (summed as {@link DeterministicSum} says).
 *       This is the only way across JVMs and what every cluster uses.</li>
 *   <li>{@code in-process}: when the tasks run in the driver's own JVM (a {@code local[n]} master), the
 *       driver and the tasks hand each other the arrays by reference through a registry in this class.
 *       Spark would serialize, copy and deserialize a ~1 MB vector several times each way, which costs
 *       as much as scheduling the job itself.</li>
 * </ul>
 * Both sum the partitions' vectors in partition order, so they give bit-identical results.
 */
abstract class VectorExchange {

  /** The settings of {@code distributed.exchange}: {@code auto} (in-process when possible) or {@code spark}. */
  static final List<Exchange> SETTINGS = List.of(Exchange.AUTO, Exchange.SPARK);

  /** What a task holds to read the vector published for its job. */
  interface Source extends Serializable {
    /** The published vector; tasks must not change it. */
    float[] vector();
  }

  /** A vector published for the tasks of one job; close it when the job is done. */
  static final class Published implements AutoCloseable {
    private final Source source;
    private final Runnable release;

    Published(Source source, Runnable release) {
      this.source = source;
      this.release = release;
    }

    Source source() {
      return source;
    }

    @Override
    public void close() {
      release.run();
    }
  }

  /** {@code spark} or {@code in-process}. */
  abstract String name();

  /** Publishes {@code vector} (the caller hands it over and must not change it) for the next job's tasks. */
  abstract Published publish(float[] vector);

  /**
   * Runs {@code perBlock} on every block and returns the sum of the vectors it returns, added in
   * partition order, with loss and count summed; {@code length} and {@code shards} as
   * {@link DeterministicSum#sum} reads them.
   */
  abstract GradientSum sum(JavaRDD<DataBlock> blocks, Function<DataBlock, GradientSum> perBlock, int length,
                           int shards);

  /**
   * The exchange for a setting of {@link #SETTINGS}: {@code spark} always; {@code auto} in-process when
   * the master is local and a job over {@code blocks} confirms its tasks see this JVM's registry (they
   * do not when, for example, the executor loads its own copy of our classes), else {@code spark}.
   */
  static VectorExchange choose(JavaSparkContext sc, JavaRDD<DataBlock> blocks, Exchange setting) {
    if (!SETTINGS.contains(setting)) {
      throw new IllegalArgumentException("exchange '" + setting + "' is not one of " + SETTINGS);
    }
    if (setting == Exchange.SPARK || !sc.sc().isLocal()) {
      return new Through(sc);
    }
    long id = InProcess.IDS.incrementAndGet();
    InProcess.VECTORS.put(id, new float[0]);
    try {
      sc.setJobDescription("dendrite: checking that tasks share the driver's JVM");
      List<Boolean> seen = blocks.mapPartitions(
          it -> Collections.singletonList(InProcess.VECTORS.containsKey(id)).iterator(), true).collect();
      return seen.contains(Boolean.FALSE) ? new Through(sc) : new InProcess();
    } finally {
      InProcess.VECTORS.remove(id);
    }
  }

  /** Vectors and results still registered in this JVM by in-process exchanges (0 between jobs). */
  static int liveInProcessEntries() {
    return InProcess.VECTORS.size() + InProcess.RESULTS.size();
  }

  /** Through Spark: a broadcast out, task results back. */
  private static final class Through extends VectorExchange {
    private final JavaSparkContext sc;

    Through(JavaSparkContext sc) {
      this.sc = sc;
    }

    @Override
    String name() {
      return "spark";
    }

    @Override
    Published publish(float[] vector) {
      Broadcast<FloatPayload> b = sc.broadcast(new FloatPayload(vector));
      return new Published(new BroadcastSource(b), b::destroy);
    }

    @Override
    GradientSum sum(JavaRDD<DataBlock> blocks, Function<DataBlock, GradientSum> perBlock, int length, int shards) {
      return DeterministicSum.sum(blocks, perBlock, length, shards);
    }
  }

  private record BroadcastSource(Broadcast<FloatPayload> broadcast) implements Source {
    @Override
    public float[] vector() {
      return broadcast.value().values();
    }
  }

  /** By reference, in the driver's JVM: published vectors and task results live in static maps for one job. */
  private static final class InProcess extends VectorExchange {
    static final AtomicLong IDS = new AtomicLong();
    static final Map<Long, float[]> VECTORS = new ConcurrentHashMap<>();
    static final Map<Long, Map<Integer, GradientSum>> RESULTS = new ConcurrentHashMap<>();

    @Override
    String name() {
      return "in-process";
    }

    @Override
    Published publish(float[] vector) {
      long id = IDS.incrementAndGet();
      VECTORS.put(id, vector);
      return new Published(new InProcessSource(id), () -> VECTORS.remove(id));
    }

    @Override
    GradientSum sum(JavaRDD<DataBlock> blocks, Function<DataBlock, GradientSum> perBlock, int length, int shards) {
      int partitions = blocks.getNumPartitions();
      if (DeterministicSum.shardsFor(shards, length, partitions) > 0) {
        return DeterministicSum.sum(blocks, perBlock, length, shards);
      }
      long id = IDS.incrementAndGet();
      Map<Integer, GradientSum> results = new ConcurrentHashMap<>();
      RESULTS.put(id, results);
      try {
        // a retried or speculative attempt puts the same (deterministic) sum under the same index
        blocks.mapPartitionsWithIndex((index, it) -> {
          Map<Integer, GradientSum> box = RESULTS.get(id);
          if (box == null) {
            throw notShared("results " + id);
          }
          box.put(index, DeterministicSum.partitionSum(it, perBlock));
          return Collections.singletonList(index).iterator();
        }, true).count();
        GradientSum total = new GradientSum();
        for (int p = 0; p < partitions; p++) {
          GradientSum part = results.get(p);
          if (part == null) {
            throw new IllegalStateException("partition " + p + " of " + partitions + " left no result");
          }
          total.merge(part);
        }
        return total;
      } finally {
        RESULTS.remove(id);
      }
    }
  }

  private record InProcessSource(long id) implements Source {
    @Override
    public float[] vector() {
      float[] v = InProcess.VECTORS.get(id);
      if (v == null) {
        throw notShared("vector " + id);
      }
      return v;
    }
  }

  private static IllegalStateException notShared(String what) {
    return new IllegalStateException("dendrite: in-process " + what + " is not registered in this JVM: the "
        + "task does not run in the driver's JVM or its job is over; set distributed.exchange: spark");
  }
}
