package dev.dendrite.spark;

import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.TrainingConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Measures, on the live cluster, what a training step costs besides its compute: the floor of a
 * trivial Spark job over the cached blocks, and the all-reduce overhead (broadcast the parameter
 * vector, schedule a task per block, sum vectors of the same size back in partition order) with no compute.
 * Also times one step's compute on the driver with the same core code. {@code mode = auto} uses the
 * ratio to choose the averaging frequency; the benchmark reports the numbers.
 */
public final class OverheadProbe {

  /** Milliseconds per trivial job, per all-reduce round trip without compute, and per partition's step compute. */
  public record Measurement(double trivialJobMillis, double allReduceOverheadMillis, double computeMillis) {

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

  public static Measurement measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, Network network,
                                    TrainingConfig training, int shards, int repeats) {
    sc.setJobDescription("dendrite: measuring Spark job overhead");
    blocks.count(); // warm-up: materialize the cache and the executors' class loading
    long t0 = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      blocks.count();
    }
    double trivial = (System.nanoTime() - t0) / 1e6 / repeats;

    int size = network.parameterCount();
    float[] vector = new float[size];
    roundTrip(sc, blocks, vector, shards);
    long t1 = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      roundTrip(sc, blocks, vector, shards);
    }
    double overhead = (System.nanoTime() - t1) / 1e6 / repeats;

    int partitions = blocks.getNumPartitions();
    int rows = Math.max(1, training.batchSize() / partitions);
    Network probe = network.copy();
    float[] x = new float[rows * network.inputSize()];
    Rng rng = new Rng(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat();
    }
    var loss = training.createLoss();
    float[] t = new float[rows * loss.targetWidth(network.outputSize())];
    for (int i = 0; i < 3; i++) {
      probe.computeGradients(x, 0, t, 0, null, 0, rows, loss, 1f / rows, rng);
    }
    long t2 = System.nanoTime();
    int computeRepeats = 10;
    for (int i = 0; i < computeRepeats; i++) {
      probe.computeGradients(x, 0, t, 0, null, 0, rows, loss, 1f / rows, rng);
    }
    double compute = (System.nanoTime() - t2) / 1e6 / computeRepeats;
    return new Measurement(trivial, overhead, compute);
  }

  /** The all-reduce path of a step (broadcast, one task per block, ordered sum) with no compute. */
  private static void roundTrip(JavaSparkContext sc, JavaRDD<DataBlock> blocks, float[] vector, int shards) {
    Broadcast<float[]> b = sc.broadcast(vector);
    try {
      DeterministicSum.sum(blocks, block -> new GradientSum().add(b.value(), 0, block.size()), vector.length,
          shards);
    } finally {
      b.destroy();
    }
  }
}
