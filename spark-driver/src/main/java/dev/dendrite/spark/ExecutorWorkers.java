package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.LossKind;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.EpochSampler;
import dev.dendrite.spark.data.DataBlock;
import java.util.HashMap;
import java.util.Map;

/**
 * Per executor thread, the network and buffers a task works with, built once and reused by every later
 * step (Spark's task threads are pooled): a network with its workspaces, a batch buffer, a sampler and
 * the generator for dropout. Keyed by the network configuration and the loss (see {@link StepWork#worker()}).
 */
final class ExecutorWorkers {

  private static final ThreadLocal<Map<Key, Worker>> WORKERS = ThreadLocal.withInitial(HashMap::new);

  /** What a worker is built from: equal keys share one worker. */
  private record Key(Map<String, Object> network, LossKind loss) {
  }

  private ExecutorWorkers() {
  }

  /**
   * This thread's worker for the given network configuration (as {@link NetworkConfig#toMap()}) and loss;
   * tasks reach it through {@link StepWork#worker()}.
   */
  static Worker worker(Map<String, Object> networkConfig, LossKind loss) {
    return WORKERS.get().computeIfAbsent(new Key(networkConfig, loss), k -> new Worker(
        new Network(NetworkConfig.read(new ConfigMap("network", networkConfig))), loss.create()));
  }

  /** One thread's working set. */
  static final class Worker {
    final Network network;
    final Loss loss;
    final Rng rng = new Rng(0);
    private EpochSampler sampler;
    private int samplerSize = -1;
    private long samplerKey = Long.MIN_VALUE;
    private long samplerShare = -1;
    private float[] x = new float[0];
    private float[] t = new float[0];
    private float[] w = new float[0];
    private dev.dendrite.core.train.ParameterUpdate localUpdate;
    private String localUpdateKey;

    Worker(Network network, Loss loss) {
      this.network = network;
      this.loss = loss;
    }

    /**
     * The block's epoch order for (seed, epoch), computed once per epoch and block; the block is share
     * {@code block.partition()} of {@code partitions}.
     */
    EpochSampler sampler(DataBlock block, long seed, int epoch, boolean shuffle, int partitions) {
      long key = Rng.mix(seed, epoch, block.partition(), shuffle ? 1 : 0, partitions);
      if (sampler == null || samplerSize != block.size() || samplerKey != key) {
        long share = (long) block.partition() << 32 | partitions;
        if (sampler == null || samplerSize != block.size() || samplerShare != share) {
          sampler = new EpochSampler(block.size(), block.partition(), partitions);
          samplerSize = block.size();
          samplerShare = share;
        }
        sampler.order(seed, epoch, block.partition(), shuffle);
        samplerKey = key;
      }
      return sampler;
    }

    /**
     * Gathers step {@code step}'s rows of the block into the worker's buffers and returns their count;
     * read them through {@link #x()}, {@link #t()}, {@link #w()}.
     */
    int gather(DataBlock block, EpochSampler sampler, int step, int steps) {
      int rows = sampler.sliceSize(step, steps);
      if (x.length < rows * block.featureWidth()) {
        x = new float[rows * block.featureWidth()];
        t = new float[rows * block.targetWidth()];
        w = new float[rows];
      }
      sampler.gather(block.features(), block.featureWidth(), step, steps, x);
      sampler.gather(block.targets(), block.targetWidth(), step, steps, t);
      if (block.weights() != null) {
        sampler.gather(block.weights(), 1, step, steps, w);
      }
      return rows;
    }

    /** The optimizer (with its update rule) for local steps in parameter averaging, built once. */
    dev.dendrite.core.train.ParameterUpdate localUpdate(String key,
        java.util.function.Supplier<dev.dendrite.core.train.ParameterUpdate> factory) {
      if (localUpdate == null || !key.equals(localUpdateKey)) {
        localUpdate = factory.get();
        localUpdateKey = key;
      }
      return localUpdate;
    }

    float[] x() {
      return x;
    }

    float[] t() {
      return t;
    }

    float[] w(DataBlock block) {
      return block.weights() == null ? null : w;
    }
  }
}
