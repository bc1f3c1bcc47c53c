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
}
