package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.GruConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.layer.LstmConfig;
import dev.dendrite.core.layer.SimpleRnnConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncated backpropagation through time against a brute-force reference. The definition under test
 * (see {@code RecurrentLayer}): with {@code truncate = k}, the gradient arriving at output position s flows
 * back through steps {@code max(0, s-k+1) .. s} only, i.e. the layer returns the exact gradient of
 * {@code J = Σ_s dY_s · h_s} in which the state entering each output's window ({@code h_{s-k}}, and
 * {@code c_{s-k}} for the LSTM) is a constant. The reference below computes that J directly: a
 * double-precision re-implementation of each cell runs every window from its frozen state, and central
 * differences of J give dθ and dX. With k ≥ T the layer's gradient is bit-identical to full BPTT.
 */
class TruncatedBpttTest {

  private static final int BATCH = 2;
  private static final int T = 6;
  private static final int F = 2;
  private static final int U = 3;

  private static LayerConfig config(String type, boolean sequences, int truncate) {
    String bias = "uniform(0.5)";
    return switch (type) {
      case "simple_rnn" -> SimpleRnnConfig.of(U, sequences).withTruncate(truncate)
          .withInit("he_uniform", "orthogonal(1.2)", bias);
      case "lstm" -> LstmConfig.of(U, sequences).withTruncate(truncate)
          .withInit("he_uniform", "orthogonal(1.2)", bias, true);
      case "gru" -> GruConfig.of(U, sequences).withTruncate(truncate).withInit("he_uniform", "orthogonal(1.2)", bias);
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static int gates(String type) {
    return switch (type) {
      case "simple_rnn" -> 1;
      case "lstm" -> 4;
      default -> 3;
    };
  }

  /** The layer's gradient for output gradient dY: {θ-gradient, dX}. */
  private static float[][] layerGradient(Network net, float[] x, float[] dY) {
    Layer layer = net.layers().get(0);
    net.ensureCapacity(BATCH);
    float[] y = new float[BATCH * layer.outputShape().size()];
    float[] dX = new float[x.length];
    layer.forward(x, 0, y, BATCH, true, null);
    Arrays.fill(net.gradientArray(), 0f);
    layer.backward(x, 0, y, dY.clone(), dX, BATCH);
    return new float[][] {net.gradientArray().clone(), dX};
  }

  @ParameterizedTest
  @CsvSource({
      "simple_rnn, true, 1", "simple_rnn, true, 2", "simple_rnn, true, 4", "simple_rnn, false, 3",
      "lstm, true, 1", "lstm, true, 2", "lstm, true, 4", "lstm, false, 3",
      "gru, true, 1", "gru, true, 2", "gru, true, 4", "gru, false, 3",
      "lstm, true, 6", "gru, false, 6"})
  void truncatedGradientEqualsTheBruteForceReference(String type, boolean sequences, int k) {
    Network net = new Network(new NetworkConfig(new int[] {T, F},
        List.of(config(type, sequences, k))), new EjmlGemm()).initialize(17);
    float[] x = uniform(41, BATCH * T * F, -1.5, 1.5);
    float[] dY = uniform(42, BATCH * net.outputSize(), -1, 1);
    float[][] analytic = layerGradient(net, x, dY);

    Reference ref = new Reference(type, gates(type), net.parameterArray(), x, sequences);
    double[][] truncated = ref.gradient(dY, k);
    assertClose(truncated[0], analytic[0], type + " k=" + k + " dθ");
    assertClose(truncated[1], analytic[1], type + " k=" + k + " dX");

    if (k < T) {
      // the truncation matters here: the full gradient is measurably different
      double[][] full = ref.gradient(dY, T);
      assertTrue(maxDiff(full[0], truncated[0]) > 1e-2, "truncation changed nothing for " + type);
      assertTrue(maxDiff(full[1], truncated[1]) > 1e-2, "truncation changed no dX for " + type);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void truncationAtLeastTheSequenceLengthIsFullBackpropagation(String type) {
    float[] x = uniform(43, BATCH * T * F, -1, 1);
    for (boolean sequences : new boolean[] {false, true}) {
      float[] targets = uniform(44, BATCH * (sequences ? T * U : U), -1, 1);
      float[][] grads = new float[4][];
      int[] truncations = {0, T, T + 5, T - 1};
      for (int i = 0; i < truncations.length; i++) {
        Network net = new Network(new NetworkConfig(new int[] {T, F},
            List.of(config(type, sequences, truncations[i]))), new EjmlGemm()).initialize(5);
        net.computeGradients(x, 0, targets, 0, null, 0, BATCH, new MeanSquaredError(), 1f, null);
        grads[i] = net.gradientArray().clone();
      }
      assertArrayEquals(grads[0], grads[1], type + ": truncate = T must be full BPTT");
      assertArrayEquals(grads[0], grads[2], type + ": truncate > T must be full BPTT");
      assertTrue(maxDiff(grads[0], grads[3]) > 1e-6, type + ": truncate = T-1 must differ from full BPTT");
    }
  }

  private static void assertClose(double[] reference, float[] actual, String what) {
    for (int i = 0; i < reference.length; i++) {
      double tol = 2e-5 + 2e-4 * Math.abs(reference[i]);
      assertTrue(Math.abs(reference[i] - actual[i]) <= tol, what + "[" + i + "]: reference " + reference[i]
          + ", layer " + actual[i]);
    }
  }

  private static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /**
   * The cells in double, written from their equations (not from the layers' code), and J of the truncated
   * windows. Parameters in the layer's layout: W [G·u, F], U [G·u, u], b [G·u], and for the GRU bh [G·u].
   */
  private static final class Reference {
    private final String type;
    private final int g;
    private final double[] theta;
    private final double[] x;
    private final boolean sequences;
    private final double[][][] frozenH; // [batch][t][u] states of the unperturbed full run
    private final double[][][] frozenC;

    Reference(String type, int gates, float[] params, float[] x, boolean sequences) {
      this.type = type;
      this.g = gates;
      this.theta = new double[params.length];
      for (int i = 0; i < params.length; i++) {
        theta[i] = params[i];
      }
      this.x = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        this.x[i] = x[i];
      }
      this.sequences = sequences;
      frozenH = new double[BATCH][T][];
      frozenC = new double[BATCH][T][];
      for (int r = 0; r < BATCH; r++) {
        double[] h = new double[U];
        double[] c = new double[U];
        for (int t = 0; t < T; t++) {
          double[][] next = step(theta, this.x, r, t, h, c);
          h = next[0];
          c = next[1];
          frozenH[r][t] = h;
          frozenC[r][t] = c;
        }
      }
    }

    /** J = Σ_r Σ_s dY_{r,s} · h_{r,s}, each h_s computed from its window's frozen entering state. */
    double objective(double[] p, double[] xs, float[] dY, int k) {
      double j = 0;
      for (int r = 0; r < BATCH; r++) {
        for (int s = sequences ? 0 : T - 1; s < T; s++) {
          int lo = Math.max(0, s - k + 1);
          double[] h = lo == 0 ? new double[U] : frozenH[r][lo - 1];
          double[] c = lo == 0 ? new double[U] : frozenC[r][lo - 1];
          for (int t = lo; t <= s; t++) {
            double[][] next = step(p, xs, r, t, h, c);
            h = next[0];
            c = next[1];
          }
          int off = sequences ? (r * T + s) * U : r * U;
          for (int i = 0; i < U; i++) {
            j += dY[off + i] * h[i];
          }
        }
      }
      return j;
    }

    /** {dθ, dX} of J by central differences (double, step 1e-6). */
    double[][] gradient(float[] dY, int k) {
      double eps = 1e-6;
      double[] dTheta = new double[theta.length];
      for (int i = 0; i < theta.length; i++) {
        double[] p = theta.clone();
        p[i] += eps;
        double plus = objective(p, x, dY, k);
        p[i] -= 2 * eps;
        dTheta[i] = (plus - objective(p, x, dY, k)) / (2 * eps);
      }
      double[] dX = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        double[] xs = x.clone();
        xs[i] += eps;
        double plus = objective(theta, xs, dY, k);
        xs[i] -= 2 * eps;
        dX[i] = (plus - objective(theta, xs, dY, k)) / (2 * eps);
      }
      return new double[][] {dTheta, dX};
    }

    /** One step of the cell for example r at time t: returns {h_t, c_t} (c unused but for the LSTM). */
    double[][] step(double[] p, double[] xs, int r, int t, double[] hPrev, double[] cPrev) {
      int gu = g * U;
      int w = 0;
      int uo = gu * F;
      int b = uo + gu * U;
      int bh = b + gu;
      double[] gx = new double[gu]; // W x_t + b
      double[] gh = new double[gu]; // U h_{t-1} (+ bh for the GRU)
      for (int row = 0; row < gu; row++) {
        double sx = p[b + row];
        for (int f = 0; f < F; f++) {
          sx += p[w + row * F + f] * xs[(r * T + t) * F + f];
        }
        double sh = type.equals("gru") ? p[bh + row] : 0;
        for (int j = 0; j < U; j++) {
          sh += p[uo + row * U + j] * hPrev[j];
        }
        gx[row] = sx;
        gh[row] = sh;
      }
      double[] h = new double[U];
      double[] c = new double[U];
      for (int j = 0; j < U; j++) {
        switch (type) {
          case "simple_rnn" -> h[j] = Math.tanh(gx[j] + gh[j]);
          case "lstm" -> {
            double i = sigma(gx[j] + gh[j]);
            double fg = sigma(gx[U + j] + gh[U + j]);
            double gg = Math.tanh(gx[2 * U + j] + gh[2 * U + j]);
            double o = sigma(gx[3 * U + j] + gh[3 * U + j]);
            c[j] = fg * cPrev[j] + i * gg;
            h[j] = o * Math.tanh(c[j]);
          }
          default -> {
            double rr = sigma(gx[j] + gh[j]);
            double z = sigma(gx[U + j] + gh[U + j]);
            double n = Math.tanh(gx[2 * U + j] + rr * gh[2 * U + j]);
            h[j] = (1 - z) * n + z * hPrev[j];
          }
        }
      }
      return new double[][] {h, c};
    }

    private static double sigma(double z) {
      return 1 / (1 + Math.exp(-z));
    }
  }
}
