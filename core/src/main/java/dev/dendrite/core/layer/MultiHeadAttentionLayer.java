package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Multi-head scaled dot-product self-attention on sequences {@code x [T, d]}, with H heads of
 * {@code k = d / H} dimensions, laid out as PyTorch's {@code nn.MultiheadAttention}: an input projection
 * {@code W_in [3d, d]}, {@code b_in [3d]} (rows: queries, keys, values) and an output projection
 * {@code W_out [d, d]}, {@code b_out [d]}.
 * <pre>
 *   [Q K V] = x W_inᵀ + b_in                      [T, 3d]; head h uses columns h·k .. (h+1)·k of each
 *   S_h = Q_h K_hᵀ / √k                           [T, T]   (causal: S_h[i][j] = -∞ for j &gt; i)
 *   P_h = softmax(S_h) row-wise;  O_h = P_h V_h   [T, k], written into columns h·k.. of O [T, d]
 *   y = O W_outᵀ + b_out                          [T, d]
 * </pre>
 * Backward: {@code dW_out += dYᵀ O}, {@code dO = dY W_out}; per head {@code dP = dO_h V_hᵀ},
 * {@code dV_h = P_hᵀ dO_h}, {@code dS = P ⊙ (dP - rowsum(dP ⊙ P))} (masked entries have P = 0, so dS = 0),
 * {@code dQ_h = dS K_h / √k}, {@code dK_h = dSᵀ Q_h / √k}; then {@code dW_in += d[QKV]ᵀ x},
 * {@code dX = d[QKV] W_in}.
 *
 * <p>Every matrix product goes through {@link Gemm}: the projections once over the batch ({@code [batch·T, ·]}),
 * the score and value products once per (example, head), reading the heads in place through row strides.
 * Attention weights are kept for backward ({@code [batch, H, T, T]}); no dropout on them.
 */
public final class MultiHeadAttentionLayer extends AbstractLayer<MultiHeadAttentionConfig> {

  private final int steps;   // T
  private final int model;   // d
  private final int heads;   // H
  private final int headDim; // k = d / H
  private final boolean causal;
  private final float scale; // 1 / √k
  private final Gemm gemm;

  private float[] params;
  private float[] grads;
  private int wInOffset;
  private int bInOffset;
  private int wOutOffset;
  private int bOutOffset;

  private float[] qkv = new float[0];   // [batch·T, 3d]
  private float[] probs = new float[0]; // [batch, H, T, T] attention weights P
  private float[] ctx = new float[0];   // [batch·T, d] the heads' outputs O, side by side
  private float[] dCtx = new float[0];  // [batch·T, d]
  private float[] dQkv = new float[0];  // [batch·T, 3d]
  private float[] dP = new float[0];    // [T, T] one (example, head) at a time

