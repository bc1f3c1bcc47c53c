package dev.dendrite.core.optim;

import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradient clipping before the optimizer step, on the flat (mean) gradient: by value (each element clamped
 * to {@code [-clipValue, clipValue]}, Keras' {@code clipvalue}) and/or by global L2 norm (all elements
 * scaled by {@code clipNorm / ‖g‖} when {@code ‖g‖ > clipNorm}, PyTorch's {@code clip_grad_norm_} and Keras'
 * {@code global_clipnorm}). 0 turns either off. Config keys: {@code clip_value}, {@code clip_norm}.
 */
public record GradientClipping(double clipValue, double clipNorm) {

  /** No clipping. */
  public static final GradientClipping NONE = new GradientClipping(0, 0);

  public GradientClipping {
    HyperParameters.nonNegative(null, "clip_value", clipValue);
    HyperParameters.nonNegative(null, "clip_norm", clipNorm);
  }

  public static GradientClipping byValue(double clipValue) {
    return new GradientClipping(clipValue, 0);
  }

  public static GradientClipping byNorm(double clipNorm) {
    return new GradientClipping(0, clipNorm);
  }

  public boolean enabled() {
    return clipValue > 0 || clipNorm > 0;
  }

  /**
   * Clips {@code grads} in place: first by value, then by norm (when set). Returns the global L2 norm
   * before any clipping, for logging; when that norm is NaN or infinite the gradient is left unscaled by
   * the norm step (scaling cannot repair it) and the caller should check {@link Double#isFinite}.
   */
  public double apply(float[] grads) {
    double norm = l2Norm(grads);
    if (clipValue > 0) {
      clipByValue(grads, (float) clipValue);
    }
    if (clipNorm > 0) {
      clipByNorm(grads, clipNorm);
    }
    return norm;
  }

  /** {@code ‖g‖₂}, summed in double. */
  public static double l2Norm(float[] grads) {
    double sum = 0;
    for (float g : grads) {
      sum += (double) g * g;
    }
    return Math.sqrt(sum);
  }

  /** Clamps every element to {@code [-c, c]} in place. */
  public static void clipByValue(float[] grads, float c) {
    for (int i = 0; i < grads.length; i++) {
      float g = grads[i];
      grads[i] = g > c ? c : (g < -c ? -c : g);
    }
  }

  /**
   * Scales {@code grads} in place by {@code maxNorm / ‖g‖} when {@code ‖g‖ > maxNorm} (and the norm is
   * finite); returns the norm before scaling.
   */
  public static double clipByNorm(float[] grads, double maxNorm) {
    double norm = l2Norm(grads);
    if (norm > maxNorm && Double.isFinite(norm)) {
      float scale = (float) (maxNorm / norm);
      for (int i = 0; i < grads.length; i++) {
        grads[i] *= scale;
      }
    }
    return norm;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clip_value", clipValue);
    m.put("clip_norm", clipNorm);
    return m;
  }

  /** Reads {@code clip_value} and {@code clip_norm} (both default 0 = off); other keys are rejected. */
  public static GradientClipping read(ConfigMap m) {
    try {
      double clipValue = m.number("clip_value", 0);
      double clipNorm = m.number("clip_norm", 0);
      m.finish();
      return new GradientClipping(clipValue, clipNorm);
    } catch (IllegalArgumentException e) {
      throw HyperParameters.under(m, e);
    }
  }
}
