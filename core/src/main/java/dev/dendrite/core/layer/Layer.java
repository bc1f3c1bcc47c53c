package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One layer of a sequential network, working on a batch of examples stored row-major: the input
 * {@code x [batch, inputShape.size()]} starts at {@code xOffset}; outputs and gradients start at 0.
 *
 * <p>Life cycle: the network reads {@link #parameters()}, places them in its flat vector and calls
 * {@link #bind}; it calls {@link #allocate} once per largest batch size; then forward and backward
 * any number of times without allocating.
 */
public interface Layer {

  /**
   * How many separate predictions one example's output holds, each of {@code outputShape().size() /
   * outputPositions()} values: 1, except for position-wise outputs ({@link TimeDistributedDenseLayer}: one per
   * position of a sequence). As the last layer, its loss and metrics are taken per position; an example's
   * loss is the mean over its positions.
   */
  default int outputPositions() {
    return 1;
  }

  /** A unique name within the network, e.g. {@code dense_0}; parameter names are prefixed with it. */
  String name();

  Shape inputShape();

  Shape outputShape();

  /** The configuration that rebuilds this layer. */
  LayerConfig config();

  /** The parameter tensors this layer needs, in layout order; empty when it has none. */
  List<ParameterSpec> parameters();

  /** Where this layer's parameters and their gradients live: {@code [offset, offset + Σ sizes)}. */
  void bind(float[] params, float[] grads, int offset);

  /** Allocates scratch space for batches of up to {@code maxBatch} examples. */
  void allocate(int maxBatch);

  /**
   * {@code y = f(x)} for {@code batch} examples. {@code training} switches dropout-like behaviour;
   * {@code rng} is the only source of randomness (may be null when {@code training} is false).
   */
  void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng);

  /**
   * Backpropagation after {@link #forward} on the same batch: adds {@code ∂L/∂θ} into the bound
   * gradient vector and writes {@code dX = ∂L/∂x} (skipped when {@code dX} is null, i.e. for the first
   * layer). {@code dY} may be overwritten.
   */
  void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch);

  /**
   * Asked once by the network that owns this layer (never by a layer that composes it): from now on, may
   * {@link #backward} <em>overwrite</em> this layer's gradient slice instead of adding into it? A layer
   * that answers true writes every element of its slice on every backward, and the network stops zeroing
   * that slice before each batch (a pass over the slice saved per step). The default answers false and
   * keeps adding, which is always correct.
   */
  default boolean overwriteGradients() {
    return false;
  }
}
