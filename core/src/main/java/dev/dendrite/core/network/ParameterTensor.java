package dev.dendrite.core.network;

/**
 * One named tensor in the flat parameter vector: elements {@code [offset, offset + size)}.
 * Names are {@code <layer>/<param>}, e.g. {@code dense_0/W}.
 */
public record ParameterTensor(String name, Shape shape, int offset, double l1, double l2) {

  public int size() {
    return shape.size();
  }

  public int end() {
    return offset + size();
  }
}
