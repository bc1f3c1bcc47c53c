package dev.dendrite.jobs.tune;

import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import java.util.Map;

/**
 * What one trial measured: the decisive metric's value, all metrics at the epoch whose parameters the
 * run keeps (the best epoch under early stopping with {@code restore_best}, else the last), the epochs
 * run, the seconds of training and where it ran. A diverged trial, or one that measured nothing, has the
 * value NaN and ranks last.
 */
public record TrialResult(Trial trial, double value, Map<String, Double> metrics, int epochsRun,
                          int scoredEpoch, double seconds, String stopReason, String executor, History history) {

  /** Scores a finished trial on {@code metric}; fails naming the metrics measured when it is not one of them. */
  public static TrialResult of(Trial trial, History history, double seconds, String executor, String metric) {
    if (history.epochs().isEmpty()) {
      return new TrialResult(trial, Double.NaN, Map.of(), 0, 0, seconds, history.stopReason(), executor, history);
    }
    int kept = history.bestEpoch() > 0 ? history.bestEpoch() : history.epochs().size();
    EpochRecord record = history.epochs().get(kept - 1);
    if (!record.metrics().containsKey(metric)) {
      throw new IllegalArgumentException("the space's metric '" + metric + "' is not measured; the trials measure "
          + record.metrics().keySet() + (metric.startsWith("val_") ? "" : " (held-out metrics start with val_)")
          + (record.metrics().keySet().stream().anyMatch(k -> k.startsWith("val_")) ? ""
          : "; set training.validation_split in the config to score trials on held-out rows"));
    }
    boolean diverged = history.stopReason().startsWith("diverged");
    double value = diverged ? Double.NaN : record.metrics().get(metric);
    return new TrialResult(trial, value, record.metrics(), history.epochs().size(), kept, seconds,
        history.stopReason(), executor, history);
  }
}
