package dev.dendrite.core.network;

import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.loss.AdalineCriterion;
import dev.dendrite.core.loss.BinaryCrossEntropy;
import dev.dendrite.core.loss.Hinge;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.PerceptronCriterion;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;

/**
 * The classic shallow models as one-layer networks, each paired with the loss that defines it:
 * train them with any optimizer like any other network.
 *
 * @param name the model's name, e.g. {@code linear_svm}
 * @param network the one-layer network
 * @param loss the loss that makes it that model
 */
public record ShallowModel(String name, Network network, Loss loss) {

  /**
   * Rosenblatt's perceptron: binary step output, perceptron criterion, zero initial weights; labels 0/1
   * or ±1. Trained with SGD at batch size 1 it follows the lecture's rule exactly: on {@code y·(w·x) ≤ 0}
   * (a zero activation is a mistake for either label) {@code w ← w + η y x}; it predicts class 1 only
   * for {@code w·x > 0}. See {@link PerceptronCriterion}.
   */
  public static ShallowModel perceptron(int inputs) {
    return new ShallowModel("perceptron",
        single(inputs, new DenseConfig(1, "binary_step", "zeros", "zeros", 0, 0), 1),
        new PerceptronCriterion());
  }

  /**
   * Adaline, the ADAptive LInear NEuron: identity output trained by gradient descent on the sum of
   * squared errors, {@code Δw = η Σ (y - w·x) x} ({@link AdalineCriterion}; η is the learning rate over
   * the batch size), zero initial weights; labels ±1 or 0/1 (0 read as -1), as the perceptron's, and
   * predictions thresholded as the perceptron's: class 1 when {@code w·x > 0}. Unlike the perceptron it
   * learns from every example, right or wrong, and settles at the least-squares weights.
   */
  public static ShallowModel adaline(int inputs) {
    return new ShallowModel("adaline",
        single(inputs, new DenseConfig(1, "identity", "zeros", "zeros", 0, 0), 1), new AdalineCriterion());
  }

  /** Linear SVM: identity output, hinge loss, L2 penalty {@code l2} on the weights; labels ±1 (0 read as -1). */
  public static ShallowModel linearSvm(int inputs, double l2) {
    return new ShallowModel("linear_svm",
        single(inputs, new DenseConfig(1, "identity", "zeros", "zeros", 0, l2), 1), new Hinge(false));
  }

  /** Logistic regression: sigmoid output, binary cross-entropy; labels 0/1. */
  public static ShallowModel logisticRegression(int inputs) {
    return new ShallowModel("logistic_regression",
        single(inputs, new DenseConfig(1, "sigmoid", "zeros", "zeros", 0, 0), 1), new BinaryCrossEntropy());
  }

  /** Linear regression: identity outputs, mean squared error. */
  public static ShallowModel linearRegression(int inputs, int outputs) {
    return new ShallowModel("linear_regression",
        single(inputs, new DenseConfig(outputs, "identity", "zeros", "zeros", 0, 0), 1),
        new MeanSquaredError());
  }

  /** Softmax (multinomial logistic) regression: softmax output, cross-entropy on class indices. */
  public static ShallowModel softmaxRegression(int inputs, int classes) {
    return new ShallowModel("softmax_regression",
        single(inputs, new DenseConfig(classes, "softmax", "zeros", "zeros", 0, 0), 1),
        new SparseCategoricalCrossEntropy());
  }

  private static Network single(int inputs, DenseConfig layer, long seed) {
    return Network.builder(inputs).add(layer).seed(seed).build();
  }
}
