package dev.dendrite.core.train;

import dev.dendrite.core.optim.OptimizerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop shared by every trainer: steps through a {@link StepRunner}, tells listeners, validates
 * after each epoch, applies early stopping (keeping the best parameters), stops on divergence keeping
 * the last good parameters, and hands a {@link Snapshot} to a {@link Checkpointer} every N steps so a
 * later run can {@linkplain #resume resume} exactly where this one stopped. The parameters are one flat
 * vector updated in place.
 */
public final class TrainingLoop {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private Checkpointer checkpointer;
  private int checkpointEvery;
  private Snapshot resumeFrom;
  private float[] resumeBest;

  public TrainingLoop(TrainingConfig config) {
    this.config = config;
  }

  public TrainingLoop listener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  public TrainingLoop listeners(List<TrainingListener> more) {
    listeners.addAll(more);
    return this;
  }

  /** Saves a snapshot every {@code everySteps} steps (0: at the end of every epoch) and at the end. */
  public TrainingLoop checkpointer(Checkpointer checkpointer, int everySteps) {
    this.checkpointer = checkpointer;
    this.checkpointEvery = everySteps;
    return this;
  }

  /**
   * Continues from a snapshot (the parameters and optimizer state must already be restored by the
   * caller); {@code bestParams} are the early-stopping best parameters saved with it, or null.
   */
  public TrainingLoop resume(Snapshot snapshot, float[] bestParams) {
    this.resumeFrom = snapshot;
    this.resumeBest = bestParams;
    return this;
  }

  /** Receives snapshots; must write them durably (write, then rename) before returning. */
  public interface Checkpointer {
    void save(Snapshot snapshot, float[] params, float[] bestParams, OptimizerState optimizerState);
  }

  /**
   * Where a run is: the next step to take ({@code epoch}, {@code step}, both 0-based), the steps taken,
   * the running loss of the current epoch, the finished epochs' records and the early-stopping state.
   */
  public record Snapshot(int epoch, int step, long globalStep, double epochLossSum, long epochExamples,
                         List<EpochRecord> records, double bestValue, int sinceBest, int bestEpoch) {

    public Snapshot {
      records = List.copyOf(records);
    }

    /** The JSON form stored in checkpoints (NaN as null). */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", epoch);
      m.put("step", step);
      m.put("global_step", globalStep);
      m.put("epoch_loss_sum", epochLossSum);
      m.put("epoch_examples", epochExamples);
      List<Object> list = new ArrayList<>();
      for (EpochRecord r : records) {
        list.add(r.toJsonMap());
      }
      m.put("records", list);
      m.put("best_value", Double.isFinite(bestValue) ? bestValue : null);
      m.put("since_best", sinceBest);
      m.put("best_epoch", bestEpoch);
      return m;
    }

    /** Reads {@link #toMap()}'s form. */
    @SuppressWarnings("unchecked")
    public static Snapshot fromMap(Map<String, Object> m) {
      List<EpochRecord> records = new ArrayList<>();
      for (Object o : (List<Object>) m.get("records")) {
        records.add(EpochRecord.fromMap((Map<String, Object>) o));
      }
      return new Snapshot(((Number) m.get("epoch")).intValue(), ((Number) m.get("step")).intValue(),
          ((Number) m.get("global_step")).longValue(), number(m.get("epoch_loss_sum")),
          ((Number) m.get("epoch_examples")).longValue(), records, number(m.get("best_value")),
          ((Number) m.get("since_best")).intValue(), ((Number) m.get("best_epoch")).intValue());
    }

    private static double number(Object v) {
      return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
  }

  /** Trains {@code params} in place and returns the history. */
  public History run(float[] params, ParameterUpdate update, StepRunner runner) {
    int epochs = config.epochs();
    EarlyStopping early = config.earlyStopping();
    History history = new History();
    // lastGood: parameters before the last step whose loss was finite (their forward pass worked);
    // beforeStep: parameters before the step in progress
    float[] lastGood = params.clone();
    float[] beforeStep = params.clone();
    float[] best = early != null && early.restoreBest() ? params.clone() : null;
    int steps = runner.stepsPerEpoch();
    Snapshot start = resumeFrom != null ? resumeFrom
        : new Snapshot(0, 0, 0, 0, 0, List.of(), Double.NaN, 0, -1);
    for (EpochRecord r : start.records()) {
      history.add(r);
    }
    double bestValue = start.bestValue();
    int sinceBest = start.sinceBest();
    history.bestEpoch(start.bestEpoch());
    if (best != null && resumeBest != null) {
      System.arraycopy(resumeBest, 0, best, 0, best.length);
    }
    long totalSteps = start.globalStep();
    boolean stopped = false;
    for (int epoch = start.epoch(); epoch < epochs && !stopped; epoch++) {
      boolean resumedEpoch = epoch == start.epoch() && start.step() > 0;
      int firstStep = resumedEpoch ? start.step() : 0;
      for (TrainingListener l : listeners) {
        l.onEpochStart(epoch + 1, epochs, steps);
      }
      long t0 = System.nanoTime();
      double lossSum = resumedEpoch ? start.epochLossSum() : 0;
      long examples = resumedEpoch ? start.epochExamples() : 0;
      long examplesHere = 0;
      try {
        for (int step = firstStep; step < steps; step++) {
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
          examplesHere += outcome.examples();
          totalSteps++;
          for (TrainingListener l : listeners) {
            l.onStep(epoch + 1, epochs, step + 1, steps, lossSum / Math.max(examples, 1), examples);
          }
          if (checkpointer != null && checkpointEvery > 0 && totalSteps % checkpointEvery == 0 && step + 1 < steps) {
            checkpointer.save(new Snapshot(epoch, step + 1, totalSteps, lossSum, examples, history.epochs(),
                bestValue, sinceBest, history.bestEpoch()), params, best, update.optimizer().state());
          }
        }
      } catch (DivergenceException e) {
        System.arraycopy(lastGood, 0, params, 0, params.length);
        LOG.error(e.getMessage());
        history.stop("diverged: " + e.getMessage());
        history.steps(totalSteps);
        return history;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("loss", lossSum / Math.max(examples, 1) + update.lastPenalty());
      metrics.putAll(runner.trainingMetrics(params));
      metrics.putAll(runner.validate(params));
      EpochRecord record = new EpochRecord(epoch + 1, metrics, seconds, examplesHere / Math.max(seconds, 1e-9),
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
        } else if (++sinceBest > early.patience() && epoch + 1 < epochs) {
          // patience running out in the last epoch stops nothing: the run completed
          history.stop("early_stopping");
          LOG.info("early stopping after epoch {}: {} has not improved for {} epochs (best {} at epoch {})",
              epoch + 1, early.monitor(), early.patience(), bestValue, history.bestEpoch());
          stopped = true;
        }
      }
      if (checkpointer != null) {
        int next = stopped ? epochs : epoch + 1;
        checkpointer.save(new Snapshot(next, 0, totalSteps, 0, 0, history.epochs(), bestValue, sinceBest,
            history.bestEpoch()), params, best, update.optimizer().state());
      }
    }
    if (best != null && history.bestEpoch() > 0) {
      System.arraycopy(best, 0, params, 0, params.length);
    }
    history.steps(totalSteps);
    return history;
  }
}
