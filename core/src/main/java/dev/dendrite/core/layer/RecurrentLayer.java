package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.init.Initializer;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What {@link SimpleRnnLayer}, {@link LstmLayer} and {@link GruLayer} share: sequences of a fixed length,
 * the input projection of every step in one GEMM, and backpropagation through time with optional
 * truncation. A subclass supplies one step of its cell, forward and backward.
 *
 * <p>Shapes. An example is a sequence {@code x [T, F]} (time-major, row-major: {@code x[t][f]}), a batch
 * {@code [batch, T, F]}. The output is the last hidden state {@code [u]} (many-to-one) or every hidden
 * state {@code [T, u]} (many-to-many, {@code return_sequences}). The initial state is zero.
 *
 * <p>Parameters. {@code W [G·u, F]}, {@code U [G·u, u]}, {@code b [G·u]} for a cell of G gates (rows of
 * gate k are {@code [k·u, (k+1)·u)}), in that layout order; L1/L2 penalties apply to W and U.
 *
 * <p>Forward. {@code a [batch·T, G·u] = x [batch·T, F] · Wᵀ + b} in one GEMM, then per step the cell adds
 * {@code h_{t-1} [batch, u] · Uᵀ} (one GEMM over the batch) and applies its gates. Gate activations, hidden
 * states (and cell states) of every step stay in scratch buffers for the backward pass.
 *
 * <p>Truncation ({@code truncate = k}). The gradient of what comes after this layer reaches it as
 * {@code dY_s = ∂L/∂h_s} for each output position s (only s = T-1 when many-to-one). With {@code k = 0}
 * (or {@code k ≥ T}) this is full backpropagation through time. With {@code 0 < k < T}, each
 * {@code dY_s} flows back through exactly the steps {@code max(0, s-k+1) .. s} — k steps, fewer only
 * at the start of the sequence — and no further: it is the exact gradient of
 * {@code Σ_s dY_s · h_s(θ, x)} in which the state {@code h_{s-k}} (and {@code c_{s-k}} for the LSTM)
 * entering that window is held constant. Steps inside the window still contribute to U (their product
 * with the constant state) and to dX. Many-to-one costs k steps instead of T; many-to-many costs
 * {@code T·k} cell steps instead of T, since each output has its own window.
 */
abstract class RecurrentLayer extends AbstractLayer<LayerConfig> {

  final Shape outputShape;
  final int steps;     // T
  final int features;  // F
  final int units;     // u
  final int width;     // G·u, the columns of a gate row
  final boolean returnSequences;
  final int window;    // steps of backpropagation per output: truncate, or T for full BPTT
  final Gemm gemm;

  float[] params;
  float[] grads;
  int wOffset;
  int uOffset;
  int bOffset;

  float[] h = new float[0];       // [batch, T, u] hidden states h_t
  float[] a = new float[0];       // [batch, T, G·u] x_t Wᵀ + b, turned into gate activations by the cell
  float[] dZx = new float[0];     // [batch, T, G·u] ∂L/∂(input-side gate pre-activations), all windows summed
  float[] dZh = new float[0];     // [batch, T, G·u] ∂L/∂(recurrent-side ones): the same array unless GRU
  float[] dZStep = new float[0];  // [batch, G·u] the recurrent-side gradient of the step being processed
  float[] dH = new float[0];      // [batch, u] ∂L/∂h_t carried back through time
  float[] dHPrev = new float[0];  // [batch, u] ∂L/∂h_{t-1}, swapped with dH after each step

  RecurrentLayer(String name, LayerConfig config, Shape inputShape, int gates, int units,
                 boolean returnSequences, int truncate, Gemm gemm) {
    super(name, config, sequences(config, inputShape));
    this.steps = inputShape.dim(0);
    this.features = inputShape.dim(1);
    this.units = units;
    this.width = Math.multiplyExact(gates, units);
    this.returnSequences = returnSequences;
    this.window = truncate == 0 || truncate > steps ? steps : truncate;
    this.outputShape = returnSequences ? Shape.of(steps, units) : Shape.of(units);
    this.gemm = gemm;
    Math.multiplyExact(steps, width); // fail early on absurd sizes
  }

  // ---------------------------------------------------------------- the cell, supplied by subclasses

  /** The initializer of b (the LSTM sets its forget-gate slice to 1). */
  abstract Initializer biasInitializer();

  /** One step forward: {@code a} at step t holds {@code x_t Wᵀ + b}; writes {@code h_t} and the cell's state. */
  abstract void stepForward(int t, int batch);

