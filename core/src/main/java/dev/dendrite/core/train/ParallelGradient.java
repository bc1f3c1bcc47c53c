package dev.dendrite.core.train;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.UnitSplitGradient;
import dev.dendrite.core.random.Rng;

/**
 * Computes one mini-batch gradient on several threads: the batch is cut into contiguous chunks, each
 * chunk runs on a replica that shares the network's parameters, and the replicas' gradients are summed
 * into the network's gradient vector in a fixed order. The result depends only on the data, the seed
 * and the thread count, never on scheduling. With one thread it is exactly
 * {@link Network#computeGradients}.
 *
 * <p>{@link #computeAndApply} also applies the parameter update on the same threads when the update is
 * elementwise ({@link ParameterUpdate#rangeable()}): after a barrier each thread sums the replicas'
 * gradients over its own slice of the parameter vector and updates that slice at once, while it is in
 * its cache. The sum and the update were the serial part of a step (about a tenth of it on two threads).
 *
 * <p>A network of dense layers is split by units instead of by examples ({@link UnitSplitGradient}): every
 * thread computes its share of each layer's units for the whole batch, so the gradient needs no sum and
 * each thread updates the parameters it owns. Dense layers have no dropout, and the result is the
 * one-thread gradient up to the GEMM library's rounding.
 */
public final class ParallelGradient implements AutoCloseable {

  /** Parameter slices start at multiples of this many floats (64 bytes): no two threads share a cache line. */
  private static final int ALIGN = 16;

  private final Network network;
  private final Network[] replicas; // replicas[0] is the network itself
  private final Rng[] rngs;
  private final double[] losses;
  private final WorkerCrew crew;
  private final UnitSplitGradient units; // null: split by examples
  private final int[][] owned;           // owned[t]: the parameter ranges thread t updates when split by units
  private final Runnable barrier;

  /** Splits the step by units where {@link UnitSplitGradient#supports} the network, else by examples. */
  public ParallelGradient(Network network, int threads) {
    this(network, threads, true);
  }

  /**
   * Always splits the step by examples, as for networks with other layers than dense ones: for comparing
   * the two ways in benchmarks.
   */
  public static ParallelGradient splittingExamples(Network network, int threads) {
    return new ParallelGradient(network, threads, false);
  }

