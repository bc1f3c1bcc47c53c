package dev.dendrite.core.tensor;

/**
 * One named tensor in the flat parameter vector: elements {@code [offset, offset + size)}.
 * Names are {@code <layer>/<param>}, e.g. {@code dense_0/W}. A non-trainable tensor (see
 * {@link ParameterSpec#trainable()}) always has a zero gradient and is skipped by penalties and weight decay.
 */
public record ParameterTensor(String name, Shape shape, int offset, double l1, double l2, boolean trainable) {

  /** A trainable tensor. */
  public ParameterTensor(String name, Shape shape, int offset, double l1, double l2) {
    this(name, shape, offset, l1, l2, true);
  }

  public int size() {
    return shape.size();
  }

  public int end() {
    return offset + size();
  }
}
