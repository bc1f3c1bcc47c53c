package dev.dendrite.core.gradcheck;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.ParameterTensor;
import dev.dendrite.core.random.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compares {@link Network#computeGradients} (scale = 1/batch) with finite differences of the network's
 * own loss, parameter by parameter, in the flat float parameter vector.
 *
 * <p>Numerics. The derivative of the mean loss is the fourth-order central stencil
 * {@code D = [8 (L(θ+h) - L(θ-h)) - (L(θ+2h) - L(θ-2h))] / (12 h · batch)}, L the batch's loss sum
 * (accumulated in double by the loss), with {@code h = 1e-2}. Its truncation error is {@code O(h⁴)},
 * about 1e-9 here; what limits it is float32 rounding in the forward pass, which makes L noisy by a
 * few 1e-7 and D by ≈ 1e-5 absolute (measured over smooth 3-layer nets: 6e-6 to 3e-5 at h = 1e-2, twice
 * that at h = 5e-3, while h ≥ 4e-2 starts to feel curvature and needs kinks four times further away).
 * The float step {@code fl(θ ± h) - θ} differs from h by at most {@code ulp(θ)/2}, a relative 3e-6 for
 * {@code |θ| ≤ 1}: negligible.
 *
 * <p>A component passes when {@code |analytic - numeric| / max(|analytic|, |numeric|, FLOOR) ≤ TOLERANCE},
 * with {@code TOLERANCE = 3e-3} and {@code FLOOR = 2e-2}. Correct code therefore has to be within
 * {@code 6e-5} absolute (twice the worst noise measured) or 0.3 % relative — across the whole suite the
 * worst relative error of correct code is 3.2e-4, ten times below — while a derivative that is 1 % off
 * shows a relative error of ≈ 1e-2 on every component of magnitude ≥ FLOOR — three times the tolerance
 * even after subtracting the noise (≤ 1e-3 relative there) — and still fails down to ≈ 0.4·FLOOR. The
 * meta-tests prove it with a derivative and a loss gradient scaled by 1.01. {@link Result#assertPassed}
 * also requires a quarter of the components to be at least FLOOR, so a check cannot pass vacuously.
 *
 * <p>Determinism. An identical {@link Rng} is re-seeded with the dropout seed before every forward, so
 * dropout masks are the same in every evaluation. Kinks (ReLU at 0, hinge at margin 1, a maxout tie)
 * break finite differences: callers choose points away from them and pass a {@link Regime} (e.g. the
 * sign pattern of the pre-activations); every perturbed evaluation must be in the same regime as the
 * unperturbed one, else the result reports the crossing and fails.
 */
public final class GradientCheck {

  /** The finite-difference step h (the stencil also uses 2h). */
  public static final double STEP = 1e-2;
  /** The largest allowed relative error. */
  public static final double TOLERANCE = 3e-3;
  /** Derivatives smaller than this are compared as if they had this magnitude (an absolute floor). */
  public static final double FLOOR = 2e-2;

  /** Which smooth piece of a piecewise function the network is on after a forward pass. */
  @FunctionalInterface
  public interface Regime {
    /** A value that {@code equals} another iff both evaluations are on the same piece. */
    Object of(Network network, float[] output);
  }

  /** One parameter's comparison. */
  public record Entry(int index, String tensor, double analytic, double numeric, double error) {
    @Override
    public String toString() {
      return String.format("%s[%d]: analytic %.7g, numeric %.7g, relative error %.3g", tensor, index,
          analytic, numeric, error);
    }
  }

  private final Network network;
  private final Loss loss;
  private float[] x;
  private float[] targets;
  private float[] weights;
  private int batch;
  private long dropoutSeed = 0x5EED;
  private Regime regime;
  private double step = STEP;
  private double tolerance = TOLERANCE;
  private double floor = FLOOR;

  public GradientCheck(Network network, Loss loss) {
    this.network = Objects.requireNonNull(network);
    this.loss = Objects.requireNonNull(loss);
  }

  /** The batch: {@code x [batch, in]}, {@code targets [batch, targetWidth]}, weights per example or null. */
  public GradientCheck batch(float[] x, float[] targets, float[] weights, int batch) {
    this.x = x;
    this.targets = targets;
    this.weights = weights;
    this.batch = batch;
    return this;
  }

  /** The seed the dropout generator is reset to before every forward pass. */
  public GradientCheck dropoutSeed(long seed) {
    this.dropoutSeed = seed;
    return this;
  }

  /** Requires every evaluation to stay on the same smooth piece as the unperturbed one. */
  public GradientCheck regime(Regime regime) {
    this.regime = regime;
    return this;
  }

  /** Overrides h, the tolerance and the floor (for experiments; the defaults are the tested ones). */
  public GradientCheck numerics(double step, double tolerance, double floor) {
    this.step = step;
    this.tolerance = tolerance;
    this.floor = floor;
    return this;
  }

  /** Checks every parameter; restores the parameters afterwards. */
  public Result run() {
    if (x == null) {
      throw new IllegalStateException("call batch(...) first");
    }
    Rng rng = new Rng(0);
    float scale = 1f / batch;
    double baseLoss = network.computeGradients(x, 0, targets, 0, weights, 0, batch, loss, scale,
        rng.reseed(dropoutSeed));
    float[] analytic = network.gradientArray().clone();
    Object baseRegime = regime == null ? null : regimeAt(rng);

    float[] p = network.parameterArray();
    List<Entry> entries = new ArrayList<>(p.length);
    List<String> crossings = new ArrayList<>();
    List<ParameterTensor> tensors = network.layout().tensors();
    int t = 0;
    for (int i = 0; i < p.length; i++) {
      while (i >= tensors.get(t).end()) {
        t++;
      }
      if (!tensors.get(t).trainable()) {
        continue; // running statistics: their slots carry updates, not derivatives
      }
      String tensor = tensors.get(t).name();
      float original = p[i];
      double[] losses = new double[4];
      double[] offsets = {step, -step, 2 * step, -2 * step};
      for (int s = 0; s < 4; s++) {
        p[i] = (float) (original + offsets[s]);
        losses[s] = evaluate(rng);
        if (regime != null && !baseRegime.equals(regimeAt(rng))) {
          crossings.add(tensor + "[" + (i - tensors.get(t).offset()) + "] moved by " + offsets[s]
              + " crosses a kink (the regime changed)");
        }
      }
      p[i] = original;
      double numeric = (8 * (losses[0] - losses[1]) - (losses[2] - losses[3])) / (12 * step) / batch;
      double a = analytic[i];
      double error = Math.abs(a - numeric) / Math.max(floor, Math.max(Math.abs(a), Math.abs(numeric)));
      entries.add(new Entry(i - tensors.get(t).offset(), tensor, a, numeric, error));
    }
    // leave the network as we found it: the gradient of the unperturbed point
    network.computeGradients(x, 0, targets, 0, weights, 0, batch, loss, scale, rng.reseed(dropoutSeed));
    Result result = new Result(entries, crossings, baseLoss, tolerance, floor);
    if (Boolean.getBoolean("dendrite.gradcheck.verbose")) {
      System.out.println(network + ", " + loss.name() + ": " + result.report());
    }
    return result;
  }

  private double evaluate(Rng rng) {
    return network.computeGradients(x, 0, targets, 0, weights, 0, batch, loss, 1f, rng.reseed(dropoutSeed));
  }

  private Object regimeAt(Rng rng) {
    float[] out = network.forward(x, 0, batch, true, rng.reseed(dropoutSeed));
    return regime.of(network, out);
  }

  /** The outcome: one entry per parameter, and any kink crossings. */
  public static final class Result {
    private final List<Entry> entries;
    private final List<String> crossings;
    private final double loss;
    private final double tolerance;
    private final double floor;

    Result(List<Entry> entries, List<String> crossings, double loss, double tolerance, double floor) {
      this.entries = List.copyOf(entries);
      this.crossings = List.copyOf(crossings);
      this.loss = loss;
      this.tolerance = tolerance;
      this.floor = floor;
    }

    public List<Entry> entries() {
      return entries;
    }

    /** The summed loss of the unperturbed batch. */
    public double loss() {
      return loss;
    }

    /** Components whose relative error exceeds the tolerance. */
    public List<Entry> failures() {
      return entries.stream().filter(e -> !(e.error() <= tolerance)).toList();
    }

    /** Perturbations that changed the regime: the finite differences there are not meaningful. */
    public List<String> kinkCrossings() {
      return crossings;
    }

    public boolean passed() {
      return failures().isEmpty() && crossings.isEmpty();
    }

    /** The entry with the largest relative error. */
    public Entry worst() {
      Entry w = entries.get(0);
      for (Entry e : entries) {
        if (!(e.error() <= w.error())) {
          w = e;
        }
      }
      return w;
    }

    /** How many components are at least FLOOR in magnitude, i.e. checked to a relative tolerance. */
    public int relativelyChecked() {
      return (int) entries.stream().filter(e -> Math.abs(e.analytic()) >= floor).count();
    }

    /**
     * Throws an AssertionError listing the failures and crossings unless the check passed and at least
     * a quarter of the components were large enough to be checked to the relative tolerance.
     */
    public Result assertPassed() {
      return assertPassed(Math.max(1, entries.size() / 4));
    }

    /** As {@link #assertPassed()}, with the least number of components at least FLOOR in magnitude. */
    public Result assertPassed(int minRelativelyChecked) {
      if (!passed()) {
        throw new AssertionError(report());
      }
      if (relativelyChecked() < minRelativelyChecked) {
        throw new AssertionError("only " + relativelyChecked() + " of " + entries.size() + " derivatives are "
            + "at least " + floor + " in magnitude, fewer than " + minRelativelyChecked
            + ": the check would not notice a 1 % error\n" + report());
      }
      return this;
    }

    public String report() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("gradient check: %d parameters, %d at least %.0e in magnitude, %d failing "
              + "(tolerance %.1e), %d kink crossings; worst: %s", entries.size(), relativelyChecked(), floor,
          failures().size(), tolerance, crossings.size(), worst()));
      failures().stream().limit(20).forEach(e -> sb.append("\n  ").append(e));
      crossings.stream().limit(20).forEach(c -> sb.append("\n  ").append(c));
      return sb.toString();
    }

    @Override
    public String toString() {
      return report();
    }
  }
}
