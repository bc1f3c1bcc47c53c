package dev.dendrite.core.train;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stop when a monitored metric has not improved by more than {@code minDelta} for {@code patience}
 * epochs, as Keras' EarlyStopping: {@code monitor} is a history key ({@code val_loss},
 * {@code val_accuracy}, {@code loss}...); losses and errors are minimized, accuracies and scores
 * maximized. With {@code restoreBest} the best epoch's parameters are put back at the end.
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {

  public EarlyStopping {
    if (monitor == null || monitor.isBlank()) {
      throw new ConfigException("early_stopping.monitor", "must name a metric such as val_loss");
    }
    if (patience < 0) {
      throw new ConfigException("early_stopping.patience", "must be >= 0, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new ConfigException("early_stopping.min_delta", "must be >= 0, got " + minDelta);
    }
  }

  /** Whether larger values of the monitored metric are better. */
  public boolean maximize() {
    String m = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
    return List.of("accuracy", "top_k_accuracy", "f1", "macro_f1", "precision", "recall", "auc", "r2",
        "subset_accuracy").contains(m);
  }

  /** Whether {@code value} improves on {@code best} by more than minDelta. */
  public boolean improves(double value, double best) {
    if (Double.isNaN(best)) {
      return !Double.isNaN(value);
    }
    return maximize() ? value > best + minDelta : value < best - minDelta;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("monitor", monitor);
    m.put("patience", patience);
    m.put("min_delta", minDelta);
    m.put("restore_best", restoreBest);
    return m;
  }

  public static EarlyStopping read(ConfigMap m) {
    EarlyStopping e = new EarlyStopping(m.string("monitor", "val_loss"), m.integer("patience", 5, 0, 1_000_000),
        m.number("min_delta", 0), m.bool("restore_best", true));
    m.finish();
    return e;
  }
}
