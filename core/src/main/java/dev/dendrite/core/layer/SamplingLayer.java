package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The reparameterization of a variational autoencoder. Each input row is the encoder's output
 * {@code [μ_1..μ_k, v_1..v_k]} with {@code v = log σ²} (one dense layer of width 2k with identity
 * activation writes it: μ first, log-variance second); each output row is the code z of width k.
 *
 * <p>Training: {@code z = μ + σ ⊙ ε}, {@code σ = exp(v / 2)}, {@code ε ~ N(0, I)} drawn from the caller's
 * seeded generator, so a retried step draws the same ε and the gradient flows to μ and σ through z:
 * {@code ∂z/∂μ = 1}, {@code ∂z/∂v = ε σ / 2}. Inference (predict, evaluate, validation): {@code z = μ},
 * deterministic — the code of the mean, and reconstructions that do not change from one call to the next.
 *
 * <p>Loss term: the KL divergence of the posterior from the prior, in closed form per example,
 * {@code KL = ½ Σ_j (μ_j² + σ_j² − 1 − v_j)}, with {@code ∂KL/∂μ = μ} and {@code ∂KL/∂v = (σ² − 1) / 2};
 * the network adds {@code β · KL} to the loss of every batch ({@link LossTermLayer}), in training and in
 * inference alike, so training and validation losses are the same objective.
 */
public final class SamplingLayer implements LossTermLayer {

  private final String name;
  private final SamplingConfig config;
  private final Shape input;
  private final Shape output;
  private final int k;
  private float[] eps = new float[0];   // [batch, k] the noise of the last training forward
  private float[] kl = new float[0];    // [batch] per-example KL of the last forward
  private boolean sampled;
  private float termScale;              // scale · β for the next backward, 0 for none
  private float[] termWeights;          // example weights for the next backward, or null
  private int termWeightOffset;

  SamplingLayer(String name, SamplingConfig config, Shape input) {
    if (input.rank() != 1 || input.size() % 2 != 0) {
      throw new IllegalArgumentException("a sampling layer takes [μ, log σ²] rows of even width 2k, got input "
          + input + " (put a dense layer of 2k units with identity activation before it)");
    }
    this.name = name;
    this.config = config;
    this.input = input;
    this.k = input.size() / 2;
    this.output = Shape.of(k);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return input;
  }

  @Override
  public Shape outputShape() {
    return output;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
  }

  @Override
  public void allocate(int maxBatch) {
    if (eps.length < maxBatch * k) {
      eps = new float[maxBatch * k];
      kl = new float[maxBatch];
    }
  }

  /** The noise ε of the last training forward, {@code [batch, k]}: for tests. */
  public float[] noise() {
    return eps;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    sampled = training;
    termScale = 0f;
    if (training && rng == null) {
      throw new IllegalArgumentException(name + ": sampling in training needs a random generator");
    }
    for (int r = 0; r < batch; r++) {
      int in = xOffset + r * 2 * k;   // μ at [in, in + k), log σ² at [in + k, in + 2k)
      int out = r * k;
      double sum = 0;
      for (int j = 0; j < k; j++) {
        float mu = x[in + j];
        float logVar = x[in + k + j];
        float variance = (float) Math.exp(logVar);
        sum += (double) mu * mu + variance - 1.0 - logVar;
        if (training) {
          float e = (float) rng.nextGaussian();
          eps[out + j] = e;
          y[out + j] = mu + (float) Math.exp(0.5 * logVar) * e;
        } else {
          y[out + j] = mu;
        }
      }
      kl[r] = (float) (0.5 * sum);
    }
  }

  /** The per-example KL divergences of the last forward, {@code [batch]}: for tests and metrics. */
  public float[] divergences() {
    return kl;
  }

  @Override
  public String termName() {
    return "kl";
  }

  @Override
  public double termWeight() {
    return config.beta();
  }

  @Override
  public double term(float[] weights, int wOffset, int batch, float scale) {
    double sum = 0;
    for (int r = 0; r < batch; r++) {
      sum += (weights == null ? 1.0 : weights[wOffset + r]) * kl[r];
    }
    termScale = scale * (float) config.beta();
    termWeights = weights;
    termWeightOffset = wOffset;
    return sum;
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (dX == null) {
      return; // nothing below to train: the term's gradient has no parameter of this layer to reach
    }
    for (int r = 0; r < batch; r++) {
      int in = xOffset + r * 2 * k;
      int d = r * 2 * k;
      int out = r * k;
      float c = termWeights == null ? termScale : termScale * termWeights[termWeightOffset + r];
      for (int j = 0; j < k; j++) {
        float mu = x[in + j];
        float logVar = x[in + k + j];
        float dz = dY[out + j];
        float dMu = dz;                                   // ∂z/∂μ = 1
        float dLogVar = sampled ? 0.5f * dz * eps[out + j] * (float) Math.exp(0.5 * logVar) : 0f; // ∂z/∂v = εσ/2
        if (c != 0f) {
          dMu += c * mu;                                  // ∂KL/∂μ = μ
          dLogVar += c * 0.5f * ((float) Math.exp(logVar) - 1f); // ∂KL/∂v = (σ² − 1)/2
        }
        dX[d + j] = dMu;
        dX[d + k + j] = dLogVar;
      }
    }
  }
}
