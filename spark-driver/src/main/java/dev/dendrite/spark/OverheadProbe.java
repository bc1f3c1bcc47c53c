package dev.dendrite.spark;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.DataBlock;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures, on the live cluster, what a training step costs besides its compute: the floor of a
 * trivial Spark job over the cached blocks, and the all-reduce overhead (publish the parameter
 * vector, schedule a task per block, sum vectors of the same size back in partition order) with no
 * compute, split into its parts, through the {@link VectorExchange} training would use. The probes
 * run interleaved, one of each per repeat, and each figure is the median over the repeats, so a burst
 * of load on a shared machine moves all of them alike instead of one. Also times one step's compute on the driver with the same core code. {@code mode = auto}
 * uses the ratio to choose the averaging frequency; the benchmark reports the numbers.
 */
public final class OverheadProbe {

  /**
   * Milliseconds (medians): a trivial job; the all-reduce round trip without compute; its parts —
   * publishing and releasing the vector on the driver (creating and destroying a broadcast through
   * Spark), the job whose tasks read it (scheduling plus fetching it), and bringing the vectors back and
   * summing them in order — which add up to the round trip; and one step's compute per partition. The
   * exchange is {@code spark} or {@code in-process}.
   */
  public record Measurement(double trivialJobMillis, double allReduceOverheadMillis, double computeMillis,
                            double publishMillis, double publishedJobMillis, double aggregateMillis,
                            String exchange) {

    /** The round trip over the trivial job. */
    public double overheadRatio() {
      return allReduceOverheadMillis / trivialJobMillis;
    }

    /**
     * What {@code mode = auto} picks for an epoch of {@code stepsPerEpoch} steps: the averaging
     * frequency that keeps overhead under 10 % of a round, but at least
     * {@link DistributedTrainer#MIN_AVERAGING_ROUNDS_PER_EPOCH} rounds per epoch (1 means all-reduce).
     */
    public int autoAveragingFrequency(int stepsPerEpoch) {
      return averagingFrequency(0.10, Math.max(1, stepsPerEpoch / DistributedTrainer.MIN_AVERAGING_ROUNDS_PER_EPOCH));
    }

    /**
     * The smallest averaging frequency k for which overhead stays under {@code maxOverheadShare} of a
     * round: overhead / (k · compute + overhead) ≤ share.
     */
    public int averagingFrequency(double maxOverheadShare, int maxK) {
      double k = allReduceOverheadMillis * (1 - maxOverheadShare) / (maxOverheadShare * Math.max(computeMillis, 1e-3));
      return (int) Math.max(1, Math.min(maxK, Math.ceil(k)));
    }
  }

  private OverheadProbe() {
  }

  /**
   * Measures with the exchange that {@code exchange} (a {@code distributed.exchange} setting:
   * {@code auto} or {@code spark}) chooses on this cluster, each figure the median of {@code repeats}.
   */
  public static Measurement measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, Network network,
                                    TrainingConfig training, int shards, Exchange exchange, int repeats) {
    return measure(sc, blocks, network, training, shards, VectorExchange.choose(sc, blocks, exchange), repeats);
  }

  static Measurement measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, Network network,
                             TrainingConfig training, int shards, VectorExchange exchange, int repeats) {
    sc.setJobDescription("dendrite: measuring Spark job overhead");
    int size = network.parameterCount();
    float[] vector = new float[size];
    blocks.count(); // warm-up: materialize the cache and the executors' class loading
    roundTrip(exchange, blocks, vector, shards);
    double[] trivial = new double[repeats];
    double[] publish = new double[repeats];
    double[] publishedJob = new double[repeats];
    double[] roundTrip = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      blocks.count();
      long t1 = System.nanoTime();
      exchange.publish(vector.clone()).close();
      long t2 = System.nanoTime();
      long t3;
      long t4;
      try (VectorExchange.Published published = exchange.publish(vector.clone())) {
        VectorExchange.Source source = published.source();
        t3 = System.nanoTime();
        blocks.map(block -> source.vector().length).count();
        t4 = System.nanoTime();
      }
      long t5 = System.nanoTime();
      roundTrip(exchange, blocks, vector, shards);
      long t6 = System.nanoTime();
      trivial[i] = (t1 - t0) / 1e6;
      publish[i] = (t2 - t1) / 1e6;
      publishedJob[i] = (t4 - t3) / 1e6;
      roundTrip[i] = (t6 - t5) / 1e6;
    }
    double overhead = median(roundTrip);
    double create = median(publish);
    double job = median(publishedJob);

    int partitions = blocks.getNumPartitions();
    int rows = Math.max(1, training.batchSize() / partitions);
    Network probe = network.copy();
    float[] x = new float[rows * network.inputSize()];
    Rng rng = new Rng(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    var loss = training.createLoss();
    float[] t = new float[rows * network.targetWidth(loss)];
    for (int i = 0; i < 3; i++) {
      probe.computeGradients(x, 0, t, 0, null, 0, rows, loss, 1f / rows, rng);
    }
    long t7 = System.nanoTime();
    int computeRepeats = 10;
    for (int i = 0; i < computeRepeats; i++) {
      probe.computeGradients(x, 0, t, 0, null, 0, rows, loss, 1f / rows, rng);
    }
    double compute = (System.nanoTime() - t7) / 1e6 / computeRepeats;
    return new Measurement(median(trivial), overhead, compute, create, job, Math.max(0, overhead - create - job),
        exchange.name());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The all-reduce path of a step (publish, one task per block, ordered sum) with no compute. */
  private static void roundTrip(VectorExchange exchange, JavaRDD<DataBlock> blocks, float[] vector, int shards) {
    try (VectorExchange.Published published = exchange.publish(vector.clone())) {
      VectorExchange.Source source = published.source();
      exchange.sum(blocks, block -> new GradientSum().add(source.vector(), 0, block.size()), vector.length, shards);
    }
  }
}
