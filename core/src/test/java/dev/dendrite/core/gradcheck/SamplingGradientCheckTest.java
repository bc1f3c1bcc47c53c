package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.SamplingConfig;
import dev.dendrite.core.layer.SamplingLayer;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.SumSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The variational autoencoder's sampling layer passes the gradient check with ε held fixed (the check
 * re-seeds the generator before every forward pass, so every evaluation draws the same ε): the gradient
 * reaches μ and log σ² through z = μ + σ·ε, and through β·KL, which the network adds to the loss.
 */
class SamplingGradientCheckTest {

  private static final int BATCH = 5;
  private static final float[] X = uniform(51, BATCH * 4, -1, 1);
  private static final float[] T = uniform(52, BATCH * 4, 0, 1);

  private static DenseConfig dense(int units, String activation) {
    return new DenseConfig(units, activation, "glorot_uniform", "uniform(0.1)", 0, 0);
  }

  /** encoder 4 → 6 (tanh) → [μ, log σ²] of 2 × 3; sampling; decoder 3 → 5 (tanh) → 4 (sigmoid). */
  private static Network vae(double beta, long seed) {
    return Network.builder(4).add(dense(6, "tanh")).add(dense(6, "identity")).add(new SamplingConfig(beta))
        .add(dense(5, "tanh")).add(dense(4, "sigmoid")).gemm(new EjmlGemm()).seed(seed).build();
  }

  @Test
  void reconstructionAndKlGradientsWithTheNoiseHeldFixed() {
    GradientCheck.Result r = new GradientCheck(vae(1.0, 3), new SumSquaredError()).batch(X, T, null, BATCH).run()
        .assertPassed();
    assertTrue(r.loss() > 0, "loss " + r.loss());
  }

  @Test
  void aBetaWeightedTermWithExampleWeightsAndMse() {
    float[] weights = {1f, 0.5f, 2f, 0f, 1.5f};
    new GradientCheck(vae(0.25, 4), new MeanSquaredError()).batch(X, T, weights, BATCH).run().assertPassed();
  }

  @Test
  void aLargeBetaLetsTheKlGradientDominateTheEncoder() {
    // a large β makes the KL's gradient dominate the encoder's: a wrong ∂KL/∂μ or ∂KL/∂v cannot hide
    new GradientCheck(vae(20.0, 5), new SumSquaredError()).batch(X, T, null, BATCH).run().assertPassed();
  }

  @Test
  void theNoiseReallyEntersTheGradient() {
    Network a = vae(1.0, 6);
    Network b = vae(1.0, 6);
    a.computeGradients(X, 0, T, 0, null, 0, BATCH, new SumSquaredError(), 1f / BATCH, new Rng(1));
    b.computeGradients(X, 0, T, 0, null, 0, BATCH, new SumSquaredError(), 1f / BATCH, new Rng(2));
    assertFalse(Arrays.equals(a.gradientArray(), b.gradientArray()), "another ε, another gradient");
    float[] eps = ((SamplingLayer) a.layers().get(2)).noise();
    assertTrue(eps[0] != 0f && eps[1] != eps[0], "ε drawn: " + eps[0] + ", " + eps[1]);
  }
}
