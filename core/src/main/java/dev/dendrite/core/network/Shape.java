package dev.dendrite.core.network;

import java.util.Arrays;

/** The shape of one example's tensor (no batch dimension), e.g. {@code [784]} or {@code [1, 28, 28]}. */
public final class Shape {

  private final int[] dims;

  private Shape(int[] dims) {
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be positive, got " + Arrays.toString(dims));
      }
    }
    this.dims = dims;
  }

  public static Shape of(int... dims) {
    if (dims.length == 0) {
      throw new IllegalArgumentException("a shape needs at least one dimension");
    }
    return new Shape(dims.clone());
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  public int[] dims() {
    return dims.clone();
  }

  /** The number of elements: the product of the dimensions. */
  public int size() {
    int n = 1;
    for (int d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
