package dev.dendrite.core.train;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;

/** Evaluates a network in inference mode over arrays of examples, batch by batch, into an {@link Evaluation}. */
public final class Evaluator {

  private Evaluator() {
  }

  /**
   * Adds {@code n} examples ({@code x [n, inputSize]}, {@code t [n, targetWidth]}, optional weights)
   * to {@code into}, in batches of {@code batchSize}; returns {@code into}.
   */
  public static Evaluation evaluate(Network network, Loss loss, float[] x, float[] t, float[] w, int n,
                                    int batchSize, Evaluation into) {
    int in = network.inputSize();
    int width = network.outputSize();
    int tw = network.targetWidth(loss);
    int positions = network.outputPositions();
    for (int start = 0; start < n; start += batchSize) {
      int b = Math.min(batchSize, n - start);
      double l = network.loss(x, start * in, t, start * tw, w, start, b, loss);
      into.add(network.lastOutput(), width, t, start * tw, tw, b, positions, l);
    }
    return into;
  }
}
