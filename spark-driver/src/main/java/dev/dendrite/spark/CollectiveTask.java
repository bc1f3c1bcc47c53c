package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.core.train.TrainingListener;
import dev.dendrite.core.train.TrainingLoop;
import dev.dendrite.spark.collective.CollectiveGroup;
import dev.dendrite.spark.collective.RunSecret;
import dev.dendrite.spark.data.DataBlock;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The executor side of collective training: one barrier task per partition that joins the group,
 * runs the whole {@link TrainingLoop} on its replica of the parameters and optimizer (every task the
 * same loop, stepping through {@link CollectiveStepRunner}), and, as rank 0, reports progress, its
 * resumable state and the result to the driver. It starts from the state the driver put in the closure.
 */
final class CollectiveTask extends AbstractFunction1<Iterator<DataBlock[]>, Iterator<Integer>>
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Rank 0 reports step progress at most this often. */
  private static final long STEP_REPORT_NANOS = 250_000_000L;

  private final int size;
  private final InetSocketAddress tracker;
  private final RunSecret secret;
  private final CollectiveSettings settings;
  private final StepWork work;
  private final Map<String, Object> trainingConfig;
  private final byte[] start;
  private final long examples;
  private final int checkpointEvery;
  private final boolean validation;
  private final int averagingFrequency;

  /**
   * @param start a {@link CollectiveMessages.Kind#STATE} message: the parameters (and, when resuming,
   *     the snapshot, optimizer state and best parameters) to start from
   * @param checkpointEvery how often rank 0 reports its state within an epoch (0: at epoch ends only)
   * @param averagingFrequency 0 for gradient all-reduce every step, else k local steps per averaging round
   */
  CollectiveTask(int size, InetSocketAddress tracker, RunSecret secret, CollectiveSettings settings,
                 NetworkConfig network, TrainingConfig training, byte[] start, long examples, int steps,
                 int checkpointEvery, boolean validation, int averagingFrequency) {
    this.size = size;
    this.tracker = tracker;
    this.secret = secret;
    this.settings = settings;
    this.work = StepWork.of(network, training, steps, size);
    this.trainingConfig = training.toMap();
    this.start = start;
    this.examples = examples;
    this.checkpointEvery = checkpointEvery;
    this.validation = validation;
    this.averagingFrequency = averagingFrequency;
  }

  @Override
  public Iterator<Integer> apply(Iterator<DataBlock[]> partition) {
    BarrierTaskContext context = BarrierTaskContext.get();
    if (context.stageAttemptNumber() > 0) {
      // the group of the first attempt is gone; the driver reruns from the last state it holds
      throw new IllegalStateException("collective: Spark retried the barrier stage (attempt "
          + context.stageAttemptNumber() + "); the driver reruns the group from its last state");
    }
    int rank = context.partitionId();
    DataBlock block = null;
    List<DataBlock> held = validation ? new ArrayList<>() : null;
    while (partition.hasNext()) {
      DataBlock[] pair = partition.next();
      if (pair[0] != null) {
        block = pair[0];
      }
      if (held != null && pair[1] != null) {
        held.add(pair[1]);
      }
    }
    String host = SparkEnv.get().blockManager().blockManagerId().host();
    try (CollectiveGroup group = CollectiveGroup.join(rank, size, tracker, secret, host, settings.portRange(),
        settings.timeout(), true)) {
      try {
        train(group, block, held);
      } catch (RuntimeException | Error e) {
        boolean userError = e instanceof IllegalArgumentException || e instanceof ConfigException;
        try {
          group.sendToDriver(CollectiveMessages.error(userError, String.valueOf(e.getMessage())));
        } catch (IOException | RuntimeException ignored) {
          // the driver may be gone; the task's failure reaches it through Spark
        }
        throw e;
      }
      group.receiveFromDriver(settings.timeout()); // FINISH: leave only once the driver has the result
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return CollectionConverters.asScala(Collections.singletonList(rank).iterator());
  }

  private void train(CollectiveGroup group, DataBlock block, List<DataBlock> held) throws IOException {
    TrainingConfig training = TrainingConfig.read(new ConfigMap("training", trainingConfig));
    ExecutorWorkers.Worker worker = work.worker();
    NetworkConfig network = worker.network.config();
    CollectiveMessages.State state = CollectiveMessages.read(start).state();
    ParameterUpdate update = new ParameterUpdate(worker.network.layout(), training.optimizer().create(),
        training.clipping());
    // the loop updates the network's own parameter vector, so no step copies it into the network
    float[] params = worker.network.parameterArray();
    System.arraycopy(state.params(), 0, params, 0, params.length);
    if (state.optimizerState() != null) {
      update.optimizer().restore(state.optimizerState());
    }
    TrainingLoop loop = new TrainingLoop(training);
    if (state.snapshot() != null) {
      loop.resume(state.snapshot(), state.best());
    }
    if (group.rank() == 0) {
      loop.listener(new Reporter(group));
      loop.checkpointer((snapshot, p, best, optimizerState) -> send(group, CollectiveMessages.state(network,
          new CollectiveMessages.State(snapshot, p, best, optimizerState))), checkpointEvery);
    }
    CollectiveStepRunner runner = new CollectiveStepRunner(group, block, held, worker, work,
        Task.of(training.loss(), worker.network.outputSize()), training.batchSize(), examples,
        settings.checkEvery(), averagingFrequency,
        averagingFrequency == 0 ? null : new ParameterUpdate(worker.network.layout(), training.optimizer().create(),
            training.clipping()));
    History history = loop.run(params, update, runner);
    if (group.rank() == 0) {
      group.sendToDriver(CollectiveMessages.done(network, history, params));
    }
  }

  private static void send(CollectiveGroup group, byte[] message) {
    try {
      group.sendToDriver(message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rank 0's listener: epoch starts and ends, and step progress a few times a second, to the driver. */
  private static final class Reporter implements TrainingListener {
    private final CollectiveGroup group;
    private long lastStepReport = System.nanoTime();

    Reporter(CollectiveGroup group) {
      this.group = group;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps) {
      send(group, CollectiveMessages.epochStart(epoch, epochs, steps));
    }

    @Override
    public void onStep(int epoch, int epochs, int step, int steps, double loss, long examples) {
      long now = System.nanoTime();
      if (step == steps || now - lastStepReport >= STEP_REPORT_NANOS) {
        lastStepReport = now;
        send(group, CollectiveMessages.step(epoch, epochs, step, steps, loss, examples));
      }
    }

    @Override
    public void onEpochEnd(int epoch, int epochs, EpochRecord record) {
      send(group, CollectiveMessages.epochEnd(epochs, record));
    }
  }
}
