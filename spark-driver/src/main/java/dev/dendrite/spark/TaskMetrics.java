package dev.dendrite.spark;

import dev.dendrite.core.loss.Task;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.MultiLabelMetrics;
import dev.dendrite.core.metrics.RegressionMetrics;
import java.util.Map;

/**
 * What evaluating a network on labelled data found: exactly one of the three accumulators, the one the
 * task calls for (classification for multi-class and binary tasks, multi-label, or regression), the
 * others null. See {@link DistributedEvaluator#evaluate}.
 */
public record TaskMetrics(Task task, ClassificationMetrics classification, MultiLabelMetrics multiLabel,
                          RegressionMetrics regression) {

  /** The number of examples evaluated. */
  public long examples() {
    return classification != null ? classification.examples()
        : multiLabel != null ? multiLabel.examples() : regression.examples();
  }

  /** The task's metrics, each name prefixed (e.g. {@code test_}). */
  public Map<String, Double> metrics(String prefix) {
    return classification != null ? classification.metrics(prefix)
        : multiLabel != null ? multiLabel.metrics(prefix) : regression.metrics(prefix);
  }
}
