package dev.dendrite.core.loss;

/** Losses by name, as written in configs and model files (see {@link LossKind} for the names). */
public final class Losses {

  private Losses() {
  }

  /**
   * Parses {@code mse}, {@code sse}, {@code mae}, {@code msle}, {@code binary_crossentropy},
   * {@code binary_crossentropy_logits}, {@code hinge}, {@code squared_hinge}, {@code perceptron}, {@code adaline},
   * {@code categorical_crossentropy}, {@code sparse_categorical_crossentropy}, {@code kl_divergence},
   * {@code gaussian_nll}.
   */
  public static Loss parse(String name) {
    return LossKind.parse(name).create();
  }
}
