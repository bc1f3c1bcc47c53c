package dev.dendrite.core.network;

import dev.dendrite.core.activation.ElementwiseActivation;
import dev.dendrite.core.layer.ActivatedLayer;
import dev.dendrite.core.layer.DenseLayer;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.Loss;

/**
 * The gradient of a mini-batch through a network of dense layers, computed by several threads that
 * each own a share of every layer's units (its output neurons) instead of a share of the batch.
 *
 * <p>Thread {@code t} owns units {@code [bounds(l, t), bounds(l, t + 1))} of layer {@code l}. For them it
 * computes, on every row of the batch, the pre-activation and the activation in the forward pass, then
 * in the backward pass dZ, the weight rows and biases of dW and db, and the columns of the input
 * gradient that are its units of the layer below. A barrier separates the layers (the next layer needs
 * every unit of this one) and precedes each input gradient (it needs every unit's dZ); the output
 * activation and the loss run on thread 0 over whole rows. Every parameter's gradient is written by
 * the one thread that owns it, so there is no gradient sum, and an elementwise update of a thread's
 * {@link #ownedRanges own parameters} can run on that thread right after the step's last barrier.
 *
 * <p>With an even number of threads the backward pass is split by task instead, which keeps its GEMMs
 * whole on two threads: every layer above the first needs both an input gradient {@code dZ · W} and a
 * weight gradient {@code dZᵀ · x} of the same size, so the first half of the threads computes the input
 * gradient (split by its columns) and turns it into the layer below's dZ, while the second half computes
 * the weight gradient and biases (split by units); one barrier per layer. The first layer's weight
 * gradient, the largest product and the only one left, is split by units over all threads.
 *
 * <p>Against splitting the batch ({@code ParallelGradient}'s replicas) this keeps the full batch in every
 * GEMM (128 rows, not 64), sums no replica gradients, and keeps each weight row, its gradient and its
 * optimizer state in the cache of the one core that reads and writes them; splitting the batch makes
 * both cores read every weight and move half of each gradient across. Each element is computed by the
 * same operations in the same order as {@link Network#computeGradients} does on one thread; only the
 * GEMM library's blocking of a narrower product could round differently.
 */
public final class UnitSplitGradient {

  /** Unit shares start at multiples of this many floats (64 bytes) where the layer is wide enough. */
  private static final int ALIGN = 16;

  private final Network network;
  private final DenseLayer[] layers;
  private final Gemm[] gemms;       // one per thread: a GEMM backend may keep scratch per instance
  private final int[][] bounds;     // bounds[l][t]: the first unit of layer l that thread t owns
  private final int[][] ownedRanges;
  private final boolean lastLayerOnThreadZero; // thread 0 owns every unit of the output layer
  // With an even number of threads, the backward pass split by task: null otherwise.
  private final int half;                 // threads [0, half) compute input gradients, [half, 2 half) weights
  private final int[][] inputShares;      // inputShares[l][i]: the first input column of layer l for thread i
  private final int[][] weightShares;     // weightShares[l][i]: the first unit of layer l for thread half + i

  /**
   * Whether a network can be split by units: every layer is dense, and every layer but the last has an
   * elementwise activation (the last layer's activation and the loss run over whole rows on one thread).
   */
  public static boolean supports(Network network) {
    int count = network.layers().size();
    for (int l = 0; l < count; l++) {
      Layer layer = network.layers().get(l);
      if (!(layer instanceof DenseLayer dense)) {
        return false;
      }
      if (l < count - 1 && !(dense.activation() instanceof ElementwiseActivation)) {
        return false;
      }
    }
    return true;
  }

