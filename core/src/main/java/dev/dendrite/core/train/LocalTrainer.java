package dev.dendrite.core.train;

import dev.dendrite.core.data.ClassWeights;
import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.Splits;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.TargetEncoding;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.network.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a network on one JVM, as Keras' {@code fit}: epochs of shuffled mini-batches on
 * {@link TrainingConfig#threads()} threads, a validation split or set evaluated after every epoch,
 * early stopping, listeners, and a history. The network is trained in place.
 *
 * <pre>{@code
 * History h = new LocalTrainer(config).listener(ProgressBar.console()).fit(network, train, test);
 * }</pre>
 *
 * <p>The training dataset is shuffled in place (its row order changes); pass a copy to keep yours.
 */
public final class LocalTrainer {

  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();

  public LocalTrainer(TrainingConfig config) {
    this.config = config;
  }

  public LocalTrainer listener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Trains, holding out the last {@code validation_split} of the rows for validation (as Keras). */
  public History fit(Network network, Dataset train) {
    if (config.validationSplit() > 0) {
      List<Dataset> parts = Splits.tail(train, config.validationSplit());
      return fit(network, parts.get(0), parts.get(1));
    }
    return fit(network, train, null);
  }

  /** Trains on {@code train}, validating on {@code validation} (nullable) after every epoch. */
  public History fit(Network network, Dataset train, Dataset validation) {
    Loss loss = config.createLoss();
    Dataset prepared = targetsFor(network, loss, train, "training");
    if (config.classWeight() == ClassWeight.BALANCED) {
      prepared = ClassWeights.balance(prepared, Task.of(config.loss(), network.outputSize()),
          network.outputSize());
    }
    Dataset held = validation == null ? null : targetsFor(network, loss, validation, "validation");
    ParameterUpdate update = new ParameterUpdate(network.layout(), config.optimizer().create(), config.clipping());
    try (ParallelGradient gradient = new ParallelGradient(network, config.threads())) {
      LocalStepRunner runner = new LocalStepRunner(network, prepared, held, loss, config, gradient);
      return new TrainingLoop(config).listeners(listeners).run(network.parameterArray(), update, runner);
    }
  }

  /**
   * The dataset with targets in the form the loss needs: class indices become one-hot rows when the
   * loss asks for them ({@link Loss#targetEncoding}); any other mismatch is an error naming both widths.
   */
  static Dataset targetsFor(Network network, Loss loss, Dataset data, String role) {
    if (data.featureWidth() != network.inputSize()) {
      throw new IllegalArgumentException("the " + role + " data (" + data.description() + ") has "
          + data.featureWidth() + " features per example, the network expects " + network.inputSize()
          + " (input shape " + network.inputShape() + ")");
    }
    int need = network.targetWidth(loss);
    if (data.targetWidth() == need) {
      return data;
    }
    if (data.targetKind() == Dataset.TargetKind.CLASS_INDEX
        && loss.targetEncoding(network.outputSize()) == TargetEncoding.ONE_HOT) {
      return data.withOneHotTargets(need);
    }
    throw new IllegalArgumentException("the " + role + " data (" + data.description() + ") has "
        + data.targetWidth() + " target value(s) per example (" + data.targetKind().key() + "), but "
        + loss.name() + " on " + network.outputSize() + " outputs needs " + need);
  }

  /** Evaluates a network on a dataset in inference mode: loss and accuracy (or MSE and MAE). */
  public static Evaluation evaluate(Network network, Loss loss, Dataset data, int batchSize) {
    return evaluate(network, loss, Task.of(loss.name(), network.outputSize()), data, batchSize);
  }

  static Evaluation evaluate(Network network, Loss loss, Task task, Dataset data, int batchSize) {
    Dataset d = targetsFor(network, loss, data, "evaluation");
    return Evaluator.evaluate(network, loss, d.features(), d.targets(), d.weights(), d.size(),
        Math.max(batchSize, 256), new Evaluation(task));
  }
}
