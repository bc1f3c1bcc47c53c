package dev.dendrite.core.loss;

import java.util.Locale;

/** Losses by name, as written in configs and model files. */
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
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "mse":
      case "mean_squared_error":
        return new MeanSquaredError();
      case "sse":
      case "sum_squared_error":
        return new SumSquaredError();
      case "mae":
      case "mean_absolute_error":
        return new MeanAbsoluteError();
      case "msle":
      case "mean_squared_logarithmic_error":
        return new MeanSquaredLogarithmicError();
      case "binary_crossentropy":
      case "bce":
        return new BinaryCrossEntropy();
      case "binary_crossentropy_logits":
        return new BinaryCrossEntropyWithLogits();
      case "hinge":
        return new Hinge(false);
      case "squared_hinge":
        return new Hinge(true);
      case "perceptron":
        return new PerceptronCriterion();
      case "adaline":
        return new AdalineCriterion();
      case "categorical_crossentropy":
        return new CategoricalCrossEntropy();
      case "sparse_categorical_crossentropy":
        return new SparseCategoricalCrossEntropy();
      case "kl_divergence":
      case "kld":
        return new KullbackLeibler();
      case "gaussian_nll":
        return new GaussianNegativeLogLikelihood();
      default:
        throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of mse, sse, mae, msle, "
            + "binary_crossentropy, binary_crossentropy_logits, hinge, squared_hinge, perceptron, adaline, "
            + "categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence, gaussian_nll");
    }
  }
}
