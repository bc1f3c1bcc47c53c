package dev.dendrite.core.loss;

/**
 * Categorical cross-entropy with one-hot (or probability) targets: {@code ℓ = -Σ_j t_j ln p_j}, p clipped
 * below at 1e-7. Behind softmax the fused gradient is {@code dZ = p (Σ_j t_j) - t}, i.e. {@code p - t}.
 */
public final class CategoricalCrossEntropy extends DistributionLoss {

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  /** {@code -t ln p}, 0 where the target is 0. */
  @Override
  double term(float t, float p) {
    return t != 0f ? -(t * Math.log(p)) : 0;
  }
}
