package dev.dendrite.core.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels}' loops written with the Vector API. Loaded only when the JVM has
 * {@code jdk.incubator.vector} (referencing this class otherwise fails to link), so nothing outside
 * {@link Kernels} calls it.
 */
final class VectorKernels {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

  private VectorKernels() {
  }

  static void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, float beta1, float beta2,
                   float epsilon, float stepSize, float invSqrtBc2, float decay) {
    float oneMinusBeta1 = 1f - beta1;
    float oneMinusBeta2 = 1f - beta2;
    int i = from;
    int upper = from + FLOATS.loopBound(to - from);
    for (; i < upper; i += FLOATS.length()) {
      // the scalar form's operations, in its order, lane by lane
      FloatVector gi = FloatVector.fromArray(FLOATS, g, i);
      FloatVector mi = FloatVector.fromArray(FLOATS, m, i).mul(beta1).add(gi.mul(oneMinusBeta1));
      FloatVector vi = FloatVector.fromArray(FLOATS, v, i).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
      mi = mi.blend(0f, mi.abs().lt(Kernels.FLUSH));
      vi = vi.blend(0f, vi.lt(Kernels.FLUSH));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.sqrt().mul(invSqrtBc2).add(epsilon);
      FloatVector pi = FloatVector.fromArray(FLOATS, p, i);
      pi.mul(decay).sub(mi.mul(stepSize).div(denom)).intoArray(p, i);
    }
    Kernels.adamScalar(p, g, m, v, i, to, beta1, beta2, epsilon, stepSize, invSqrtBc2, decay);
  }

  static boolean allFinite(float[] x, int from, int to) {
    IntVector carry = IntVector.zero(INTS);
    int i = from;
    int upper = from + FLOATS.loopBound(to - from);
    for (; i < upper; i += FLOATS.length()) {
      IntVector bits = FloatVector.fromArray(FLOATS, x, i).reinterpretAsInts();
      carry = carry.or(bits.and(Kernels.EXPONENT).add(Kernels.EXPONENT_ONE));
    }
    return carry.reduceLanes(VectorOperators.OR) >= 0 && Kernels.allFiniteScalar(x, i, to);
  }

  // exp, sigmoid and tanh: no method of ours passes or returns a FloatVector, and each loop is short, with
  // its constants made as vectors before it. HotSpot leaves the vector operations past a method's node
  // budget as calls that box their vectors on the heap, and so does a helper method that was compiled on
  // its own first; which happened depended on the order of compilation, and an LSTM's forward pass took
  // 7.5 ms in one JVM and 11 or 20 ms in the next. So sigmoid and tanh run in two passes over blocks of
  // BLOCK floats: exp of the argument into a per-thread scratch block, then the rest of the function.

  private static final int BLOCK = 1024; // a multiple of every vector length
  private static final int ARGUMENT = 0;
  private static final int NEGATED = 1;
  private static final int TWICE_MAGNITUDE = 2;
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);

  static void exp(float[] x, float[] y, int from, int to) {
    int n = FLOATS.loopBound(to - from);
    exp(ARGUMENT, x, from, y, from, n);
    Kernels.expScalar(x, y, from + n, to);
  }

  static void sigmoid(float[] x, float[] y, int from, int to) {
    int n = FLOATS.loopBound(to - from);
    float[] e = SCRATCH.get();
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    for (int done = 0; done < n; done += BLOCK) {
      int m = Math.min(BLOCK, n - done);
      exp(NEGATED, x, from + done, e, 0, m);
      for (int k = 0; k < m; k += FLOATS.length()) {
        one.div(FloatVector.fromArray(FLOATS, e, k).add(one)).intoArray(y, from + done + k);
      }
    }
    Kernels.sigmoidScalar(x, y, from + n, to);
  }

  static void tanh(float[] x, float[] y, int from, int to) {
    int n = FLOATS.loopBound(to - from);
    float[] e = SCRATCH.get();
    for (int done = 0; done < n; done += BLOCK) {
      int m = Math.min(BLOCK, n - done);
      exp(TWICE_MAGNITUDE, x, from + done, e, 0, m);
      tanhFromExp(x, from + done, e, y, m);
    }
    Kernels.tanhScalar(x, y, from + n, to);
  }

  /**
   * {@code y[yFrom + k] = exp(a)} for {@code k < n} (a whole number of vectors), {@code a} being
   * {@code x[xFrom + k]}, its negation or twice its magnitude: {@link Kernels#exp(float)} lane by lane, in its
   * operations and order.
   */
  private static void exp(int argument, float[] x, int xFrom, float[] y, int yFrom, int n) {
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    FloatVector zero = FloatVector.zero(FLOATS);
    FloatVector low = FloatVector.broadcast(FLOATS, Kernels.EXP_LOW);
    FloatVector high = FloatVector.broadcast(FLOATS, Kernels.EXP_HIGH);
    FloatVector log2e = FloatVector.broadcast(FLOATS, Kernels.LOG2E);
    FloatVector rounder = FloatVector.broadcast(FLOATS, Kernels.ROUNDER);
    FloatVector ln2High = FloatVector.broadcast(FLOATS, Kernels.LN2_HIGH);
    FloatVector ln2Low = FloatVector.broadcast(FLOATS, Kernels.LN2_LOW);
    FloatVector p0 = FloatVector.broadcast(FLOATS, Kernels.EXP_P0);
    FloatVector p1 = FloatVector.broadcast(FLOATS, Kernels.EXP_P1);
    FloatVector p2 = FloatVector.broadcast(FLOATS, Kernels.EXP_P2);
    FloatVector p3 = FloatVector.broadcast(FLOATS, Kernels.EXP_P3);
    FloatVector p4 = FloatVector.broadcast(FLOATS, Kernels.EXP_P4);
    FloatVector p5 = FloatVector.broadcast(FLOATS, Kernels.EXP_P5);
    IntVector bias = IntVector.broadcast(INTS, Kernels.ROUNDER_BITS - 127);
    for (int k = 0; k < n; k += FLOATS.length()) {
      FloatVector xk = FloatVector.fromArray(FLOATS, x, xFrom + k);
      FloatVector arg = argument == ARGUMENT ? xk : argument == NEGATED ? xk.neg() : xk.abs().add(xk.abs());
      FloatVector a = arg.max(low).min(high);
      FloatVector t = a.mul(log2e).add(rounder);
      FloatVector m = t.sub(rounder);
      FloatVector r = a.sub(m.mul(ln2High)).sub(m.mul(ln2Low));
      FloatVector p = r.mul(p0).add(p1);
      p = p.mul(r).add(p2);
      p = p.mul(r).add(p3);
      p = p.mul(r).add(p4);
      p = p.mul(r).add(p5);
      FloatVector q = p.mul(r.mul(r)).add(r).add(one);
      IntVector scale = t.reinterpretAsInts().sub(bias).lanewise(VectorOperators.LSHL, 23);
      q.mul(scale.reinterpretAsFloats()).blend(zero, arg.lt(low)).intoArray(y, yFrom + k);
    }
  }

  /**
   * {@code y[from + k] = tanh(x[from + k])} for {@code k < n} from {@code e[k] = exp(2|x[from + k]|)}: the rest
   * of {@link Kernels#tanh(float)} lane by lane, in its operations and order.
   */
  private static void tanhFromExp(float[] x, int from, float[] e, float[] y, int n) {
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    FloatVector two = FloatVector.broadcast(FLOATS, 2f);
    FloatVector t0 = FloatVector.broadcast(FLOATS, Kernels.TANH_P0);
    FloatVector t1 = FloatVector.broadcast(FLOATS, Kernels.TANH_P1);
    FloatVector t2 = FloatVector.broadcast(FLOATS, Kernels.TANH_P2);
    FloatVector t3 = FloatVector.broadcast(FLOATS, Kernels.TANH_P3);
    FloatVector t4 = FloatVector.broadcast(FLOATS, Kernels.TANH_P4);
    FloatVector smallBelow = FloatVector.broadcast(FLOATS, Kernels.TANH_SMALL);
    IntVector magnitudeBits = IntVector.broadcast(INTS, ~Kernels.SIGN);
    IntVector signBit = IntVector.broadcast(INTS, Kernels.SIGN);
    for (int k = 0; k < n; k += FLOATS.length()) {
      FloatVector xk = FloatVector.fromArray(FLOATS, x, from + k);
      FloatVector z = xk.mul(xk);
      FloatVector poly = z.mul(t0).add(t1);
      poly = poly.mul(z).add(t2);
      poly = poly.mul(z).add(t3);
      poly = poly.mul(z).add(t4);
      FloatVector small = poly.mul(z).mul(xk).add(xk);
      FloatVector magnitude = one.sub(two.div(FloatVector.fromArray(FLOATS, e, k).add(one)));
      FloatVector large = magnitude.reinterpretAsInts().and(magnitudeBits)
          .or(xk.reinterpretAsInts().and(signBit)).reinterpretAsFloats(); // Math.copySign
      large.blend(small, xk.abs().lt(smallBelow)).intoArray(y, from + k);
    }
  }

  static void lstmCell(float[] gates, int g, float[] c, int prev, int s, float[] tanhC, float[] h, int u) {
    int upper = FLOATS.loopBound(u);
    FloatVector zero = FloatVector.zero(FLOATS);
    for (int j = 0; j < upper; j += FLOATS.length()) {
      FloatVector cPrev = prev < 0 ? zero : FloatVector.fromArray(FLOATS, c, prev + j);
      FloatVector.fromArray(FLOATS, gates, g + u + j).mul(cPrev)
          .add(FloatVector.fromArray(FLOATS, gates, g + j).mul(FloatVector.fromArray(FLOATS, gates, g + 2 * u + j)))
          .intoArray(c, s + j);
    }
    tanh(c, tanhC, s, s + upper);
    for (int j = 0; j < upper; j += FLOATS.length()) {
      FloatVector.fromArray(FLOATS, gates, g + 3 * u + j).mul(FloatVector.fromArray(FLOATS, tanhC, s + j))
          .intoArray(h, s + j);
    }
    Kernels.lstmCellScalar(gates, g, c, prev, s, tanhC, h, u, upper, u);
  }

  static void lstmCellBackward(float[] gates, int g, float[] c, int prev, int s, float[] tanhC, float[] dH,
                               float[] dC, int d, float[] dZStep, int q, float[] dZx, int u) {
    int j = 0;
    int upper = FLOATS.loopBound(u);
    FloatVector zero = FloatVector.zero(FLOATS);
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    for (; j < upper; j += FLOATS.length()) {
      FloatVector in = FloatVector.fromArray(FLOATS, gates, g + j);
      FloatVector forget = FloatVector.fromArray(FLOATS, gates, g + u + j);
      FloatVector cand = FloatVector.fromArray(FLOATS, gates, g + 2 * u + j);
      FloatVector out = FloatVector.fromArray(FLOATS, gates, g + 3 * u + j);
      FloatVector tc = FloatVector.fromArray(FLOATS, tanhC, s + j);
      FloatVector cPrev = prev < 0 ? zero : FloatVector.fromArray(FLOATS, c, prev + j);
      FloatVector dh = FloatVector.fromArray(FLOATS, dH, d + j);
      FloatVector dc = FloatVector.fromArray(FLOATS, dC, d + j).add(dh.mul(out).mul(one.sub(tc.mul(tc))));
      FloatVector dzi = dc.mul(cand).mul(in).mul(one.sub(in));
      FloatVector dzf = dc.mul(cPrev).mul(forget).mul(one.sub(forget));
      FloatVector dzg = dc.mul(in).mul(one.sub(cand.mul(cand)));
      FloatVector dzo = dh.mul(tc).mul(out).mul(one.sub(out));
      dzi.intoArray(dZStep, q + j);
      dzf.intoArray(dZStep, q + u + j);
      dzg.intoArray(dZStep, q + 2 * u + j);
      dzo.intoArray(dZStep, q + 3 * u + j);
      FloatVector.fromArray(FLOATS, dZx, g + j).add(dzi).intoArray(dZx, g + j);
      FloatVector.fromArray(FLOATS, dZx, g + u + j).add(dzf).intoArray(dZx, g + u + j);
      FloatVector.fromArray(FLOATS, dZx, g + 2 * u + j).add(dzg).intoArray(dZx, g + 2 * u + j);
      FloatVector.fromArray(FLOATS, dZx, g + 3 * u + j).add(dzo).intoArray(dZx, g + 3 * u + j);
      dc.mul(forget).intoArray(dC, d + j);
    }
    Kernels.lstmCellBackwardScalar(gates, g, c, prev, s, tanhC, dH, dC, d, dZStep, q, dZx, u, j, u);
  }

  static void reluBackward(float[] z, float[] dY, float[] dZ, int from, int to) {
    int i = from;
    int upper = from + FLOATS.loopBound(to - from);
    for (; i < upper; i += FLOATS.length()) {
      FloatVector d = FloatVector.fromArray(FLOATS, dY, i);
      d.blend(0f, FloatVector.fromArray(FLOATS, z, i).compare(VectorOperators.GT, 0f).not()).intoArray(dZ, i);
    }
    Kernels.reluBackwardScalar(z, dY, dZ, i, to);
  }

  static void columnSums(float[] a, int ld, int rows, int from, int to, float[] sums, int offset) {
    int j = from;
    int upper = from + FLOATS.loopBound(to - from);
    for (; j < upper; j += FLOATS.length()) {
      FloatVector sum = FloatVector.fromArray(FLOATS, a, j).add(0f); // 0 + a: -0 becomes +0, as in the scalar form
      for (int r = 1; r < rows; r++) {
        sum = sum.add(FloatVector.fromArray(FLOATS, a, r * ld + j));
      }
      sum.intoArray(sums, offset + j - from);
    }
    Kernels.columnSumsScalar(a, ld, rows, j, to, sums, offset + j - from);
  }

  static void gruCellBackward(float[] gates, int g, float[] h, int prev, int s, float[] ghN, float[] dH, int d,
                              float[] dZx, float[] dZStep, int q, float[] dZh, float[] dHPrev, int u) {
    int j = 0;
    int upper = FLOATS.loopBound(u);
    FloatVector zero = FloatVector.zero(FLOATS);
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    for (; j < upper; j += FLOATS.length()) {
      FloatVector reset = FloatVector.fromArray(FLOATS, gates, g + j);
      FloatVector update = FloatVector.fromArray(FLOATS, gates, g + u + j);
      FloatVector cand = FloatVector.fromArray(FLOATS, gates, g + 2 * u + j);
      FloatVector hPrev = prev < 0 ? zero : FloatVector.fromArray(FLOATS, h, prev + j);
      FloatVector dh = FloatVector.fromArray(FLOATS, dH, d + j);
      FloatVector dn = dh.mul(one.sub(update)).mul(one.sub(cand.mul(cand)));
      FloatVector dz = dh.mul(hPrev.sub(cand)).mul(update).mul(one.sub(update));
      FloatVector dr = dn.mul(FloatVector.fromArray(FLOATS, ghN, s + j)).mul(reset).mul(one.sub(reset));
      FloatVector dnReset = dn.mul(reset);
      FloatVector.fromArray(FLOATS, dZx, g + j).add(dr).intoArray(dZx, g + j);
      FloatVector.fromArray(FLOATS, dZx, g + u + j).add(dz).intoArray(dZx, g + u + j);
      FloatVector.fromArray(FLOATS, dZx, g + 2 * u + j).add(dn).intoArray(dZx, g + 2 * u + j);
      dr.intoArray(dZStep, q + j);
      dz.intoArray(dZStep, q + u + j);
      dnReset.intoArray(dZStep, q + 2 * u + j);
      FloatVector.fromArray(FLOATS, dZh, g + j).add(dr).intoArray(dZh, g + j);
      FloatVector.fromArray(FLOATS, dZh, g + u + j).add(dz).intoArray(dZh, g + u + j);
      FloatVector.fromArray(FLOATS, dZh, g + 2 * u + j).add(dnReset).intoArray(dZh, g + 2 * u + j);
      dh.mul(update).intoArray(dHPrev, d + j);
    }
    Kernels.gruCellBackwardScalar(gates, g, h, prev, s, ghN, dH, d, dZx, dZStep, q, dZh, dHPrev, u, j, u);
  }
}
