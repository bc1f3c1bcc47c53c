package dev.dendrite.core.network;

import dev.dendrite.core.layer.ActivatedLayer;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.layer.LossTermLayer;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.ParameterTensor;
import dev.dendrite.core.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A sequential network over one flat parameter vector. It computes predictions and, for a mini-batch
 * and a loss, the loss and its gradient with respect to every parameter. Workspaces are allocated
 * once per largest batch size, so a steady-state step allocates nothing.
 *
 * <p>One instance per thread; {@link #copy()} makes a replica for another thread or partition.
 */
public final class Network {

  /**
   * The most parameters a network may have: the flat vector is one {@code float[]}, and HotSpot refuses
   * arrays within a few elements of {@link Integer#MAX_VALUE}.
   */
  public static final int MAX_PARAMETERS = Integer.MAX_VALUE - 8;
  /**
   * The most values one example may have at any layer (512 MiB of floats): workspaces and data blocks hold
   * a batch of such rows in one array, and a layer may keep per-position scratch of this size.
   */
  public static final int MAX_EXAMPLE_SIZE = 1 << 27;

  private final NetworkConfig config;
  private final List<Layer> layers;
  private final ParameterLayout layout;
  private final List<ParameterSpec> specs;
  private final float[] params;
  private final float[] grads;
  private final String gemmName;
  private final int[] statistics; // [start, end) pairs of the non-trainable tensors (running statistics)
  private final int[] zeroedBeforeBackward; // [start, end) slices of the layers that add into their gradients
  private final LossTermLayer[] termLayers; // layers that add a term to the loss (a VAE's KL), in order
  private final double[] termSums;          // each term of the last loss, unweighted, summed over the batch
  private float[][] outputs = new float[0][]; // outputs[i]: layer i's output [capacity, width_i]
  private float[][] deltas = new float[0][];  // deltas[i]: ∂L/∂outputs[i]
  private float[] rowWeights = new float[0];  // example weights repeated per output position
  private int capacity;

  /** Builds an uninitialized (all-zero) network with the configured GEMM backend. */
  public Network(NetworkConfig config) {
    this(config, Gemms.create());
  }

  public Network(NetworkConfig config, Gemm gemm) {
    this(config, gemm, null);
  }

  private Network(NetworkConfig config, Gemm gemm, float[] sharedParams) {
    this.config = config;
    this.gemmName = gemm.name();
    Plan plan = new Plan(config, gemm);
    this.layers = Collections.unmodifiableList(plan.layers);
    this.layout = plan.layout;
    this.specs = List.copyOf(plan.specs);
    this.statistics = nonTrainableRanges(layout);
    this.termLayers = layers.stream().filter(l -> l instanceof LossTermLayer).map(l -> (LossTermLayer) l)
        .toArray(LossTermLayer[]::new);
    this.termSums = new double[termLayers.length];
    checkHeap(layout.size(), sharedParams == null ? 2 : 1);
    this.params = sharedParams != null ? sharedParams : new float[layout.size()];
    this.grads = new float[layout.size()];
    int offset = 0;
    List<Integer> zeroed = new ArrayList<>();
    for (Layer layer : layers) {
      layer.bind(params, grads, offset);
      int start = offset;
      for (ParameterSpec spec : layer.parameters()) {
        offset += spec.shape().size();
      }
      if (offset > start && !layer.overwriteGradients()) {
        zeroed.add(start);
        zeroed.add(offset);
      }
    }
    this.zeroedBeforeBackward = zeroed.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The parameter layout of {@code config}, computed without allocating the parameters: a model file's
   * header is checked against it before its network is built.
   */
  public static ParameterLayout layoutOf(NetworkConfig config) {
    return new Plan(config, Gemms.factory("ejml").get()).layout;
  }

  /** The layers of a config and their layout, every size checked before the parameters are allocated. */
  private static final class Plan {
    final List<Layer> layers = new ArrayList<>();
    final List<ParameterSpec> specs = new ArrayList<>();
    final ParameterLayout layout;

    Plan(NetworkConfig config, Gemm gemm) {
      ParameterLayout.Builder layoutBuilder = new ParameterLayout.Builder();
      Shape shape = config.input();
      long total = 0;
      int index = 0;
      for (LayerConfig layerConfig : config.layers()) {
        String where = "layer " + index + " (" + layerConfig.type() + ") on input " + shape + ": ";
        Layer layer;
        List<ParameterSpec> layerSpecs;
        try {
          layer = layerConfig.build(shape, index, gemm);
          layerSpecs = layer.parameters(); // may build shapes too large for an array
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        if (layer.outputShape().size() > MAX_EXAMPLE_SIZE) {
          throw new IllegalArgumentException(where + "its output " + layer.outputShape() + " has "
              + layer.outputShape().size() + " values per example; at most " + MAX_EXAMPLE_SIZE + " are supported");
        }
        for (ParameterSpec spec : layerSpecs) {
          total += spec.shape().size();
          if (total > MAX_PARAMETERS) {
            throw new IllegalArgumentException(where + "its parameter " + layer.name() + "/" + spec.name() + " "
                + spec.shape() + " brings the network to " + total + " parameters; the flat parameter vector is "
                + "one Java float[] and holds at most " + MAX_PARAMETERS);
          }
          layoutBuilder.add(layer.name() + "/" + spec.name(), spec.shape(), spec.l1(), spec.l2(), spec.trainable());
          specs.add(spec);
        }
        layers.add(layer);
        shape = layer.outputShape();
        index++;
      }
      this.layout = layoutBuilder.build();
    }
  }

  /** Refuses {@code vectors} float vectors of {@code count} values that this JVM's heap can never hold. */
  private static void checkHeap(long count, int vectors) {
    long bytes = 4L * vectors * count;
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap) {
      throw new IllegalArgumentException("the network has " + count + " parameters: "
          + (vectors == 2 ? "parameters and gradients need " : "gradients need ") + gigabytes(bytes)
          + " but this JVM's heap holds at most " + gigabytes(heap) + " (raise -Xmx, spark.driver.memory or "
          + "spark.executor.memory, or make the network smaller)");
    }
  }

  private static String gigabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  static int[] nonTrainableRanges(ParameterLayout layout) {
    List<Integer> ranges = new ArrayList<>();
    for (ParameterTensor t : layout.tensors()) {
      if (!t.trainable()) {
        ranges.add(t.offset());
        ranges.add(t.end());
      }
    }
    int[] out = new int[ranges.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ranges.get(i);
    }
    return out;
  }

  /** A fluent builder: {@code Network.builder(784).dense(128, "relu").dense(10, "softmax").build()}. */
  public static NetworkBuilder builder(int... inputShape) {
    return new NetworkBuilder(inputShape);
  }

  /** Draws every parameter from its initializer, in layout order, from {@code rng}. */
  public Network initialize(RandomGenerator rng) {
    List<ParameterTensor> tensors = layout.tensors();
    for (int i = 0; i < tensors.size(); i++) {
      ParameterTensor t = tensors.get(i);
      ParameterSpec spec = specs.get(i);
      spec.initializer().fill(params, t.offset(), t.size(), spec.fanIn(), spec.fanOut(), rng);
    }
    return this;
  }

  /** Initializes from a seed: the same seed always gives the same weights. */
  public Network initialize(long seed) {
    return initialize(new Rng(Rng.mix(seed, 0x1417)));
  }

  /** A replica with the same configuration and parameters and its own workspaces and GEMM. */
  public Network copy() {
    Network n = new Network(config, Gemms.factory(gemmName.startsWith("blas") ? "blas" : "ejml").get());
    n.setParameters(params);
    return n;
  }

  /**
   * A replica that reads this network's parameter vector (no copy: updates to this network are seen
   * at once) but owns its gradients, workspaces and GEMM: for computing part of a batch on another
   * thread. The replica must not modify the parameters.
   */
  public Network replica() {
    return new Network(config, Gemms.factory(gemmName.startsWith("blas") ? "blas" : "ejml").get(), params);
  }

  public NetworkConfig config() {
    return config;
  }

  public List<Layer> layers() {
    return layers;
  }

  public ParameterLayout layout() {
    return layout;
  }

  public Shape inputShape() {
    return config.input();
  }

  public Shape outputShape() {
    return layers.get(layers.size() - 1).outputShape();
  }

  public int inputSize() {
    return config.input().size();
  }

  public int outputSize() {
    return outputShape().size();
  }

  /** The number of parameters. */
  public int parameterCount() {
    return params.length;
  }

  /** The name of the GEMM backend, e.g. {@code blas:JNIBLAS}. */
  public String gemmName() {
    return gemmName;
  }

  /** Copies the flat parameter vector into {@code dst} (length {@link #parameterCount()}). */
  public float[] parameters(float[] dst) {
    checkLength("parameter", dst);
    System.arraycopy(params, 0, dst, 0, params.length);
    return dst;
  }

  /** A copy of the flat parameter vector (for early stopping's best weights, broadcasts, files). */
  public float[] parameters() {
    return params.clone();
  }

  /** Replaces every parameter from {@code src} (length {@link #parameterCount()}). */
  public void setParameters(float[] src) {
    checkLength("parameter", src);
    System.arraycopy(src, 0, params, 0, params.length);
  }

  /** Copies the gradient of the last {@link #computeGradients} into {@code dst}. */
  public float[] gradients(float[] dst) {
    checkLength("gradient", dst);
    System.arraycopy(grads, 0, dst, 0, grads.length);
    return dst;
  }

  /**
   * The live parameter vector, for optimizers that update it in place; no copy. Callers must not
   * keep it across {@link #setParameters}-style ownership changes of the network.
   */
  public float[] parameterArray() {
    return params;
  }

  /** The live gradient vector written by {@link #computeGradients}; no copy. */
  public float[] gradientArray() {
    return grads;
  }

  private void checkLength(String what, float[] a) {
    if (a.length != params.length) {
      throw new IllegalArgumentException(what + " vector has length " + a.length + ", the network has "
          + params.length + " parameters");
    }
  }

  /** Each layer's output buffer, {@code [capacity, width]}: for a step split across threads. */
  float[][] outputBuffers() {
    return outputs;
  }

  /** Each layer's output gradient buffer, {@code [capacity, width]}: for a step split across threads. */
  float[][] deltaBuffers() {
    return deltas;
  }

  /** Makes room for batches of up to {@code batch} examples (grows only). */
  public void ensureCapacity(int batch) {
    if (batch <= capacity) {
      return;
    }
    long widths = 0;
    for (Layer layer : layers) {
      int width = layer.outputShape().size();
      if ((long) batch * width > MAX_PARAMETERS) {
        throw new IllegalArgumentException("a batch of " + batch + " examples does not fit " + layer.name()
            + "'s workspace: " + width + " values per example, " + (long) batch * width + " in all, but one "
            + "Java array holds at most " + MAX_PARAMETERS + "; use a batch of at most " + MAX_PARAMETERS / width);
      }
      widths += width;
    }
    long bytes = 2L * 4 * batch * widths; // outputs and deltas; layers add their own scratch
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap) {
      throw new IllegalArgumentException("a batch of " + batch + " examples needs " + gigabytes(bytes)
          + " of workspace (" + widths + " values per example across the layers, outputs and gradients) but "
          + "this JVM's heap holds at most " + gigabytes(heap) + "; use a smaller batch or a larger heap");
    }
    outputs = new float[layers.size()][];
    deltas = new float[layers.size()][];
    for (int i = 0; i < layers.size(); i++) {
      int width = layers.get(i).outputShape().size();
      outputs[i] = new float[batch * width];
      deltas[i] = new float[batch * width];
      layers.get(i).allocate(batch);
    }
    capacity = batch;
  }

  /**
   * The forward pass over {@code batch} examples at {@code x[xOffset...]}; returns the network's
   * output buffer {@code [batch, outputSize]}, valid until the next call. {@code rng} drives dropout
   * in training and may be null otherwise.
   */
  public float[] forward(float[] x, int xOffset, int batch, boolean training, RandomGenerator rng) {
    checkInput(x, xOffset, batch);
    ensureCapacity(batch);
    float[] in = x;
    int inOffset = xOffset;
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).forward(in, inOffset, outputs[i], batch, training, rng);
      in = outputs[i];
      inOffset = 0;
    }
    return outputs[layers.size() - 1];
  }

  /**
   * One mini-batch: the forward pass in training mode, the loss, and backpropagation. The gradient
   * vector is overwritten with {@code scale · ∂(Σ_r w_r ℓ_r)/∂θ}; with {@code scale = 1/batch} it is the
   * gradient of the mean loss. Returns the (weighted) loss summed over the batch, unscaled, including the
   * terms that layers add ({@link LossTermLayer}, e.g. a VAE's β·KL) and their gradients.
   *
   * @param targets {@code [batch, targetWidth(loss)]} from {@code tOffset}
   * @param weights per-example weights from {@code wOffset}, or null for 1
   */
  public double computeGradients(float[] x, int xOffset, float[] targets, int tOffset,
                                 float[] weights, int wOffset, int batch, Loss loss, float scale,
                                 RandomGenerator rng) {
    float[] out = forward(x, xOffset, batch, true, rng);
    for (int r = 0; r < zeroedBeforeBackward.length; r += 2) {
      java.util.Arrays.fill(grads, zeroedBeforeBackward[r], zeroedBeforeBackward[r + 1], 0f);
    }
    int last = layers.size() - 1;
    Layer lastLayer = layers.get(last);
    // a position-wise output is P predictions of width/P per example: the loss sees batch·P rows, each
    // weighted like its example and scaled by 1/P, so an example's loss is the mean over its positions
    int positions = lastLayer.outputPositions();
    int width = lastLayer.outputShape().size() / positions;
    int rows = batch * positions;
    checkTargets(targets, tOffset, batch, positions * loss.targetWidth(width), loss);
    float[] w = positionWeights(weights, wOffset, batch, positions);
    int wOff = w == weights ? wOffset : 0;
    float rowScale = scale / positions;
    double lossSum;
    int next;
    if (lastLayer instanceof ActivatedLayer && loss.fusesWith(((ActivatedLayer) lastLayer).activation())) {
      ActivatedLayer output = (ActivatedLayer) lastLayer;
      lossSum = loss.fusedGradient(output.preActivation(), out, width, targets, tOffset, w, wOff,
          rows, rowScale, deltas[last]);
      output.backwardPreActivation(input(last, x), inputOffset(last, xOffset), deltas[last],
          last > 0 ? deltas[last - 1] : null, batch);
      next = last - 1;
    } else {
      lossSum = loss.gradient(out, width, targets, tOffset, w, wOff, rows, rowScale, deltas[last]);
      next = last;
    }
    double terms = addLossTerms(weights, wOffset, batch, scale); // before backward: it adds their gradients
    for (int i = next; i >= 0; i--) {
      layers.get(i).backward(input(i, x), inputOffset(i, xOffset), outputs[i], deltas[i],
          i > 0 ? deltas[i - 1] : null, batch);
    }
    // statistics updates arrive summed over examples: scale them like the loss gradient
    for (int r = 0; r < statistics.length; r += 2) {
      for (int j = statistics[r]; j < statistics[r + 1]; j++) {
        grads[j] *= scale;
      }
    }
    return (positions == 1 ? lossSum : lossSum / positions) + terms;
  }

  /**
   * The summed (weighted) loss of a batch in inference mode, without gradients; the same value
   * training reports (the fused form where the output layer fuses with the loss), plus the layers' own
   * terms (a VAE's β·KL, computed on the inference forward: z = μ). The outputs stay readable through
   * {@link #lastOutput()}.
   */
  public double loss(float[] x, int xOffset, float[] targets, int tOffset, float[] weights, int wOffset,
                     int batch, Loss loss) {
    float[] out = forward(x, xOffset, batch, false, null);
    int last = layers.size() - 1;
    Layer lastLayer = layers.get(last);
    int positions = lastLayer.outputPositions();
    int width = outputSize() / positions;
    int rows = batch * positions;
    checkTargets(targets, tOffset, batch, positions * loss.targetWidth(width), loss);
    float[] w = positionWeights(weights, wOffset, batch, positions);
    int wOff = w == weights ? wOffset : 0;
    double terms = addLossTerms(weights, wOffset, batch, 0f);
    double sum;
    if (lastLayer instanceof ActivatedLayer && loss.fusesWith(((ActivatedLayer) lastLayer).activation())) {
      sum = loss.fusedGradient(((ActivatedLayer) lastLayer).preActivation(), out, width, targets, tOffset,
          w, wOff, rows, 0f, deltas[last]);
    } else {
      sum = loss.value(out, width, targets, tOffset, w, wOff, rows);
    }
    return (positions == 1 ? sum : sum / positions) + terms;
  }

  /**
   * How many predictions one example's output holds (see {@link Layer#outputPositions()}): 1, or T for a
   * position-wise output over sequences of length T.
   */
  public int outputPositions() {
    return layers.get(layers.size() - 1).outputPositions();
  }

  /** The target values one example needs for {@code loss}: per position, times the positions. */
  public int targetWidth(Loss loss) {
    int positions = outputPositions();
    return positions * loss.targetWidth(outputSize() / positions);
  }

  /** The example weights repeated for each position (in a reused buffer), or {@code weights} itself. */
  private float[] positionWeights(float[] weights, int wOffset, int batch, int positions) {
    if (weights == null || positions == 1) {
      return weights;
    }
    if (rowWeights.length < batch * positions) {
      rowWeights = new float[capacity * positions];
    }
    for (int r = 0; r < batch; r++) {
      java.util.Arrays.fill(rowWeights, r * positions, (r + 1) * positions, weights[wOffset + r]);
    }
    return rowWeights;
  }

  /**
   * Asks every {@link LossTermLayer} for its term of the last forward pass, records each (unweighted) for
   * {@link #lastLossTerm}, and returns {@code Σ weight · term}; with {@code scale ≠ 0} their backward
   * passes add the terms' gradients.
   */
  private double addLossTerms(float[] weights, int wOffset, int batch, float scale) {
    double sum = 0;
    for (int i = 0; i < termLayers.length; i++) {
      termSums[i] = termLayers[i].term(weights, wOffset, batch, scale);
      sum += termLayers[i].termWeight() * termSums[i];
    }
    return sum;
  }

  /**
   * The names of the terms layers add to the loss (e.g. {@code kl} for a variational autoencoder's
   * sampling layer), in layer order; empty for most networks.
   */
  public List<String> lossTermNames() {
    List<String> names = new ArrayList<>();
    for (LossTermLayer l : termLayers) {
      names.add(l.termName());
    }
    return names;
  }

  /**
   * Term {@code i} of the last {@link #computeGradients} or {@link #loss}: unweighted by the layer's β,
   * summed over the batch with the example weights. The loss those calls return already includes
   * {@code β · term}.
   */
  public double lastLossTerm(int i) {
    return termSums[i];
  }

  /**
   * The forward pass of layers {@code first..} only, on {@code batch} rows of layer {@code first}'s input at
   * {@code x[xOffset...]}: e.g. a variational autoencoder's decoder on codes z drawn from the prior.
   * Returns the network's output buffer, valid until the next call.
   */
  public float[] forwardFrom(int first, float[] x, int xOffset, int batch, boolean training, RandomGenerator rng) {
    if (first < 0 || first >= layers.size()) {
      throw new IllegalArgumentException("layer " + first + " does not exist: the network has " + layers.size()
          + " layers");
    }
    int in = layers.get(first).inputShape().size();
    if (batch <= 0 || xOffset < 0 || xOffset + (long) batch * in > x.length) {
      throw new IllegalArgumentException("layer " + first + " (" + layers.get(first).name() + ") takes rows of "
          + in + " values: " + batch + " rows from offset " + xOffset + " do not fit an array of " + x.length);
    }
    ensureCapacity(batch);
    float[] current = x;
    int offset = xOffset;
    for (int i = first; i < layers.size(); i++) {
      layers.get(i).forward(current, offset, outputs[i], batch, training, rng);
      current = outputs[i];
      offset = 0;
    }
    return outputs[layers.size() - 1];
  }

  /** The output buffer of the last forward pass, {@code [batch, outputSize]}. */
  public float[] lastOutput() {
    return outputs[layers.size() - 1];
  }

  /** Predictions for rows of features, one output row per input row (allocates; for convenience). */
  public float[][] predict(float[][] rows) {
    int in = inputSize();
    float[] flat = new float[rows.length * in];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != in) {
        throw new IllegalArgumentException("input row " + r + " has " + rows[r].length
            + " features, the network expects " + in + " (input shape " + inputShape() + ")");
      }
      System.arraycopy(rows[r], 0, flat, r * in, in);
    }
    float[] out = forward(flat, 0, rows.length, false, null);
    int width = outputSize();
    float[][] result = new float[rows.length][width];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(out, r * width, result[r], 0, width);
    }
    return result;
  }

  /** Predictions for one example. */
  public float[] predict(float[] row) {
    return predict(new float[][] {row})[0];
  }

  private float[] input(int layer, float[] x) {
    return layer == 0 ? x : outputs[layer - 1];
  }

  private static int inputOffset(int layer, int xOffset) {
    return layer == 0 ? xOffset : 0;
  }

  void checkInput(float[] x, int xOffset, int batch) {
    checkInputShape(x, xOffset, batch);
    int in = inputSize();
    long end = xOffset + (long) batch * in;
    // one branch-free pass over the batch; name the culprit only when there is one
    if (Kernels.allFinite(x, xOffset, (int) end)) {
      return;
    }
    for (int i = xOffset; i < end; i++) {
      float v = x[i];
      if (v != v || v == Float.POSITIVE_INFINITY || v == Float.NEGATIVE_INFINITY) {
        int row = (i - xOffset) / in;
        throw new IllegalArgumentException("input example " + row + ", feature " + ((i - xOffset) % in)
            + " is " + v + ": inputs must be finite numbers");
      }
    }
  }

  /** {@link #checkInput} without looking at the values: a positive batch that fits in {@code x}. */
  void checkInputShape(float[] x, int xOffset, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batch);
    }
    int in = inputSize();
    long end = xOffset + (long) batch * in;
    if (xOffset < 0 || end > x.length) {
      throw new IllegalArgumentException("input holds " + (x.length - xOffset) + " values from offset "
          + xOffset + ", but " + batch + " examples of width " + in + " need " + (long) batch * in);
    }
  }

  static void checkTargets(float[] t, int tOffset, int batch, int width, Loss loss) {
    long need = (long) batch * width;
    if (tOffset < 0 || tOffset + need > t.length) {
      throw new IllegalArgumentException(loss.name() + " needs " + width + " target value(s) per example, "
          + need + " for the batch, but the target array holds " + (t.length - tOffset) + " from offset "
          + tOffset);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Network(input ").append(inputShape());
    for (Layer layer : layers) {
      sb.append(" -> ").append(layer.name()).append(' ').append(layer.outputShape());
    }
    return sb.append(", ").append(params.length).append(" parameters)").toString();
  }
}
