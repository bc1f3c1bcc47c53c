package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterTensor;

/**
 * The L1 and L2 penalties the layers ask for ({@link ParameterTensor#l1()}, {@link ParameterTensor#l2()}),
 * in Keras' convention: penalty {@code Σ_tensors (l1·Σ|p| + l2·Σp²)}, gradient {@code l1·sign(p) + 2·l2·p}
 * (note: no ½ in front of the L2 term; sign(0) = 0). It runs once per step on the mean gradient of the
 * mini-batch, so it is not scaled by the batch size; plain L2 weight decay is this, not the optimizers' job.
 */
public final class Penalties {

  private Penalties() {
  }

  /**
   * Adds the penalty gradient to {@code grads} in place and returns the penalty value (to add to the mean
   * loss). Tensors without penalties, and non-trainable tensors, are skipped; {@code params} is not modified.
   */
  public static double apply(ParameterLayout layout, float[] params, float[] grads) {
    check(layout, params, grads);
    double penalty = 0;
    for (ParameterTensor t : layout.tensors()) {
      double l1 = t.l1();
      double l2 = t.l2();
      if (!t.trainable() || (l1 == 0 && l2 == 0)) {
        continue;
      }
      float l1f = (float) l1;
      float twoL2 = (float) (2 * l2);
      double abs = 0;
      double squares = 0;
      for (int i = t.offset(); i < t.end(); i++) {
        float p = params[i];
        abs += Math.abs(p);
        squares += (double) p * p;
        grads[i] += l1f * Math.signum(p) + twoL2 * p;
      }
      penalty += l1 * abs + l2 * squares;
    }
    return penalty;
  }

  /** The penalty value alone, e.g. for an evaluation loss. */
  public static double value(ParameterLayout layout, float[] params) {
    check(layout, params, null);
    double penalty = 0;
    for (ParameterTensor t : layout.tensors()) {
      if (!t.trainable() || (t.l1() == 0 && t.l2() == 0)) {
        continue;
      }
      double abs = 0;
      double squares = 0;
      for (int i = t.offset(); i < t.end(); i++) {
        float p = params[i];
        abs += Math.abs(p);
        squares += (double) p * p;
      }
      penalty += t.l1() * abs + t.l2() * squares;
    }
    return penalty;
  }

  private static void check(ParameterLayout layout, float[] params, float[] grads) {
    if (params.length != layout.size() || (grads != null && grads.length != layout.size())) {
      throw new IllegalArgumentException("penalties: got " + params.length + " parameters"
          + (grads == null ? "" : " and " + grads.length + " gradients") + ", the layout has " + layout.size());
    }
  }
}
