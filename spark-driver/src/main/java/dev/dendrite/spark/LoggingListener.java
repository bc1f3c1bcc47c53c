package dev.dendrite.spark;

import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.TrainingListener;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports training progress to the log (for spark-submit runs, where there is no terminal): every
 * {@code everySteps} steps the epoch's running loss, examples per second and the epoch's ETA, and a
 * summary line per epoch.
 */
public final class LoggingListener implements TrainingListener {

  private static final Logger LOG = LoggerFactory.getLogger(LoggingListener.class);

  private final int everySteps;
  private long epochStart;

  public LoggingListener(int everySteps) {
    if (everySteps < 1) {
      throw new IllegalArgumentException("everySteps must be >= 1, got " + everySteps);
    }
    this.everySteps = everySteps;
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    epochStart = System.nanoTime();
  }

  @Override
  public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
    if (step % everySteps != 0 || step == steps) {
      return;
    }
    double seconds = (System.nanoTime() - epochStart) / 1e9;
    double eta = seconds / step * (steps - step);
    LOG.info(String.format(Locale.ROOT, "epoch %d/%d step %d/%d: loss %.4f, %.0f examples/s, epoch ETA %.0f s",
        epoch, epochs, step, steps, loss, examples / Math.max(seconds, 1e-9), eta));
  }

  @Override
  public void onEpochEnd(int epoch, int epochs, EpochRecord record) {
    LOG.info(record.summary(epochs));
  }
}
