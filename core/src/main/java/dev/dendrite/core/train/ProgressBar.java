package dev.dendrite.core.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A per-epoch console progress bar: steps done, loss, samples/s and ETA, redrawn in place on a terminal;
 * one summary line per epoch when the output is not a terminal (logs, CI).
 */
public final class ProgressBar implements TrainingListener {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean interactive;
  private long epochStart;
  private long lastDraw;

  public ProgressBar(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** A bar on standard output, interactive when a console is attached. */
  public static ProgressBar console() {
    return new ProgressBar(System.out, System.console() != null);
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    epochStart = System.nanoTime();
    lastDraw = 0;
  }

  @Override
  public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
    if (!interactive) {
      return;
    }
    long now = System.nanoTime();
    if (step < steps && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double seconds = (now - epochStart) / 1e9;
    double rate = examples / Math.max(seconds, 1e-9);
    double eta = step == 0 ? 0 : seconds / step * (steps - step);
    int filled = steps == 0 ? WIDTH : (int) ((long) WIDTH * step / steps);
    StringBuilder bar = new StringBuilder(WIDTH);
    for (int i = 0; i < WIDTH; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : '.');
    }
    out.printf(Locale.ROOT, "\rEpoch %d/%d [%s] %d/%d - loss %.4f - %.0f samples/s - ETA %s   ",
        epoch, epochs, bar, step, steps, loss, rate, formatSeconds(eta));
    out.flush();
  }

  @Override
  public void onEpochEnd(int epoch, int epochs, EpochRecord record) {
    if (interactive) {
      out.print('\r');
    }
    out.println(record.summary(epochs));
    out.flush();
  }

  static String formatSeconds(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
