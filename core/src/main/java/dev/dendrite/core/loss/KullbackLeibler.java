package dev.dendrite.core.loss;

/**
 * KL divergence of the prediction from the target distribution: {@code ℓ = Σ_j t_j ln(t_j / p_j)}
 * (terms with {@code t_j = 0} are 0; p clipped below at 1e-7). It differs from cross-entropy by the
 * target's entropy, a constant, so behind softmax the fused gradient is the same {@code p Σt - t}.
 */
public final class KullbackLeibler extends DistributionLoss {

  @Override
  public String name() {
    return "kl_divergence";
  }

  /** {@code t ln(t / p)}, 0 where the target is 0. */
  @Override
  double term(float t, float p) {
    return t > 0f ? t * (Math.log(t) - Math.log(p)) : 0;
  }
}
