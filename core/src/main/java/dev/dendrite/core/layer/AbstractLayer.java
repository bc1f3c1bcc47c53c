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
}