  MultiHeadAttentionLayer(String name, MultiHeadAttentionConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, sequenceInput(MultiHeadAttentionConfig.TYPE, inputShape, "; e.g. an embedding's output [10, 32]"));
    this.steps = inputShape.dim(0);
    this.model = inputShape.dim(1);
    this.heads = config.heads();
    if (model % heads != 0) {
      throw new IllegalArgumentException(MultiHeadAttentionConfig.TYPE + ": heads = " + heads
          + " does not divide the model dimension " + model + " (the last axis of input " + inputShape + ")");
    }
    this.headDim = model / heads;
    this.causal = config.causal();
    this.scale = (float) (1.0 / Math.sqrt(headDim));
    this.gemm = gemm;
    Math.multiplyExact(Math.multiplyExact(heads, steps), steps); // fail early on absurd sizes
  }

  @Override
  public Shape outputShape() {
    return inputShape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    int d = model;
    return List.of(
        new ParameterSpec("W_in", Shape.of(3 * d, d), Initializers.parse(config.kernelInit()), d, 3 * d,
            config.l1(), config.l2()),
        new ParameterSpec("b_in", Shape.of(3 * d), Initializers.parse(config.biasInit()), d, 3 * d, 0, 0),
        new ParameterSpec("W_out", Shape.of(d, d), Initializers.parse(config.kernelInit()), d, d,
            config.l1(), config.l2()),
        new ParameterSpec("b_out", Shape.of(d), Initializers.parse(config.biasInit()), d, d, 0, 0));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    int d = model;
    this.params = params;
    this.grads = grads;
    this.wInOffset = offset;
    this.bInOffset = wInOffset + 3 * d * d;
    this.wOutOffset = bInOffset + 3 * d;
    this.bOutOffset = wOutOffset + d * d;
  }

  @Override
  public void allocate(int maxBatch) {
    int rows = maxBatch * steps;
    if (ctx.length < rows * model) {
      qkv = new float[rows * 3 * model];
      dQkv = new float[rows * 3 * model];
      ctx = new float[rows * model];
      dCtx = new float[rows * model];
      probs = new float[maxBatch * heads * steps * steps];
      dP = new float[steps * steps];
    }
  }

  /** The attention weights {@code [batch, H, T, T]} of the last forward: for tests. */
  public float[] attentionWeights() {
    return probs;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int d = model;
    int d3 = 3 * d;
    int rows = batch * steps;
    int tt = steps * steps;
    // qkv [batch·T, 3d] = x [batch·T, d] · W_inᵀ + b_in
    for (int r = 0; r < rows; r++) {
      System.arraycopy(params, bInOffset, qkv, r * d3, d3);
    }
    gemm.gemm(false, true, rows, d3, d, 1f, x, xOffset, d, params, wInOffset, d, 1f, qkv, 0, d3);
    for (int n = 0; n < batch; n++) {
      int base = n * steps * d3;
      for (int h = 0; h < heads; h++) {
        int q = base + h * headDim;
        int p = (n * heads + h) * tt;
        // S [T, T] = Q_h [T, k] · K_hᵀ [k, T] / √k, into P's place
        gemm.gemm(false, true, steps, steps, headDim, scale, qkv, q, d3, qkv, q + d, d3, 0f, probs, p, steps);
        softmaxRows(p);
        // O_h [T, k] = P [T, T] · V_h [T, k], into columns h·k.. of ctx
        gemm.gemm(false, false, steps, headDim, steps, 1f, probs, p, steps, qkv, q + 2 * d, d3, 0f, ctx,
            n * steps * d + h * headDim, d);
      }
    }
    // y [batch·T, d] = O · W_outᵀ + b_out
    for (int r = 0; r < rows; r++) {
      System.arraycopy(params, bOutOffset, y, r * d, d);
    }
    gemm.gemm(false, true, rows, d, d, 1f, ctx, 0, d, params, wOutOffset, d, 1f, y, 0, d);
  }

  /** Row-wise softmax of the scores at {@code probs[p..]}; with the causal mask row i keeps j ≤ i only. */
  private void softmaxRows(int p) {
    for (int i = 0; i < steps; i++) {
      int row = p + i * steps;
      int visible = causal ? i + 1 : steps;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < visible; j++) {
        max = Math.max(max, probs[row + j]);
      }
      for (int j = 0; j < visible; j++) {
        probs[row + j] -= max;
      }
      Kernels.exp(probs, probs, row, row + visible);
      double sum = 0;
      for (int j = 0; j < visible; j++) {
        sum += probs[row + j];
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < visible; j++) {
        probs[row + j] *= inv;
      }
      for (int j = visible; j < steps; j++) {
        probs[row + j] = 0f;
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    int d = model;
    int d3 = 3 * d;
    int rows = batch * steps;
    int tt = steps * steps;
    // dW_out [d, d] += dYᵀ [d, batch·T] · O [batch·T, d];  db_out += column sums of dY
    gemm.gemm(true, false, d, d, rows, 1f, dY, 0, d, ctx, 0, d, 1f, grads, wOutOffset, d);
    addColumnSums(dY, rows, d, bOutOffset);
    // dO [batch·T, d] = dY · W_out
    gemm.gemm(false, false, rows, d, d, 1f, dY, 0, d, params, wOutOffset, d, 0f, dCtx, 0, d);
    for (int n = 0; n < batch; n++) {
      int base = n * steps * d3;
      for (int h = 0; h < heads; h++) {
        int q = base + h * headDim;
        int k = q + d;
        int v = q + 2 * d;
        int p = (n * heads + h) * tt;
        int o = n * steps * d + h * headDim;
        // dP [T, T] = dO_h [T, k] · V_hᵀ [k, T]
        gemm.gemm(false, true, steps, steps, headDim, 1f, dCtx, o, d, qkv, v, d3, 0f, dP, 0, steps);
        // dV_h [T, k] = Pᵀ [T, T] · dO_h [T, k]
        gemm.gemm(true, false, steps, headDim, steps, 1f, probs, p, steps, dCtx, o, d, 0f, dQkv, v, d3);
        // dS = P ⊙ (dP - rowsum(dP ⊙ P)), in place in dP
        for (int i = 0; i < steps; i++) {
          int row = i * steps;
          double dot = 0;
          for (int j = 0; j < steps; j++) {
            dot += dP[row + j] * probs[p + row + j];
          }
          float s = (float) dot;
          for (int j = 0; j < steps; j++) {
            dP[row + j] = probs[p + row + j] * (dP[row + j] - s);
          }
        }
        // dQ_h [T, k] = dS [T, T] · K_h [T, k] / √k;  dK_h [T, k] = dSᵀ · Q_h / √k
        gemm.gemm(false, false, steps, headDim, steps, scale, dP, 0, steps, qkv, k, d3, 0f, dQkv, q, d3);
        gemm.gemm(true, false, steps, headDim, steps, scale, dP, 0, steps, qkv, q, d3, 0f, dQkv, k, d3);
      }
    }
    // dW_in [3d, d] += dQKVᵀ [3d, batch·T] · x [batch·T, d];  db_in += column sums of dQKV
    gemm.gemm(true, false, d3, d, rows, 1f, dQkv, 0, d3, x, xOffset, d, 1f, grads, wInOffset, d);
    addColumnSums(dQkv, rows, d3, bInOffset);
    if (dX != null) {
      // dX [batch·T, d] = dQKV [batch·T, 3d] · W_in [3d, d]
      gemm.gemm(false, false, rows, d, d3, 1f, dQkv, 0, d3, params, wInOffset, d, 0f, dX, 0, d);
    }
  }

  private void addColumnSums(float[] m, int rows, int cols, int gradOffset) {
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      for (int j = 0; j < cols; j++) {
        grads[gradOffset + j] += m[row + j];
      }
    }
  }
}
