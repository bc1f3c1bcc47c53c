package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.Shape;

/**
 * What every layer keeps the same way — its name, its configuration and its input shape — so that a
 * layer's class shows only its parameters, its output shape and its forward and backward passes.
 * Optional: a layer may implement {@link Layer} directly.
 *
 * @param <C> the layer's configuration record
 */
public abstract class AbstractLayer<C extends LayerConfig> implements Layer {

  protected final String name;
  protected final C config;
  protected final Shape inputShape;

  protected AbstractLayer(String name, C config, Shape inputShape) {
    this.name = name;
    this.config = config;
    this.inputShape = inputShape;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Shape inputShape() {
    return inputShape;
  }

  @Override
  public final C config() {
    return config;
  }

  /**
   * {@code input} when it is a sequence, {@code [steps, features]}; otherwise fails naming the layer type,
   * the shape and {@code hint} (what to put before the layer).
   */
  protected static Shape sequenceInput(String type, Shape input, String hint) {
    if (input.rank() != 2) {
      throw new IllegalArgumentException(type + " needs an input of shape [steps, features] (rank 2), got input "
          + "shape " + input + hint);
    }
    return input;
  }
}
