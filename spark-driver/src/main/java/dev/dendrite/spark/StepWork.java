package dev.dendrite.spark;

import dev.dendrite.core.loss.LossKind;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.StepRandom;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.DataBlock;
import java.io.Serializable;
import java.util.Map;

/**
 * The step work every executor task of one run shares, shipped in each task's closure: the network
 * (its configuration as {@link NetworkConfig#toMap()}, rebuilt once per executor thread), the loss, the
 * seed, whether to shuffle, the steps of an epoch and the number of partitions (block p's slices are
 * shifted by p/partitions of a step, see {@code EpochSampler}). Its network and loss key the executor's
 * worker cache ({@link ExecutorWorkers}); it owns the random draws of a step (which rows, which dropout
 * mask), so every runner — all-reduce, averaging, collective — draws the same numbers.
 *
 * @param network the network configuration map
 * @param loss the loss
 * @param seed the run's seed
 * @param shuffle whether each epoch visits the rows in a new order
 * @param stepsPerEpoch the global steps of one epoch
 * @param partitions the number of training blocks
 */
record StepWork(Map<String, Object> network, LossKind loss, long seed, boolean shuffle, int stepsPerEpoch,
                int partitions) implements Serializable {

  static StepWork of(NetworkConfig network, TrainingConfig training, int stepsPerEpoch, int partitions) {
    return new StepWork(network.toMap(), training.loss(), training.seed(), training.shuffle(), stepsPerEpoch,
        partitions);
  }

  /** This executor thread's worker (network, loss, buffers) for this work, built once and reused. */
  ExecutorWorkers.Worker worker() {
    return ExecutorWorkers.worker(network, loss);
  }

  /**
   * Gathers the rows of {@code block} that global step {@code step} of {@code epoch} trains on into the
   * worker's buffers ({@link ExecutorWorkers.Worker#x()} ...) and returns their count (0: none).
   */
  int gather(ExecutorWorkers.Worker worker, DataBlock block, int epoch, int step) {
    return worker.gather(block, worker.sampler(block, seed, epoch, shuffle, partitions), step, stepsPerEpoch);
  }

  /** The worker's generator, reseeded for the dropout masks of {@code block}'s share of one step (as a single JVM's). */
  Rng dropout(ExecutorWorkers.Worker worker, int epoch, int step, DataBlock block) {
    return StepRandom.dropout(worker.rng, seed, epoch, step, block.partition());
  }
}
