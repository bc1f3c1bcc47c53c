package dev.dendrite.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop shared by every trainer: steps through a {@link StepRunner}, tells listeners, validates
 * after each epoch, applies early stopping (keeping the best parameters), and stops on divergence
 * keeping the last good parameters. The parameters are one flat vector updated in place.
 */
public final class TrainingLoop {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private int epochs;

  public TrainingLoop(TrainingConfig config) {
    this.config = config;
    this.epochs = config.epochs();
  }

  public TrainingLoop listener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  public TrainingLoop listeners(List<TrainingListener> more) {
    listeners.addAll(more);
    return this;
  }

  /**
   * Trains {@code params} in place from epoch {@code firstEpoch} (0 unless resuming) and returns the
   * history. On divergence the parameters of the last finite step are restored and the history says so.
   */
  public History run(float[] params, ParameterUpdate update, StepRunner runner, int firstEpoch) {
    History history = new History();
    EarlyStopping early = config.earlyStopping();
    // lastGood: parameters before the last step whose loss was finite (their forward pass worked);
    // beforeStep: parameters before the step in progress
    float[] lastGood = params.clone();
    float[] beforeStep = params.clone();
    float[] best = early != null && early.restoreBest() ? params.clone() : null;
    double bestValue = Double.NaN;
    int sinceBest = 0;
    int steps = runner.stepsPerEpoch();
    long totalSteps = 0;
    for (int epoch = firstEpoch; epoch < epochs; epoch++) {
      for (TrainingListener l : listeners) {
        l.onEpochStart(epoch + 1, epochs, steps);
      }
      long start = System.nanoTime();
      double lossSum = 0;
      long examples = 0;
      try {
        for (int step = 0; step < steps; step++) {
          System.arraycopy(params, 0, beforeStep, 0, params.length);
          StepRunner.StepOutcome outcome = runner.step(params, update, epoch, step);
          if (!Double.isFinite(outcome.lossSum())) {
            throw new DivergenceException(totalSteps, "the loss is " + outcome.lossSum());
          }
          float[] swap = lastGood;
          lastGood = beforeStep;
          beforeStep = swap;
          lossSum += outcome.lossSum();
          examples += outcome.examples();
          totalSteps++;
          for (TrainingListener l : listeners) {
            l.onStep(epoch + 1, epochs, step + 1, steps, lossSum / Math.max(examples, 1), examples);
          }
        }
      } catch (DivergenceException e) {
        System.arraycopy(lastGood, 0, params, 0, params.length);
        LOG.error(e.getMessage());
        history.stop("diverged: " + e.getMessage());
        history.steps(totalSteps);
        return history;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("loss", lossSum / Math.max(examples, 1) + update.lastPenalty());
      metrics.putAll(runner.validate(params));
      EpochRecord record = new EpochRecord(epoch + 1, metrics, seconds, examples / Math.max(seconds, 1e-9),
          update.optimizer().learningRate());
      history.add(record);
      for (TrainingListener l : listeners) {
        l.onEpochEnd(epoch + 1, epochs, record);
      }
      if (early != null) {
        double value = record.metric(early.monitor());
        if (Double.isNaN(value)) {
          throw new IllegalArgumentException("early_stopping.monitor: '" + early.monitor()
              + "' is not measured; this run measures " + metrics.keySet());
        }
        if (early.improves(value, bestValue)) {
          bestValue = value;
          sinceBest = 0;
          history.bestEpoch(epoch + 1);
          if (best != null) {
            System.arraycopy(params, 0, best, 0, params.length);
          }
        } else if (++sinceBest > early.patience()) {
          history.stop("early_stopping");
          LOG.info("early stopping after epoch {}: {} has not improved for {} epochs (best {} at epoch {})",
              epoch + 1, early.monitor(), early.patience(), bestValue, history.bestEpoch());
          break;
        }
      }
    }
    if (best != null && history.bestEpoch() > 0) {
      System.arraycopy(best, 0, params, 0, params.length);
    }
    history.steps(totalSteps);
    return history;
  }
}