  private ParallelGradient(Network network, int threads, boolean unitsWherePossible) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.network = network;
    this.replicas = new Network[threads];
    this.rngs = new Rng[threads];
    this.losses = new double[threads];
    this.units = threads > 1 && unitsWherePossible && UnitSplitGradient.supports(network)
        ? new UnitSplitGradient(network, threads) : null;
    this.owned = new int[threads][];
    for (int i = 0; i < threads; i++) {
      replicas[i] = i == 0 || units != null ? network : network.replica();
      rngs[i] = new Rng(0);
      owned[i] = units == null ? null : units.ownedRanges(i);
    }
    this.crew = threads == 1 ? null : new WorkerCrew(threads - 1, "dendrite-gradient");
    Gemms.warnIfThreadsCompete(network.gemmName(), threads);
    this.barrier = crew == null ? null : crew::await;
  }

  /** Whether each thread computes a share of every layer's units rather than a share of the batch. */
  public boolean splitsUnits() {
    return units != null;
  }

  public int threads() {
    return replicas.length;
  }

  public Network network() {
    return network;
  }

  // Arguments of the step in progress, read by the chunks.
  private float[] x;
  private int xOffset;
  private float[] targets;
  private int tOffset;
  private float[] weights;
  private int wOffset;
  private int batch;
  private Loss loss;
  private float scale;
  private int used;
  private ParameterUpdate update; // null: sum only
  private float factor;
  private float[] params;
  private BatchFill fill;                  // null: the batch is in place before the step
  private volatile boolean nonFiniteInput; // set by a thread that filled a value that is not finite

  /** {@link #compute(float[], int, float[], int, float[], int, int, Loss, float, long, int, int)} in epoch 0. */
  public double compute(float[] x, int xOffset, float[] targets, int tOffset, float[] weights, int wOffset,
                        int batch, Loss loss, float scale, long seed, long step) {
    return compute(x, xOffset, targets, tOffset, weights, wOffset, batch, loss, scale, seed, 0, (int) step);
  }

  /**
   * As {@link Network#computeGradients}, spread over the threads; chunk i's dropout masks come from
   * {@link StepRandom#dropout} of (seed, epoch, step, i), so one thread draws what partition 0 of a
   * Spark run draws. The summed gradient is in the network's gradient vector.
   */
  public double compute(float[] x, int xOffset, float[] targets, int tOffset, float[] weights, int wOffset,
                        int batch, Loss loss, float scale, long seed, int epoch, int step) {
    return run(x, xOffset, targets, tOffset, weights, wOffset, batch, loss, scale, seed, epoch, step, 1f, null,
        null, null);
  }

  /**
   * {@link #compute}, the summed gradient multiplied by {@code factor} element by element (as Spark's
   * driver divides a sum by the rows), then {@code update.apply(params, gradient)}: the same bits as
   * those three in turn, with the sum, the factor and an elementwise update spread over the threads.
   * Returns the summed loss; the update's penalty is {@link ParameterUpdate#lastPenalty()}.
   */
  public double computeAndApply(float[] x, int xOffset, float[] targets, int tOffset, float[] weights,
                                int wOffset, int batch, Loss loss, float scale, long seed, int epoch, int step,
                                float factor, ParameterUpdate update, float[] params) {
    return computeAndApply(null, x, xOffset, targets, tOffset, weights, wOffset, batch, loss, scale, seed, epoch,
        step, factor, update, params);
  }

  /**
   * {@link #computeAndApply(float[], int, float[], int, float[], int, int, Loss, float, long, int, int, float,
   * ParameterUpdate, float[])} on a batch that {@code fill} copies into {@code x}, {@code targets} and
   * {@code weights} on the step's threads, each thread the rows it reads first (all of them split by units,
   * its chunk split by examples), and each checks its rows' inputs; a value that is not finite ends the step
   * before any parameter changes, in the same error as a batch filled beforehand. The same bits as filling
   * the batch first.
   */
  public double computeAndApply(BatchFill fill, float[] x, int xOffset, float[] targets, int tOffset,
                                float[] weights, int wOffset, int batch, Loss loss, float scale, long seed,
                                int epoch, int step, float factor, ParameterUpdate update, float[] params) {
    if (crew == null || !update.rangeable()) {
      double lossSum = run(x, xOffset, targets, tOffset, weights, wOffset, batch, loss, scale, seed, epoch, step,
          1f, null, null, fill);
      float[] gradient = network.gradientArray();
      multiply(gradient, factor, 0, gradient.length);
      update.apply(params, gradient);
      return lossSum;
    }
    update.begin();
    return run(x, xOffset, targets, tOffset, weights, wOffset, batch, loss, scale, seed, epoch, step, factor,
        update, params, fill);
  }

  private static void multiply(float[] v, float factor, int from, int to) {
    if (factor != 1f) {
      for (int i = from; i < to; i++) {
        v[i] *= factor;
      }
    }
  }

  private double run(float[] x, int xOffset, float[] targets, int tOffset, float[] weights, int wOffset,
                     int batch, Loss loss, float scale, long seed, int epoch, int step, float factor,
                     ParameterUpdate update, float[] params, BatchFill fill) {
    this.x = x;
    this.xOffset = xOffset;
    this.targets = targets;
    this.tOffset = tOffset;
    this.weights = weights;
    this.wOffset = wOffset;
    this.batch = batch;
    this.loss = loss;
    this.scale = scale;
    this.update = update;
    this.params = params;
    this.factor = factor;
    this.fill = fill;
    if (units != null) {
      this.used = replicas.length;
      if (fill == null) {
        units.prepare(x, xOffset, targets, tOffset, batch, loss);
      } else {
        units.prepareUnchecked(x, xOffset, targets, tOffset, batch, loss);
      }
      crew.run(used, this::unitWork);
      if (nonFiniteInput) {
        nonFiniteInput = false;
        units.prepare(x, xOffset, targets, tOffset, batch, loss); // throws, naming the example and feature
        throw new IllegalStateException("a thread found a value that is not finite in the batch, but it is gone");
      }
      return sumOfLosses();
    }
    this.used = Math.min(replicas.length, batch);
    for (int i = 0; i < used; i++) {
      StepRandom.dropout(rngs[i], seed, epoch, step, i);
    }
    if (used == 1) {
      if (fill != null) {
        fill.rows(0, batch);
      }
      losses[0] = chunk(0);
      if (update != null) {
        multiply(network.gradientArray(), factor, 0, params.length);
        update.applyRange(params, network.gradientArray(), 0, params.length);
      }
    } else {
      crew.run(used, this::work);
    }
    return sumOfLosses();
  }

  private double sumOfLosses() {
    double total = losses[0];
    for (int i = 1; i < used; i++) {
      total += losses[i];
    }
    return total;
  }

  /** Thread {@code index}'s share of a step: its chunk of the batch, then its slice of the sum (and update). */
  private void work(int index) {
    if (fill != null) {
      fill.rows(rowShare(index), rowShare(index + 1)); // the rows chunk(index) reads
    }
    losses[index] = chunk(index);
    crew.await();
    float[] sum = network.gradientArray();
    int n = sum.length;
    int from = slice(n, index);
    int to = slice(n, index + 1);
    for (int r = 1; r < used; r++) {
      float[] g = replicas[r].gradientArray();
      for (int j = from; j < to; j++) {
        sum[j] += g[j];
      }
    }
    if (update != null) {
      multiply(sum, factor, from, to);
      update.applyRange(params, sum, from, to);
    }
  }

  /** Thread {@code index}'s share of a step split by units: its units of every layer, then its parameters. */
  private void unitWork(int index) {
    if (fill != null) {
      int from = rowShare(index);
      int to = rowShare(index + 1);
      fill.rows(from, to);
      int width = network.inputSize();
      if (!Kernels.allFinite(x, xOffset + from * width, xOffset + to * width)) {
        nonFiniteInput = true;
      }
      crew.await(); // every thread reads the whole batch: all rows are in place and checked
      if (nonFiniteInput) {
        losses[index] = 0;
        return;
      }
    }
    losses[index] = units.compute(index, barrier, x, xOffset, targets, tOffset, weights, wOffset, batch, loss,
        scale);
    if (update != null) {
      if (units.updateNeedsBarrier()) {
        crew.await(); // the input gradients read every weight: update none before all are done
      }
      float[] gradient = network.gradientArray();
      int[] ranges = owned[index];
      for (int r = 0; r < ranges.length; r += 2) {
        multiply(gradient, factor, ranges[r], ranges[r + 1]);
        update.applyRange(params, gradient, ranges[r], ranges[r + 1]);
      }
    }
  }

  private int slice(int n, int index) {
    if (index == used) {
      return n;
    }
    long boundary = (long) n * index / used;
    return (int) Math.min(n, (boundary + ALIGN - 1) / ALIGN * ALIGN);
  }

  /** The first row of thread {@code index}'s share of the batch (its chunk when split by examples). */
  private int rowShare(int index) {
    return (int) ((long) batch * index / used);
  }

  private double chunk(int index) {
    int start = rowShare(index);
    int end = rowShare(index + 1);
    int width = network.inputSize();
    int targetWidth = network.targetWidth(loss);
    return replicas[index].computeGradients(x, xOffset + start * width, targets,
        tOffset + start * targetWidth, weights, wOffset + start, end - start, loss, scale, rngs[index]);
  }

  @Override
  public void close() {
    if (crew != null) {
      crew.close();
    }
  }
}
