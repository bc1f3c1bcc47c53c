package dev.dendrite.spark;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a cluster's executors while training runs. Spark waits for resources forever ("Initial job has
 * not accepted any resources" in the log, nothing on the console), so when every Worker is gone the driver
 * would hang without a word. Once the cluster has had no executor for the timeout, the watchdog cancels
 * the training's job group (again at every poll, so a job started later is cancelled too) and the trainer
 * turns the cancelled job into a {@link NoExecutorsException}. In local mode the driver runs the tasks
 * itself, so there is nothing to watch.
 */
public final class ExecutorWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorWatchdog.class);

  private final SparkContext sc;
  private final String jobGroup;
  private final long timeoutNanos;
  private final int timeoutSeconds;
  private final ScheduledExecutorService timer;
  private volatile long lastSeen = System.nanoTime();
  private volatile boolean warned;
  private volatile String failure;

  private ExecutorWatchdog(SparkContext sc, String jobGroup, int timeoutSeconds) {
    this.sc = sc;
    this.jobGroup = jobGroup;
    this.timeoutSeconds = timeoutSeconds;
    this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
    if (timeoutSeconds == 0 || sc.isLocal()) {
      this.timer = null;
      return;
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dendrite-executor-watchdog");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(100, Math.min(1000, TimeUnit.SECONDS.toMillis(timeoutSeconds) / 5));
    timer.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
  }

  /** Starts watching; {@code timeoutSeconds} 0 watches nothing. Close it when training ends. */
  static ExecutorWatchdog start(SparkContext sc, String jobGroup, int timeoutSeconds) {
    return new ExecutorWatchdog(sc, jobGroup, timeoutSeconds);
  }

  /**
   * Watches a whole command (reading the data, training, evaluating): once the timeout passes, every
   * job of the context is cancelled, and again at every poll. For a driver that runs one command.
   */
  public static ExecutorWatchdog wholeCommand(SparkContext sc, int timeoutSeconds) {
    return new ExecutorWatchdog(sc, null, timeoutSeconds);
  }

  /** The number of executors, not counting the driver (which the status tracker lists too). */
  static int executors(SparkContext sc) {
    return Math.max(0, sc.statusTracker().getExecutorInfos().length - 1);
  }

  private void poll() {
    try {
      long now = System.nanoTime();
      if (failure == null && executors(sc) > 0) {
        lastSeen = now;
        warned = false;
        return;
      }
      long idle = now - lastSeen;
      if (failure == null && !warned && idle > timeoutNanos / 2) {
        warned = true;
        LOG.warn("dendrite: no Spark executors for {} s; training stops after {} s without one "
            + "(distributed.executor_timeout)", TimeUnit.NANOSECONDS.toSeconds(idle), timeoutSeconds);
      }
      if (failure == null && idle > timeoutNanos) {
        failure = String.format(Locale.ROOT, "no Spark executors for %d s (distributed.executor_timeout = %d s): "
            + "every Worker is gone, or the cluster never granted one (are the Workers running, with the cores "
            + "and memory spark.executor.* asks for?). Training stopped; checkpoints already written are intact, "
            + "and a run with the same distributed.checkpoint_dir resumes from the last one",
            TimeUnit.NANOSECONDS.toSeconds(idle), timeoutSeconds);
        LOG.error("dendrite: {}", failure);
      }
      if (failure != null) {
        if (jobGroup == null) {
          sc.cancelAllJobs();
        } else {
          sc.cancelJobGroup(jobGroup);
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("dendrite: executor watchdog poll failed", e);
    }
  }

  /** The failure when the timeout passed, else null. */
  public NoExecutorsException failure() {
    String f = failure;
    return f == null ? null : new NoExecutorsException(f);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
