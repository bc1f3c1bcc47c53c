package dev.dendrite.spark;

import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.core.train.TrainingListener;
import dev.dendrite.core.train.TrainingLoop;
import dev.dendrite.spark.collective.RunSecret;
import dev.dendrite.spark.collective.Tracker;
import dev.dendrite.spark.data.DataBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The driver side of collective training: Spark places one barrier task per partition and launches
 * them once; the tasks then train step after step, all-reducing with each other directly
 * ({@link CollectiveTask}), while the driver runs a small tracker that introduces them, hears their
 * progress (at least once per epoch) and their resumable state, writes checkpoints and hands events to
 * the listeners. If the group fails (a task or executor dies, a peer falls silent past the timeout),
 * the driver waits for a full set of task slots and reruns the group from the last state it holds,
 * up to {@link CollectiveSettings#attempts()} times; every step is deterministic, so the final weights
 * equal an undisturbed run's.
 */
public final class CollectiveRunner {

  private static final Logger LOG = LoggerFactory.getLogger(CollectiveRunner.class);

  private final JavaSparkContext sc;
  private final JavaRDD<DataBlock> blocks;
  private final JavaRDD<DataBlock> validation;
  private final NetworkConfig network;
  private final TrainingConfig training;
  private final DistributedConfig distributed;
  private final List<TrainingListener> listeners;
  private final long examples;
  private final int steps;
  private final int averagingFrequency;

  /** {@code averagingFrequency}: 0 for gradient all-reduce every step, else k local steps per averaging round. */
  CollectiveRunner(JavaSparkContext sc, JavaRDD<DataBlock> blocks, JavaRDD<DataBlock> validation,
                   NetworkConfig network, TrainingConfig training, DistributedConfig distributed,
                   List<TrainingListener> listeners, long examples, int steps, int averagingFrequency) {
    this.sc = sc;
    this.blocks = blocks;
    this.validation = validation;
    this.network = network;
    this.training = training;
    this.distributed = distributed;
    this.listeners = listeners;
    this.examples = examples;
    this.steps = steps;
    this.averagingFrequency = averagingFrequency;
  }

  /**
   * Why collective training cannot run on this cluster with {@code partitions} tasks, or empty: it needs
   * every partition's task running at once, so as many task slots as partitions and no dynamic
   * allocation (Spark refuses barrier stages with it).
   */
  public static Optional<String> obstacle(JavaSparkContext sc, int partitions) {
    SparkConf conf = sc.getConf();
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return Optional.of("dynamic allocation is enabled (spark.dynamicAllocation.enabled), and Spark runs "
          + "barrier stages only on a fixed set of executors");
    }
    int slots = taskSlots(sc.sc());
    if (slots < partitions) {
      return Optional.of(String.format(Locale.ROOT, "it needs all %d partitions running at once and the "
          + "cluster has %d task slots now (set distributed.partitions <= %d, or add executors)",
          partitions, slots, slots));
    }
    return Optional.empty();
  }

  /** Tasks the cluster can run at once now (Spark's own count for barrier stages). */
  static int taskSlots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }

  /** A resumable position of the run, as the last {@link CollectiveMessages.Kind#STATE} report gave it. */
  History run(float[] params, OptimizerState optimizerState, TrainingLoop.Snapshot resumeFrom, float[] resumeBest,
              CheckpointStore store, Map<String, Object> extra) {
    int partitions = blocks.getNumPartitions();
    CollectiveSettings settings = distributed.collective();
    CollectiveMessages.State state = new CollectiveMessages.State(resumeFrom, params.clone(), resumeBest,
        optimizerState);
    RuntimeException last = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      awaitSlots(partitions, attempt == 1 ? Duration.ZERO : settings.timeout().multipliedBy(5));
      Attempt run = new Attempt(state, store, extra);
      try {
        CollectiveMessages.Message done = run.execute(attempt, partitions, settings);
        float[] result = done.state().params();
        System.arraycopy(result, 0, params, 0, params.length);
        return CollectiveMessages.history(done);
      } catch (UserError e) {
        throw new IllegalArgumentException(e.getMessage());
      } catch (ListenerFailure e) {
        throw (RuntimeException) e.getCause();
      } catch (RuntimeException e) {
        last = e;
        state = run.latest;
        LOG.warn("dendrite collective: attempt {} of {} failed: {}; {}", attempt, settings.attempts(),
            e.getMessage(), attempt < settings.attempts() ? "rerunning from " + describe(state) : "giving up");
      }
    }
    throw new IllegalStateException("collective training failed " + settings.attempts() + " times (setting "
        + "distributed.collective.attempts); the last failure: " + last.getMessage(), last);
  }

  private static String describe(CollectiveMessages.State state) {
    TrainingLoop.Snapshot s = state.snapshot();
    return s == null ? "the start of the run"
        : String.format(Locale.ROOT, "epoch %d, step %d (%d steps done)", s.epoch() + 1, s.step(), s.globalStep());
  }

  /** Waits until the cluster has a slot for every partition, or fails naming what is missing. */
  private void awaitSlots(int partitions, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Optional<String> obstacle = obstacle(sc, partitions);
      if (obstacle.isEmpty()) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new IllegalArgumentException("distributed.mode collective cannot run: " + obstacle.get());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for task slots", e);
      }
    }
  }

  /** A failure the tasks reported as the user's (a bad setting): not worth a rerun. */
  private static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message, null, false, false);
    }
  }

  /** A driver-side listener threw: the run ends with its exception, as in the other modes; no rerun. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private void tell(java.util.function.Consumer<TrainingListener> event) {
    for (TrainingListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        throw new ListenerFailure(e);
      }
    }
  }

  /** One barrier job and the tracker that serves it. */
  private final class Attempt {
    private CollectiveMessages.State latest;
    private final CheckpointStore store;
    private final Map<String, Object> extra;

    Attempt(CollectiveMessages.State start, CheckpointStore store, Map<String, Object> extra) {
      this.latest = start;
      this.store = store;
      this.extra = extra;
    }

    CollectiveMessages.Message execute(int attempt, int partitions, CollectiveSettings settings) {
      SparkConf conf = sc.getConf();
      String advertised = conf.get("spark.driver.host", "localhost");
      String bind = conf.get("spark.driver.bindAddress", advertised);
      RunSecret secret = RunSecret.random();
      try (Tracker tracker = Tracker.start(bind, partitions, secret, settings.portRange(), settings.timeout())) {
        InetSocketAddress address = new InetSocketAddress(advertised, tracker.address().getPort());
        CollectiveTask task = new CollectiveTask(partitions, address, secret, settings, network, training,
            CollectiveMessages.state(network, latest), examples, steps,
            distributed.checkpointDir() == null ? 0 : distributed.checkpointEvery(), validation != null,
            averagingFrequency);
        sc.setJobDescription(String.format(Locale.ROOT, "dendrite train: collective, %d tasks, attempt %d",
            partitions, attempt));
        JavaFutureAction<List<Integer>> job = barrierJob(task).collectAsync();
        try {
          CollectiveMessages.Message done = drive(tracker, job, settings);
          for (int rank = 0; rank < partitions; rank++) {
            tracker.send(rank, CollectiveMessages.finish());
          }
          job.get(settings.timeoutSeconds(), TimeUnit.SECONDS);
          return done;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("the collective job failed after reporting its result: "
              + rootMessage(e), e);
        } catch (TimeoutException e) {
          throw new IllegalStateException("the collective tasks did not end within "
              + settings.timeoutSeconds() + " s after reporting their result", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } finally {
          if (!job.isDone()) {
            job.cancel(true);
            awaitEnd(job, settings.timeout());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("collective: " + e.getMessage(), e);
      }
    }

    /** Handles the tasks' reports until the run's result arrives; throws when the group fails. */
    private CollectiveMessages.Message drive(Tracker tracker, JavaFutureAction<List<Integer>> job,
                                             CollectiveSettings settings) throws IOException {
      while (true) {
        Optional<Tracker.Frame> frame = tracker.receive(Duration.ofMillis(200));
        if (frame.isPresent()) {
          CollectiveMessages.Message message = CollectiveMessages.read(frame.get().payload());
          if (message.kind() == CollectiveMessages.Kind.DONE) {
            return message;
          }
          handle(frame.get().rank(), message);
        } else if (job.isDone()) {
          try {
            job.get();
            throw new IllegalStateException("the collective job ended without reporting a result");
          } catch (ExecutionException e) {
            throw new IllegalStateException(rootMessage(e), e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
      }
    }

    private void handle(int rank, CollectiveMessages.Message message) {
      Map<String, Object> m = message.json();
      switch (message.kind()) {
        case EPOCH_START:
          tell(l -> l.onEpochStart(integer(m, "epoch"), integer(m, "epochs"), integer(m, "steps")));
          break;
        case STEP:
          double loss = m.get("loss") == null ? Double.NaN : ((Number) m.get("loss")).doubleValue();
          tell(l -> l.onStep(integer(m, "epoch"), integer(m, "epochs"), integer(m, "step"), integer(m, "steps"),
              loss, ((Number) m.get("examples")).longValue()));
          break;
        case EPOCH_END:
          @SuppressWarnings("unchecked")
          EpochRecord record = EpochRecord.fromMap((Map<String, Object>) m.get("record"));
          tell(l -> l.onEpochEnd(record.epoch(), integer(m, "epochs"), record));
          break;
        case STATE:
          latest = message.state();
          if (store != null) {
            store.save(network, latest.snapshot(), latest.params(), latest.best(), latest.optimizerState(), extra);
          }
          break;
        case ERROR:
          String text = "task " + rank + ": " + m.get("message");
          if (Boolean.TRUE.equals(m.get("user_error"))) {
            throw new UserError(String.valueOf(m.get("message")));
          }
          throw new IllegalStateException(text);
        default:
          throw new IllegalStateException("collective: unexpected " + message.kind() + " message from task " + rank);
      }
    }
  }

  private static int integer(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).intValue();
  }

  /** The barrier job: each partition's training block (and validation blocks) to one task. */
  private JavaRDD<Integer> barrierJob(CollectiveTask task) {
    JavaRDD<DataBlock[]> pairs;
    if (validation == null) {
      pairs = blocks.map(b -> new DataBlock[] {b, null});
    } else {
      pairs = blocks.zipPartitions(validation, (train, held) -> {
        java.util.List<DataBlock[]> out = new java.util.ArrayList<>();
        while (train.hasNext()) {
          out.add(new DataBlock[] {train.next(), null});
        }
        while (held.hasNext()) {
          out.add(new DataBlock[] {null, held.next()});
        }
        return out.iterator();
      });
    }
    ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
    RDD<Integer> out = pairs.rdd().barrier().mapPartitions(task, false, tag);
    return JavaRDD.fromRDD(out, tag);
  }

  private static void awaitEnd(JavaFutureAction<?> job, Duration patience) {
    try {
      job.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception ignored) {
      // cancelled or failed: what matters is that its tasks have released their slots
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
