package dev.dendrite.core.train;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Computes one mini-batch gradient on several threads: the batch is cut into contiguous chunks, each
 * chunk runs on a replica that shares the network's parameters, and the replicas' gradients are summed
 * into the network's gradient vector in a fixed order. The result depends only on the data, the seed
 * and the thread count, never on scheduling. With one thread it is exactly
 * {@link Network#computeGradients}.
 */
public final class ParallelGradient implements AutoCloseable {

  private final Network network;
  private final Network[] replicas; // replicas[0] is the network itself
  private final Rng[] rngs;
  private final double[] losses;
  private final List<Chunk> chunks = new ArrayList<>();
  private final ExecutorService pool;

  public ParallelGradient(Network network, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.network = network;
    this.replicas = new Network[threads];
    this.rngs = new Rng[threads];
    this.losses = new double[threads];
    for (int i = 0; i < threads; i++) {
      replicas[i] = i == 0 ? network : network.replica();
      rngs[i] = new Rng(0);
      chunks.add(new Chunk(i));
    }
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "dendrite-gradient");
      t.setDaemon(true);
      return t;
    });
  }

  public int threads() {
    return replicas.length;
  }

  public Network network() {
    return network;
  }

  // Arguments of the step in progress, read by the chunks.
  private float[] x;
  private int xOffset;
  private float[] targets;
  private int tOffset;
  private float[] weights;
  private int wOffset;
  private int batch;
  private Loss loss;
  private float scale;

  /** {@link #compute(float[], int, float[], int, float[], int, int, Loss, float, long, int, int)} in epoch 0. */
  public double compute(float[] x, int xOffset, float[] targets, int tOffset, float[] weights, int wOffset,
                        int batch, Loss loss, float scale, long seed, long step) {
    return compute(x, xOffset, targets, tOffset, weights, wOffset, batch, loss, scale, seed, 0, (int) step);
  }

  /**
   * As {@link Network#computeGradients}, spread over the threads; chunk i's dropout masks come from
   * {@link StepRandom#dropout} of (seed, epoch, step, i), so one thread draws what partition 0 of a
   * Spark run draws. The summed gradient is in the network's gradient vector.
   */
  public double compute(float[] x, int xOffset, float[] targets, int tOffset, float[] weights, int wOffset,
                        int batch, Loss loss, float scale, long seed, int epoch, int step) {
    this.x = x;
    this.xOffset = xOffset;
    this.targets = targets;
    this.tOffset = tOffset;
    this.weights = weights;
    this.wOffset = wOffset;
    this.batch = batch;
    this.loss = loss;
    this.scale = scale;
    int used = Math.min(replicas.length, batch);
    for (int i = 0; i < used; i++) {
      StepRandom.dropout(rngs[i], seed, epoch, step, i);
    }
    if (used == 1) {
      return chunks.get(0).call();
    }
    List<Future<Double>> futures = new ArrayList<>(used - 1);
    for (int i = 1; i < used; i++) {
      futures.add(pool.submit(chunks.get(i)));
    }
    losses[0] = chunks.get(0).call();
    try {
      for (int i = 1; i < used; i++) {
        losses[i] = futures.get(i - 1).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing gradients", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    }
    float[] sum = network.gradientArray();
    double total = losses[0];
    for (int i = 1; i < used; i++) {
      float[] g = replicas[i].gradientArray();
      for (int j = 0; j < sum.length; j++) {
        sum[j] += g[j];
      }
      total += losses[i];
    }
    return total;
  }

  private final class Chunk implements Callable<Double> {
    private final int index;

    Chunk(int index) {
      this.index = index;
    }

    @Override
    public Double call() {
      int used = Math.min(replicas.length, batch);
      int start = (int) ((long) batch * index / used);
      int end = (int) ((long) batch * (index + 1) / used);
      int width = network.inputSize();
      int targetWidth = loss.targetWidth(network.outputSize());
      return replicas[index].computeGradients(x, xOffset + start * width, targets,
          tOffset + start * targetWidth, weights, wOffset + start, end - start, loss, scale, rngs[index]);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
