package dev.dendrite.core.gradcheck;

import static org.junit.jupiter.api.Assertions.fail;

import dev.dendrite.core.layer.ActivatedLayer;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.MaxoutLayer;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/** Data, kink margins and regimes shared by the gradient-check tests. */
final class CheckSupport {

  /** The dropout seed {@link GradientCheck} uses unless told otherwise. */
  static final long DROPOUT_SEED = 0x5EED;

  /**
   * The smallest distance to a kink we accept at the unperturbed point: four times the largest step
   * (2h), so a single parameter moved by 2h cannot reach a kink unless the pre-activation's sensitivity
   * to it exceeds 2 (the regime check catches that case anyway).
   */
  static final double MARGIN = 4 * 2 * GradientCheck.STEP;

  private CheckSupport() {
  }

  /** {@code n} values uniform in {@code [lo, hi)} from a seed. */
  static float[] uniform(long seed, int n, double lo, double hi) {
    Rng rng = new Rng(Rng.mix(seed, 0xDA7A));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
    }
    return v;
  }

  /** The training-mode forward the check does (same dropout mask); returns the output. */
  static float[] forward(Network net, float[] x, int batch) {
    return net.forward(x, 0, batch, true, new Rng(0).reseed(DROPOUT_SEED));
  }

  /**
   * The first network {@code build(seed)}, seed = 1, 2, ..., whose margin (after a forward on x) is at
   * least {@link #MARGIN}; fails if none of 1000 seeds gives one.
   */
  static Network withMargin(LongFunction<Network> build, float[] x, int batch,
                            ToDoubleFunction<Network> margin) {
    for (long seed = 1; seed <= 1000; seed++) {
      Network net = build.apply(seed);
      forward(net, x, batch);
      if (margin.applyAsDouble(net) >= MARGIN) {
        return net;
      }
    }
    fail("no seed in 1..1000 keeps every kink at least " + MARGIN + " away");
    return null;
  }

  /** The smallest |z| over the pre-activations of the given (activated) layers after the last forward. */
  static double minAbsPreActivation(Network net, int... layers) {
    double min = Double.POSITIVE_INFINITY;
    for (int i : layers) {
      for (float z : preActivation(net, i)) {
        min = Math.min(min, Math.abs(z));
      }
    }
    return min;
  }

  /** The sign pattern ({@code z > 0}) of the given layers' pre-activations. */
  static GradientCheck.Regime signs(int... layers) {
    return (net, out) -> {
      List<String> patterns = new ArrayList<>();
      for (int i : layers) {
        StringBuilder sb = new StringBuilder();
        for (float z : preActivation(net, i)) {
          sb.append(z > 0f ? '+' : '-');
        }
        patterns.add(sb.toString());
      }
      return patterns;
    };
  }

  /** The winning pieces of a maxout layer. */
  static GradientCheck.Regime argmax(int layer) {
    return (net, out) -> Arrays.toString(((MaxoutLayer) net.layers().get(layer)).argmax());
  }

  /** The smallest gap between the best and the second-best piece of any maxout unit. */
  static double maxoutGap(Network net, int layer, int batch) {
    MaxoutLayer maxout = (MaxoutLayer) net.layers().get(layer);
    int units = maxout.outputShape().size();
    int pieces = ((dev.dendrite.core.layer.MaxoutConfig) maxout.config()).pieces();
    float[] z = maxout.preActivation();
    double min = Double.POSITIVE_INFINITY;
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < units; j++) {
        int base = (r * units + j) * pieces;
        float best = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < pieces; p++) {
          float v = z[base + p];
          if (v > best) {
            second = best;
            best = v;
          } else if (v > second) {
            second = v;
          }
        }
        min = Math.min(min, best - second);
      }
    }
    return min;
  }

  /** Both regimes must hold. */
  static GradientCheck.Regime both(GradientCheck.Regime a, GradientCheck.Regime b) {
    return (net, out) -> List.of(a.of(net, out), b.of(net, out));
  }

  private static float[] preActivation(Network net, int layer) {
    Layer l = net.layers().get(layer);
    if (l instanceof ActivatedLayer) {
      return ((ActivatedLayer) l).preActivation();
    }
    if (l instanceof MaxoutLayer) {
      return ((MaxoutLayer) l).preActivation();
    }
    throw new IllegalArgumentException("layer " + layer + " (" + l.name() + ") has no pre-activation");
  }
}
