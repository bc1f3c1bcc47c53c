package dev.dendrite.core.layer;

/**
 * A layer that adds a term of its own to the loss of the batch, besides the loss on the network's
 * output — a variational autoencoder's KL divergence. {@code Network} asks for the term after every
 * forward pass that computes a loss (training and inference alike), adds {@code weight() · term} to the
 * loss it reports, and in training the layer's next {@link #backward} adds the term's gradient to
 * {@code dX}. Every trainer gets the term this way, locally and on Spark, because every one of them
 * computes its gradients and losses through {@code Network}.
 */
public interface LossTermLayer extends Layer {

  /** The term's name in metrics and reports, e.g. {@code kl}. */
  String termName();

  /** The term's weight in the loss (a β-VAE's β). */
  double termWeight();

  /**
   * The unweighted term of the last forward pass summed over its {@code batch} examples, each multiplied
   * by its example weight ({@code weights[wOffset + r]}, or 1 when {@code weights} is null). When
   * {@code scale} is not 0 the next {@link #backward} adds {@code scale · termWeight() · w_r · ∂term_r/∂x}
   * to {@code dX}; with {@code scale} 0 it adds nothing (inference, or a loss value only). The weights
   * array is read again in that backward pass and must not change before it.
   */
  double term(float[] weights, int wOffset, int batch, float scale);
}