  /**
   * One step backward from {@code dH = ∂L/∂h_t} and the cell's own carried state gradient: adds the
   * step's gate gradients into {@link #dZx} (and {@link #dZh}) at t and, when {@code carry}, replaces
   * {@code dH} (and the cell's carry) by the gradient with respect to the previous step's state.
   */
  abstract void stepBackward(int t, int batch, boolean carry);

  /** Zeroes {@code dH} and any cell-state gradient carried with it: the start of a backward sweep. */
  void clearCarry(int batch) {
    Arrays.fill(dH, 0, batch * units, 0f);
  }

  /** Scratch space of the cell, for batches of up to {@code maxBatch}. */
  void allocateCell(int maxBatch) {
  }

  /** Gradients of parameters beyond W, U and b (the GRU's recurrent bias). */
  void extraGradients(int batch) {
  }

  // ---------------------------------------------------------------- Layer

  /** {@code inputShape}, checked to be a sequence: {@code [steps, features]}. */
  private static Shape sequences(LayerConfig config, Shape inputShape) {
    if (inputShape.rank() != 2) {
      throw new IllegalArgumentException(config.type() + " needs an input of shape [steps, features] "
          + "(rank 2), got input shape " + inputShape + " (rank " + inputShape.rank() + "); e.g. input [10, 1]"
          + " for sequences of 10 numbers");
    }
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  /** W, U and b; subclasses with more parameters append theirs. */
  List<ParameterSpec> parameters(String kernelInit, String recurrentInit, double l1, double l2) {
    List<ParameterSpec> specs = new ArrayList<>();
    specs.add(new ParameterSpec("W", Shape.of(width, features), Initializers.parse(kernelInit), features, width,
        l1, l2));
    specs.add(new ParameterSpec("U", Shape.of(width, units), recurrentInitializer(recurrentInit), units, width,
        l1, l2));
    specs.add(new ParameterSpec("b", Shape.of(width), biasInitializer(), features, width, 0, 0));
    return specs;
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.wOffset = offset;
    this.uOffset = wOffset + width * features;
    this.bOffset = uOffset + width * units;
  }

  @Override
  public void allocate(int maxBatch) {
    int rows = maxBatch * steps;
    if (h.length < rows * units) {
      h = new float[rows * units];
      a = new float[rows * width];
      dZx = new float[rows * width];
      dZh = dZx;
      dZStep = new float[maxBatch * width];
      dH = new float[maxBatch * units];
      dHPrev = new float[maxBatch * units];
      allocateCell(maxBatch);
    }
  }

  /** The hidden states {@code [batch, T, u]} of the last forward: for tests. */
  public float[] hiddenStates() {
    return h;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int rows = batch * steps;
    // a [batch·T, G·u] = x [batch·T, F] · Wᵀ [F, G·u] + b: every step's input projection in one GEMM
    for (int r = 0; r < rows; r++) {
      System.arraycopy(params, bOffset, a, r * width, width);
    }
    gemm.gemm(false, true, rows, width, features, 1f, x, xOffset, features, params, wOffset, features,
        1f, a, 0, width);
    for (int t = 0; t < steps; t++) {
      stepForward(t, batch);
    }
    if (returnSequences) {
      System.arraycopy(h, 0, y, 0, rows * units); // y [batch, T, u]
    } else {
      for (int r = 0; r < batch; r++) {
        System.arraycopy(h, (r * steps + steps - 1) * units, y, r * units, units); // y [batch, u] = h_{T-1}
      }
    }
  }

  /** {@code dst [batch, G·u] (row stride ld) += h_{t-1} [batch, u] · Uᵀ}; nothing at t = 0 (h_{-1} = 0). */
  void addRecurrentProjection(int t, int batch, float[] dst, int dstOffset, int ld) {
    if (t > 0) {
      gemm.gemm(false, true, batch, width, units, 1f, h, (t - 1) * units, steps * units, params, uOffset, units,
          1f, dst, dstOffset, ld);
    }
  }

  /** {@code dHPrev [batch, u] = dZStep [batch, G·u] · U [G·u, u] + beta · dHPrev}, then dH ⇄ dHPrev. */
  void carryThroughU(int batch, float beta) {
    gemm.gemm(false, false, batch, units, width, 1f, dZStep, 0, width, params, uOffset, units, beta, dHPrev, 0,
        units);
    float[] swap = dH;
    dH = dHPrev;
    dHPrev = swap;
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    int rows = batch * steps;
    Arrays.fill(dZx, 0, rows * width, 0f);
    if (dZh != dZx) {
      Arrays.fill(dZh, 0, rows * width, 0f);
    }
    int lowest; // the earliest step any gradient reached
    if (returnSequences && window < steps) {
      // truncated, many-to-many: output s gets its own window of steps s, s-1, ..., s-k+1
      for (int s = steps - 1; s >= 0; s--) {
        clearCarry(batch);
        addOutputGradient(dY, s, batch);
        int lo = Math.max(0, s - window + 1);
        for (int t = s; t >= lo; t--) {
          stepBackward(t, batch, t > lo);
        }
      }
      lowest = 0;
    } else {
      // one sweep: full BPTT, or the last k steps of a many-to-one layer
      lowest = returnSequences ? 0 : steps - window;
      clearCarry(batch);
      for (int t = steps - 1; t >= lowest; t--) {
        if (returnSequences || t == steps - 1) {
          addOutputGradient(dY, t, batch);
        }
        stepBackward(t, batch, t > lowest);
      }
    }

    // dW [G·u, F] += dZxᵀ [G·u, batch·T] · x [batch·T, F]
    gemm.gemm(true, false, width, features, rows, 1f, dZx, 0, width, x, xOffset, features, 1f, grads, wOffset,
        features);
    // db [G·u] += column sums of dZx
    for (int r = 0; r < rows; r++) {
      int row = r * width;
      for (int j = 0; j < width; j++) {
        grads[bOffset + j] += dZx[row + j];
      }
    }
    // dU [G·u, u] += Σ_{t ≥ 1} dZh_tᵀ [G·u, batch] · h_{t-1} [batch, u]
    for (int t = Math.max(1, lowest); t < steps; t++) {
      gemm.gemm(true, false, width, units, batch, 1f, dZh, t * width, steps * width, h, (t - 1) * units,
          steps * units, 1f, grads, uOffset, units);
    }
    extraGradients(batch);
    if (dX != null) {
      // dX [batch·T, F] = dZx [batch·T, G·u] · W [G·u, F]
      gemm.gemm(false, false, rows, features, width, 1f, dZx, 0, width, params, wOffset, features, 0f, dX, 0,
          features);
    }
  }

  /** {@code dH += ∂L/∂h_t} from this layer's output gradient (t = T-1 only when many-to-one). */
  private void addOutputGradient(float[] dY, int t, int batch) {
    for (int r = 0; r < batch; r++) {
      int src = returnSequences ? (r * steps + t) * units : r * units;
      int dst = r * units;
      for (int j = 0; j < units; j++) {
        dH[dst + j] += dY[src + j];
      }
    }
  }

  // ---------------------------------------------------------------- config support

  /**
   * The initializer of U by name: {@code orthogonal} or {@code orthogonal(gain)} ({@link
   * OrthogonalInitializer}), or any name {@link Initializers#parse} knows.
   */
  static Initializer recurrentInitializer(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("orthogonal")) {
      return new OrthogonalInitializer(1f);
    }
    if (s.startsWith("orthogonal(") && s.endsWith(")")) {
      try {
        return new OrthogonalInitializer(Float.parseFloat(s.substring("orthogonal(".length(), s.length() - 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("initializer '" + spec + "': the gain is not a number");
      }
    }
    try {
      return Initializers.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", orthogonal, orthogonal(gain)");
    }
  }

  /** The checks every recurrent config shares; messages name the key and the value. */
  static void validate(int units, int truncate, String kernelInit, String recurrentInit, String biasInit,
                       double l1, double l2) {
    if (units <= 0) {
      throw new ConfigException("units", "must be > 0, got " + units);
    }
    if (truncate < 0) {
      throw new ConfigException("truncate", "must be >= 0 (0 = full backpropagation through time, k > 0 = "
          + "each output's gradient flows back k steps), got " + truncate);
    }
    checkInit("kernel_init", kernelInit, false);
    checkInit("recurrent_init", recurrentInit, true);
    checkInit("bias_init", biasInit, false);
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new ConfigException("l1/l2", "must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
  }

  private static void checkInit(String key, String spec, boolean recurrent) {
    if (spec == null) {
      throw new ConfigException(key, "is required");
    }
    try {
      if (recurrent) {
        recurrentInitializer(spec);
      } else {
        Initializers.parse(spec);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  /** The keys every recurrent config writes, after {@code type}. */
  static void putCommon(Map<String, Object> m, int units, boolean returnSequences, int truncate,
                        String kernelInit, String recurrentInit, String biasInit) {
    m.put("units", units);
    m.put("return_sequences", returnSequences);
    m.put("truncate", truncate);
    m.put("kernel_init", kernelInit);
    m.put("recurrent_init", recurrentInit);
    m.put("bias_init", biasInit);
  }
}
