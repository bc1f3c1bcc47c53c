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

  static void exp(float[] x, float[] y, int from, int to) {
    int i = from;
    int upper = from + FLOATS.loopBound(to - from);
    for (; i < upper; i += FLOATS.length()) {
      exp(FloatVector.fromArray(FLOATS, x, i)).intoArray(y, i);
    }
    Kernels.expScalar(x, y, i, to);
  }

  /** {@link Kernels#exp(float)} lane by lane, in its operations and order. */
  private static FloatVector exp(FloatVector x) {
    FloatVector a = x.max(Kernels.EXP_LOW).min(Kernels.EXP_HIGH);
    FloatVector t = a.mul(Kernels.LOG2E).add(Kernels.ROUNDER);
    FloatVector n = t.sub(Kernels.ROUNDER);
    FloatVector r = a.sub(n.mul(Kernels.LN2_HIGH)).sub(n.mul(Kernels.LN2_LOW));
    FloatVector p = r.mul(Kernels.EXP_P0).add(Kernels.EXP_P1);
    p = p.mul(r).add(Kernels.EXP_P2);
    p = p.mul(r).add(Kernels.EXP_P3);
    p = p.mul(r).add(Kernels.EXP_P4);
    p = p.mul(r).add(Kernels.EXP_P5);
    FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
    IntVector scale = t.reinterpretAsInts().sub(Kernels.ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
    return e.mul(scale.reinterpretAsFloats()).blend(0f, x.lt(Kernels.EXP_LOW));
  }

  static void sigmoid(float[] x, float[] y, int from, int to) {
    int i = from;
    int upper = from + FLOATS.loopBound(to - from);
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    for (; i < upper; i += FLOATS.length()) {
      one.div(exp(FloatVector.fromArray(FLOATS, x, i).neg()).add(1f)).intoArray(y, i);
    }
    Kernels.sigmoidScalar(x, y, i, to);
  }

  static void tanh(float[] x, float[] y, int from, int to) {
    int i = from;
    int upper = from + FLOATS.loopBound(to - from);
    FloatVector one = FloatVector.broadcast(FLOATS, 1f);
    for (; i < upper; i += FLOATS.length()) {
      FloatVector xi = FloatVector.fromArray(FLOATS, x, i);
      FloatVector ax = xi.abs();
      FloatVector z = xi.mul(xi);
      FloatVector p = z.mul(Kernels.TANH_P0).add(Kernels.TANH_P1);
      p = p.mul(z).add(Kernels.TANH_P2);
      p = p.mul(z).add(Kernels.TANH_P3);
      p = p.mul(z).add(Kernels.TANH_P4);
      FloatVector small = p.mul(z).mul(xi).add(xi);
      FloatVector magnitude = one.sub(FloatVector.broadcast(FLOATS, 2f).div(exp(ax.add(ax)).add(1f)));
      FloatVector large = magnitude.reinterpretAsInts().and(~Kernels.SIGN)
          .or(xi.reinterpretAsInts().and(Kernels.SIGN)).reinterpretAsFloats(); // Math.copySign
      large.blend(small, ax.lt(Kernels.TANH_SMALL)).intoArray(y, i);
    }
    Kernels.tanhScalar(x, y, i, to);
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
}
