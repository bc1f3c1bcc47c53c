package dev.dendrite.core.loss;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The losses a config or model file can name, parsed once where the name is read: each kind knows its
 * spellings (the first is the one written back), how to create the loss and which {@link Task} it implies.
 */
public enum LossKind {
  MSE(MeanSquaredError::new, "mse", "mean_squared_error"),
  SSE(SumSquaredError::new, "sse", "sum_squared_error"),
  MAE(MeanAbsoluteError::new, "mae", "mean_absolute_error"),
  MSLE(MeanSquaredLogarithmicError::new, "msle", "mean_squared_logarithmic_error"),
  BINARY_CROSSENTROPY(BinaryCrossEntropy::new, "binary_crossentropy", "bce"),
  BINARY_CROSSENTROPY_LOGITS(BinaryCrossEntropyWithLogits::new, "binary_crossentropy_logits"),
  HINGE(() -> new Hinge(false), "hinge"),
  SQUARED_HINGE(() -> new Hinge(true), "squared_hinge"),
  PERCEPTRON(PerceptronCriterion::new, "perceptron"),
  ADALINE(AdalineCriterion::new, "adaline"),
  CATEGORICAL_CROSSENTROPY(CategoricalCrossEntropy::new, "categorical_crossentropy"),
  SPARSE_CATEGORICAL_CROSSENTROPY(SparseCategoricalCrossEntropy::new, "sparse_categorical_crossentropy"),
  KL_DIVERGENCE(KullbackLeibler::new, "kl_divergence", "kld"),
  GAUSSIAN_NLL(GaussianNegativeLogLikelihood::new, "gaussian_nll");

  private final Supplier<Loss> factory;
  private final List<String> spellings;

  LossKind(Supplier<Loss> factory, String... spellings) {
    this.factory = factory;
    this.spellings = List.of(spellings);
  }

  /**
   * The kind named {@code name} (any spelling, case and surrounding blanks ignored); fails listing the
   * accepted names.
   */
  public static LossKind parse(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("unknown loss '" + name + "'; expected one "
        + "of mse, sse, mae, msle, binary_crossentropy, binary_crossentropy_logits, hinge, squared_hinge, perceptron, "
        + "adaline, categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence, gaussian_nll"));
  }

  /** The kind named {@code name}, or empty when no loss has that name. */
  public static Optional<LossKind> find(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (LossKind k : values()) {
      if (k.spellings.contains(key)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The name written in configs and model files, e.g. {@code mse}. */
  public String key() {
    return spellings.get(0);
  }

  /** A new loss of this kind. */
  public Loss create() {
    return factory.get();
  }

  /** What a network's outputs mean under this loss: see {@link Task}. */
  public Task task(int outputs) {
    switch (this) {
      case SPARSE_CATEGORICAL_CROSSENTROPY:
      case CATEGORICAL_CROSSENTROPY:
      case KL_DIVERGENCE:
        return Task.MULTICLASS;
      case BINARY_CROSSENTROPY:
        return outputs == 1 ? Task.BINARY_PROBABILITY : Task.MULTILABEL;
      case BINARY_CROSSENTROPY_LOGITS:
      case HINGE:
      case SQUARED_HINGE:
      case PERCEPTRON:
      case ADALINE:
        return Task.BINARY_SCORE;
      default:
        return Task.REGRESSION;
    }
  }

  /** How a label becomes this loss's targets on {@code outputs} outputs: see {@link Loss#targetEncoding}. */
  public TargetEncoding targetEncoding(int outputs) {
    return create().targetEncoding(outputs);
  }

  @Override
  public String toString() {
    return key();
  }
}