  public UnitSplitGradient(Network network, int threads) {
    if (!supports(network)) {
      throw new IllegalArgumentException("not every layer is dense with an elementwise activation: " + network);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.network = network;
    this.layers = network.layers().toArray(DenseLayer[]::new);
    this.gemms = new Gemm[threads];
    String backend = network.gemmName().startsWith("blas") ? "blas" : "ejml";
    for (int t = 0; t < threads; t++) {
      gemms[t] = Gemms.factory(backend).get();
    }
    this.bounds = new int[layers.length][];
    for (int l = 0; l < layers.length; l++) {
      bounds[l] = shares(layers[l].outputShape().size(), threads);
    }
    this.lastLayerOnThreadZero = bounds[layers.length - 1][1] == layers[layers.length - 1].outputShape().size();
    this.half = threads % 2 == 0 ? threads / 2 : 0;
    this.inputShares = half == 0 ? null : new int[layers.length][];
    this.weightShares = half == 0 ? null : new int[layers.length][];
    for (int l = 1; half > 0 && l < layers.length; l++) {
      inputShares[l] = shares(layers[l].inputShape().size(), half);
      weightShares[l] = shares(layers[l].outputShape().size(), half);
    }
    this.ownedRanges = new int[threads][];
    for (int t = 0; t < threads; t++) {
      int[] ranges = new int[4 * layers.length];
      for (int l = 0; l < layers.length; l++) {
        int in = layers[l].inputShape().size();
        int from = bounds[l][t];
        int to = bounds[l][t + 1];
        ranges[4 * l] = layers[l].weightOffset() + from * in;
        ranges[4 * l + 1] = layers[l].weightOffset() + to * in;
        ranges[4 * l + 2] = layers[l].biasOffset() + from;
        ranges[4 * l + 3] = layers[l].biasOffset() + to;
      }
      ownedRanges[t] = ranges;
    }
  }

  /** {@code units} cut into {@code threads} contiguous shares, inner boundaries rounded up to {@link #ALIGN}. */
  static int[] shares(int units, int threads) {
    int[] b = new int[threads + 1];
    for (int t = 1; t < threads; t++) {
      long even = (long) units * t / threads;
      b[t] = (int) Math.min(units, Math.max(b[t - 1], (even + ALIGN - 1) / ALIGN * ALIGN));
    }
    b[threads] = units;
    return b;
  }

  public int threads() {
    return gemms.length;
  }

  public Network network() {
    return network;
  }

  /**
   * The parameters thread {@code t} owns, as {@code [from, to)} pairs of indices into the parameter vector
   * (possibly empty): its units' weight rows and biases in every layer. The threads' ranges are disjoint
   * and together cover every parameter.
   */
  public int[] ownedRanges(int thread) {
    return ownedRanges[thread].clone();
  }

  /** Whether the backward pass is split by task (an even number of threads) rather than by units alone. */
  public boolean splitsBackwardByTask() {
    return half > 0;
  }

  /**
   * Whether a barrier must pass after {@link #compute} before a thread updates its own parameters: when the
   * backward pass is split by units alone, the other threads may still be reading every weight of a layer
   * for its input gradient. Split by task, the last barrier of {@code compute} follows the last such read.
   */
  public boolean updateNeedsBarrier() {
    return half == 0;
  }

  /**
   * Checks the batch and makes room for it; call once per step on one thread before the threads run
   * {@link #compute}.
   */
  public void prepare(float[] x, int xOffset, float[] targets, int tOffset, int batch, Loss loss) {
    network.checkInput(x, xOffset, batch);
    prepareUnchecked(x, xOffset, targets, tOffset, batch, loss);
  }

  /**
   * {@link #prepare} without looking at the input's values, for a batch that the threads fill and check
   * themselves (each its rows, with {@code Kernels.allFinite}); where one finds a value that is not
   * finite, {@link #prepare} names it.
   */
  public void prepareUnchecked(float[] x, int xOffset, float[] targets, int tOffset, int batch, Loss loss) {
    network.checkInputShape(x, xOffset, batch);
    network.ensureCapacity(batch);
    Network.checkTargets(targets, tOffset, batch, loss.targetWidth(network.outputSize()), loss);
  }

  /**
   * Thread {@code thread}'s part of {@link Network#computeGradients} (no dropout: dense layers have none);
   * every thread of the step calls it with the same arguments and the same {@code barrier}, which must
   * return only once all of them have reached it. Afterwards the network's gradient vector holds the
   * batch's gradient; where {@link #updateNeedsBarrier} says so, a barrier must pass before any thread
   * changes a parameter (the others may still read every weight of a layer for its input gradient).
   * Returns the summed loss on thread 0 and 0 on the others.
   */
  public double compute(int thread, Runnable barrier, float[] x, int xOffset, float[] targets, int tOffset,
                        float[] weights, int wOffset, int batch, Loss loss, float scale) {
    Gemm gemm = gemms[thread];
    int last = layers.length - 1;
    float[][] outputs = network.outputBuffers();
    float[][] deltas = network.deltaBuffers();
    for (int l = 0; l <= last; l++) {
      float[] in = l == 0 ? x : outputs[l - 1];
      layers[l].forwardUnits(gemm, in, l == 0 ? xOffset : 0, outputs[l], batch, bounds[l][thread],
          bounds[l][thread + 1], l < last);
      if (l < last || !lastLayerOnThreadZero) { // thread 0 goes on to the loss with the output it computed
        barrier.run();
      }
    }
    double lossSum = 0;
    if (thread == 0) {
      lossSum = outputGradient(targets, tOffset, weights, wOffset, batch, loss, scale, outputs[last], deltas[last]);
    }
    barrier.run();
    if (half > 0) {
      backwardByTask(thread, barrier, x, xOffset, batch);
    } else {
      backwardByUnits(thread, gemm, barrier, x, xOffset, batch);
    }
    return lossSum;
  }

  /**
   * The backward pass with the threads in two halves: for every layer above the first, the first half
   * computes its input gradient and the layer below's dZ, the second half its weight gradient and biases.
   */
  private void backwardByTask(int thread, Runnable barrier, float[] x, int xOffset, int batch) {
    Gemm gemm = gemms[thread];
    float[][] outputs = network.outputBuffers();
    float[][] deltas = network.deltaBuffers();
    for (int l = layers.length - 1; l > 0; l--) {
      if (thread < half) {
        int from = inputShares[l][thread];
        int to = inputShares[l][thread + 1];
        layers[l].backwardInputs(gemm, deltas[l], deltas[l - 1], batch, from, to);
        layers[l - 1].backwardActivation(outputs[l - 1], deltas[l - 1], batch, from, to);
      } else {
        int i = thread - half;
        layers[l].backwardUnits(gemm, outputs[l - 1], 0, outputs[l], deltas[l], batch, weightShares[l][i],
            weightShares[l][i + 1], false);
      }
      barrier.run(); // the layer below's dZ is whole, and no thread reads this layer's weights any more
    }
    layers[0].backwardUnits(gemm, x, xOffset, outputs[0], deltas[0], batch, bounds[0][thread],
        bounds[0][thread + 1], false);
  }

  /** The backward pass with every thread on its units of every layer. */
  private void backwardByUnits(int thread, Gemm gemm, Runnable barrier, float[] x, int xOffset, int batch) {
    int last = layers.length - 1;
    float[][] outputs = network.outputBuffers();
    float[][] deltas = network.deltaBuffers();
    for (int l = last; l >= 0; l--) {
      float[] in = l == 0 ? x : outputs[l - 1];
      layers[l].backwardUnits(gemm, in, l == 0 ? xOffset : 0, outputs[l], deltas[l], batch, bounds[l][thread],
          bounds[l][thread + 1], l < last);
      if (l > 0) {
        barrier.run();
        layers[l].backwardInputs(gemm, deltas[l], deltas[l - 1], batch, bounds[l - 1][thread],
            bounds[l - 1][thread + 1]);
      }
    }
  }

  /** The output layer's activation over whole rows, the loss, and dZ of the output layer into {@code dZ}. */
  private double outputGradient(float[] targets, int tOffset, float[] weights, int wOffset, int batch, Loss loss,
                                float scale, float[] out, float[] dZ) {
    DenseLayer output = layers[layers.length - 1];
    output.activate(out, batch);
    int width = network.outputSize();
    float[] pre = output.preActivation(out);
    if (loss.fusesWith(((ActivatedLayer) output).activation())) {
      return loss.fusedGradient(pre, out, width, targets, tOffset, weights, wOffset, batch, scale, dZ);
    }
    double lossSum = loss.gradient(out, width, targets, tOffset, weights, wOffset, batch, scale, dZ);
    output.activation().backward(pre, out, dZ, dZ, batch, width);
    return lossSum;
  }
}
