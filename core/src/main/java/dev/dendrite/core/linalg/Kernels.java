package dev.dendrite.core.linalg;

/**
 * The elementwise loops of a training step that the JIT does not vectorize by itself: the Adam update,
 * the finiteness check of a batch's inputs, exp, sigmoid and tanh (softmax, recurrent gates), the LSTM
 * cell and its backward pass, the GRU cell's backward pass, ReLU's backward pass and the column sums of a
 * bias gradient. Each has a scalar form, the reference, and a Vector API form
 * ({@code VectorKernels}) used when the JVM runs with {@code --add-modules=jdk.incubator.vector}
 * ({@code bin/dendrite}, the tests and the benchmarks do); without that flag the scalar form runs and
 * nothing else changes.
 *
 * <p>Both forms compute every element with the same IEEE operations in the same order (no fused
 * multiply-add, no reassociation), so they give the same bits: a run is reproducible whether or not an
 * executor was started with the flag.
 */
public final class Kernels {

  /** Whether the Vector API is in this JVM's boot layer (and so whether {@code VectorKernels} may load). */
  static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private Kernels() {
  }

  /** Whether the vectorized forms run in this JVM. */
  public static boolean vectorized() {
    return VECTOR_API;
  }

  /**
   * The Adam step on elements {@code [from, to)}: {@code m ← β₁m + (1-β₁)g}, {@code v ← β₂v + (1-β₂)g²},
   * {@code p ← p·decay - stepSize·m / (√v·invSqrtBc2 + ε)}, with moments smaller than {@link #FLUSH} in
   * magnitude stored as 0.
   *
   * <p>Why the flush: the first moment of a weight whose gradient is exactly 0 (a dead ReLU unit, an
   * always-blank pixel) decays by β₁ every step, through the subnormal floats towards 0. x86 cores compute
   * on subnormal operands about a hundred times slower (microcode assists), and Java cannot set
   * flush-to-zero. Measured on the Fashion-MNIST MLP after 3000 steps: 19 000 of its 235 146 first moments
   * were subnormal at any time (146 000 on uniform random inputs), and the step took 1.7 ms instead of
   * 1.2 ms. A moment below 1e-30 moves a parameter by less than stepSize·1e-30/ε, under 1e-24 for any
   * usual setting: no float parameter larger than about 1e-17 changes at all.
   */
  public static void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, float beta1, float beta2,
                          float epsilon, float stepSize, float invSqrtBc2, float decay) {
    if (VECTOR_API) {
      VectorKernels.adam(p, g, m, v, from, to, beta1, beta2, epsilon, stepSize, invSqrtBc2, decay);
    } else {
      adamScalar(p, g, m, v, from, to, beta1, beta2, epsilon, stepSize, invSqrtBc2, decay);
    }
  }

  /** The reference form of {@link #adam}; also the tail of the vector form. */
  static void adamScalar(float[] p, float[] g, float[] m, float[] v, int from, int to, float beta1, float beta2,
                         float epsilon, float stepSize, float invSqrtBc2, float decay) {
    float oneMinusBeta1 = 1f - beta1;
    float oneMinusBeta2 = 1f - beta2;
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float mi = beta1 * m[i] + oneMinusBeta1 * gi;
      float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
      mi = Math.abs(mi) < FLUSH ? 0f : mi;
      vi = vi < FLUSH ? 0f : vi;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) * invSqrtBc2 + epsilon;
      p[i] = p[i] * decay - stepSize * mi / denom;
    }
  }

  /** Whether every value in {@code x[from, to)} is finite (neither NaN nor ±∞). */
  public static boolean allFinite(float[] x, int from, int to) {
    return VECTOR_API ? VectorKernels.allFinite(x, from, to) : allFiniteScalar(x, from, to);
  }

  /**
   * The reference form of {@link #allFinite}, branch-free: a float is not finite exactly when its exponent
   * bits are all ones, and then adding one to the exponent carries into the sign bit.
   */
  static boolean allFiniteScalar(float[] x, int from, int to) {
    int carry = 0;
    for (int i = from; i < to; i++) {
      carry |= (Float.floatToRawIntBits(x[i]) & EXPONENT) + EXPONENT_ONE;
    }
    return carry >= 0;
  }

  /**
   * {@code y[i] = e^{x[i]}} for {@code i} in {@code [from, to)} ({@code y} may be {@code x}), within 2 ulp of
   * {@code Math.exp} for arguments in [-87.33, 88.37]; below that it gives 0 (where {@code Math.exp} still
   * gives subnormals, down to -103.9), above it +∞ (where {@code Math.exp} overflows from 88.73 on), and
   * NaN for NaN.
   *
   * <p>{@code Math.exp} costs about 18 ns per call here (a softmax over 10 classes spent 23 µs of a 1.2 ms
   * step in it); this is Cephes' single-precision exp in plain multiplies and adds: {@code n = round(x·log₂e)}
   * by the 1.5·2²³ trick, {@code r = x - n·ln2} in two parts, a degree-6 polynomial for {@code e^r}, and
   * {@code 2ⁿ} from exponent bits. Both forms use the same operations in the same order, so the same bits.
   */
  public static void exp(float[] x, float[] y, int from, int to) {
    if (VECTOR_API) {
      VectorKernels.exp(x, y, from, to);
    } else {
      expScalar(x, y, from, to);
    }
  }

  /** The reference form of {@link #exp}; also the tail of the vector form. */
  static void expScalar(float[] x, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = exp(x[i]);
    }
  }

  /** {@link #exp} of one value. */
  static float exp(float x) {
    float a = Math.min(Math.max(x, EXP_LOW), EXP_HIGH);
    float t = a * LOG2E + ROUNDER; // the nearest integer to a·log₂e, in t's low mantissa bits
    float n = t - ROUNDER;
    float r = a - n * LN2_HIGH - n * LN2_LOW;
    float p = EXP_P0;
    p = p * r + EXP_P1;
    p = p * r + EXP_P2;
    p = p * r + EXP_P3;
    p = p * r + EXP_P4;
    p = p * r + EXP_P5;
    float e = p * (r * r) + r + 1f;
    int scale = (Float.floatToRawIntBits(t) - ROUNDER_BITS + 127) << 23;
    return x < EXP_LOW ? 0f : e * Float.intBitsToFloat(scale);
  }

  /**
   * The logistic sigmoid {@code y[i] = 1 / (1 + e^{-x[i]})} on {@code [from, to)} ({@code y} may be {@code x}),
   * through {@link #exp}: within 4 ulp of the exact value where it is a normal float; 0 below -88.37.
   */
  public static void sigmoid(float[] x, float[] y, int from, int to) {
    if (VECTOR_API) {
      VectorKernels.sigmoid(x, y, from, to);
    } else {
      sigmoidScalar(x, y, from, to);
    }
  }

  static void sigmoidScalar(float[] x, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = sigmoid(x[i]);
    }
  }

  /** {@link #sigmoid(float[], float[], int, int)} of one value, with the same bits. */
  public static float sigmoid(float x) {
    return 1f / (1f + exp(-x));
  }

  /**
   * {@code y[i] = tanh(x[i])} on {@code [from, to)} ({@code y} may be {@code x}), as Cephes' single-precision
   * tanh: an odd polynomial below |x| = 0.625, {@code 1 - 2 / (e^{2|x|} + 1)} with x's sign above; within
   * 3 ulp of {@code Math.tanh}.
   */
  public static void tanh(float[] x, float[] y, int from, int to) {
    if (VECTOR_API) {
      VectorKernels.tanh(x, y, from, to);
    } else {
      tanhScalar(x, y, from, to);
    }
  }

  static void tanhScalar(float[] x, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = tanh(x[i]);
    }
  }

  /** {@link #tanh(float[], float[], int, int)} of one value, with the same bits. */
  public static float tanh(float x) {
    float ax = Math.abs(x);
    float z = x * x;
    float p = TANH_P0;
    p = p * z + TANH_P1;
    p = p * z + TANH_P2;
    p = p * z + TANH_P3;
    p = p * z + TANH_P4;
    float small = p * z * x + x;
    float large = Math.copySign(1f - 2f / (exp(ax + ax) + 1f), x);
    return ax < TANH_SMALL ? small : large;
  }

  /**
   * One example's LSTM cell at one time step, units {@code [0, u)}: from the activated gates at
   * {@code gates[g..]} (input i, forget f, candidate g, output o, {@code u} each, PyTorch's order) and the
   * previous cell state at {@code c[prev..]} (none, that is 0, when {@code prev < 0}), the cell state
   * {@code c = f·c_prev + i·g} at {@code c[s..]}, {@code tanh(c)} at {@code tanhC[s..]} ({@link #tanh(float)})
   * and the hidden state {@code h = o·tanh(c)} at {@code h[s..]}. Without multiply-add, so both forms give
   * the same bits.
   */
  public static void lstmCell(float[] gates, int g, float[] c, int prev, int s, float[] tanhC, float[] h, int u) {
    if (VECTOR_API) {
      VectorKernels.lstmCell(gates, g, c, prev, s, tanhC, h, u);
    } else {
      lstmCellScalar(gates, g, c, prev, s, tanhC, h, u, 0, u);
    }
  }

  /** The reference form of {@link #lstmCell} on units {@code [from, to)}; also the tail of the vector form. */
  static void lstmCellScalar(float[] gates, int g, float[] c, int prev, int s, float[] tanhC, float[] h, int u,
                             int from, int to) {
    for (int j = from; j < to; j++) {
      float cPrev = prev < 0 ? 0f : c[prev + j];
      float cell = gates[g + u + j] * cPrev + gates[g + j] * gates[g + 2 * u + j];
      float tc = tanh(cell);
      c[s + j] = cell;
      tanhC[s + j] = tc;
      h[s + j] = gates[g + 3 * u + j] * tc;
    }
  }

  /**
   * The backward pass of {@link #lstmCell} for one example at one time step, units {@code [0, u)}, from
   * {@code dH = ∂L/∂h_t} at {@code dH[d..]} and the carried {@code dC = ∂L/∂c_t} at {@code dC[d..]}:
   * {@code dc = dC + dH·o·(1 - tanh²c)}; the gates' pre-activation gradients
   * {@code dz_i = dc·g·i(1-i)}, {@code dz_f = dc·c_prev·f(1-f)}, {@code dz_g = dc·i·(1-g²)},
   * {@code dz_o = dH·tanh(c)·o(1-o)} written to {@code dZStep[q..]} and added to {@code dZx[g..]} (both in
   * the gates' layout); and {@code dC ← dc·f}, the gradient carried to {@code c_{t-1}}. Both forms give the
   * same bits.
   */
  public static void lstmCellBackward(float[] gates, int g, float[] c, int prev, int s, float[] tanhC, float[] dH,
                                      float[] dC, int d, float[] dZStep, int q, float[] dZx, int u) {
    if (VECTOR_API) {
      VectorKernels.lstmCellBackward(gates, g, c, prev, s, tanhC, dH, dC, d, dZStep, q, dZx, u);
    } else {
      lstmCellBackwardScalar(gates, g, c, prev, s, tanhC, dH, dC, d, dZStep, q, dZx, u, 0, u);
    }
  }

  /** The reference form of {@link #lstmCellBackward} on units {@code [from, to)}; also the vector form's tail. */
  static void lstmCellBackwardScalar(float[] gates, int g, float[] c, int prev, int s, float[] tanhC, float[] dH,
                                     float[] dC, int d, float[] dZStep, int q, float[] dZx, int u, int from, int to) {
    for (int j = from; j < to; j++) {
      float in = gates[g + j];
      float forget = gates[g + u + j];
      float cand = gates[g + 2 * u + j];
      float out = gates[g + 3 * u + j];
      float tc = tanhC[s + j];
      float cPrev = prev < 0 ? 0f : c[prev + j];
      float dh = dH[d + j];
      float dc = dC[d + j] + dh * out * (1f - tc * tc);
      float dzi = dc * cand * in * (1f - in);
      float dzf = dc * cPrev * forget * (1f - forget);
      float dzg = dc * in * (1f - cand * cand);
      float dzo = dh * tc * out * (1f - out);
      dZStep[q + j] = dzi;
      dZStep[q + u + j] = dzf;
      dZStep[q + 2 * u + j] = dzg;
      dZStep[q + 3 * u + j] = dzo;
      dZx[g + j] += dzi;
      dZx[g + u + j] += dzf;
      dZx[g + 2 * u + j] += dzg;
      dZx[g + 3 * u + j] += dzo;
      dC[d + j] = dc * forget;
    }
  }

  /**
   * The backward pass of a GRU cell for one example at one time step, units {@code [0, u)}, from the
   * activated gates at {@code gates[g..]} (reset r, update z, candidate n, PyTorch's order), the previous
   * hidden state at {@code h[prev..]} (0 when {@code prev < 0}), the recurrent part of the candidate's
   * pre-activation {@code ghN[s..]} and {@code dH = ∂L/∂h_t} at {@code dH[d..]}:
   * {@code dn = dH·(1-z)·(1-n²)}, {@code dz = dH·(h_prev - n)·z(1-z)}, {@code dr = dn·ghN·r(1-r)}, added to
   * {@code dZx[g..]} and to {@code dZh[g..]} (with {@code dn·r} for the recurrent candidate) and written to
   * {@code dZStep[q..]}; {@code dHPrev[d..] = dH·z}, the direct path to {@code h_{t-1}}. Both forms give the
   * same bits.
   */
  public static void gruCellBackward(float[] gates, int g, float[] h, int prev, int s, float[] ghN, float[] dH, int d,
                                     float[] dZx, float[] dZStep, int q, float[] dZh, float[] dHPrev, int u) {
    if (VECTOR_API) {
      VectorKernels.gruCellBackward(gates, g, h, prev, s, ghN, dH, d, dZx, dZStep, q, dZh, dHPrev, u);
    } else {
      gruCellBackwardScalar(gates, g, h, prev, s, ghN, dH, d, dZx, dZStep, q, dZh, dHPrev, u, 0, u);
    }
  }

  /** The reference form of {@link #gruCellBackward} on units {@code [from, to)}; also the vector form's tail. */
  static void gruCellBackwardScalar(float[] gates, int g, float[] h, int prev, int s, float[] ghN, float[] dH, int d,
                                    float[] dZx, float[] dZStep, int q, float[] dZh, float[] dHPrev, int u, int from,
                                    int to) {
    for (int j = from; j < to; j++) {
      float reset = gates[g + j];
      float update = gates[g + u + j];
      float cand = gates[g + 2 * u + j];
      float hPrev = prev < 0 ? 0f : h[prev + j];
      float dh = dH[d + j];
      float dn = dh * (1f - update) * (1f - cand * cand);
      float dz = dh * (hPrev - cand) * update * (1f - update);
      float dr = dn * ghN[s + j] * reset * (1f - reset);
      dZx[g + j] += dr;
      dZx[g + u + j] += dz;
      dZx[g + 2 * u + j] += dn;
      dZStep[q + j] = dr;
      dZStep[q + u + j] = dz;
      dZStep[q + 2 * u + j] = dn * reset;
      dZh[g + j] += dr;
      dZh[g + u + j] += dz;
      dZh[g + 2 * u + j] += dn * reset;
      dHPrev[d + j] = dh * update;
    }
  }

  static final float TANH_SMALL = 0.625f;
  static final float TANH_P0 = -5.70498872745e-3f;
  static final float TANH_P1 = 2.06390887954e-2f;
  static final float TANH_P2 = -5.37397155531e-2f;
  static final float TANH_P3 = 1.33314422036e-1f;
  static final float TANH_P4 = -3.33332819422e-1f;
  static final int SIGN = 0x8000_0000;

  static final float EXP_LOW = -87.33654f;
  static final float EXP_HIGH = 88.72284f;
  static final float LOG2E = 1.44269504088896341f;
  static final float ROUNDER = 12582912f; // 1.5·2²³: adding it rounds to an integer kept in the low bits
  static final int ROUNDER_BITS = 0x4B40_0000;
  static final float LN2_HIGH = 0.693359375f;
  static final float LN2_LOW = -2.12194440e-4f;
  static final float EXP_P0 = 1.9875691500e-4f;
  static final float EXP_P1 = 1.3981999507e-3f;
  static final float EXP_P2 = 8.3334519073e-3f;
  static final float EXP_P3 = 4.1665795894e-2f;
  static final float EXP_P4 = 1.6666665459e-1f;
  static final float EXP_P5 = 5.0000001201e-1f;

  /**
   * ReLU's backward pass on {@code [from, to)}: {@code dZ[i] = z[i] > 0 ? dY[i] : 0} ({@code dZ} may be
   * {@code dY}), the sign of a zero gradient kept as the scalar select keeps it.
   */
  public static void reluBackward(float[] z, float[] dY, float[] dZ, int from, int to) {
    if (VECTOR_API) {
      VectorKernels.reluBackward(z, dY, dZ, from, to);
    } else {
      reluBackwardScalar(z, dY, dZ, from, to);
    }
  }

  static void reluBackwardScalar(float[] z, float[] dY, float[] dZ, int from, int to) {
    for (int i = from; i < to; i++) {
      // selecting int bits lets the JIT emit a conditional move: the sign of z is random in training,
      // and a branch on it mispredicts half the time
      int bits = Float.floatToRawIntBits(dY[i]);
      dZ[i] = Float.intBitsToFloat(z[i] > 0f ? bits : 0);
    }
  }

  /**
   * Column sums of the row-major block {@code a[row·ld + from, row·ld + to)} over {@code rows} rows into
   * {@code sums[offset + j - from]}, row by row in order from {@code 0 + a[0]} (a bias gradient: -0 sums to
   * +0 as if added into a zeroed vector).
   */
  public static void columnSums(float[] a, int ld, int rows, int from, int to, float[] sums, int offset) {
    if (VECTOR_API) {
      VectorKernels.columnSums(a, ld, rows, from, to, sums, offset);
    } else {
      columnSumsScalar(a, ld, rows, from, to, sums, offset);
    }
  }

  static void columnSumsScalar(float[] a, int ld, int rows, int from, int to, float[] sums, int offset) {
    int shift = offset - from;
    for (int j = from; j < to; j++) {
      sums[j + shift] = 0f + a[j];
    }
    for (int r = 1; r < rows; r++) {
      int row = r * ld;
      for (int j = from; j < to; j++) {
        sums[j + shift] += a[row + j];
      }
    }
  }

  /** Adam's moments below this magnitude are stored as 0 (see {@link #adam}). */
  public static final float FLUSH = 1e-30f;

  static final int EXPONENT = 0x7f80_0000;
  static final int EXPONENT_ONE = 0x0080_0000;
}
