package dev.dendrite.core.tensor;

import java.math.BigInteger;
import java.util.Arrays;

/** The shape of one example's tensor (no batch dimension), e.g. {@code [784]} or {@code [1, 28, 28]}. */
public final class Shape {

  private final int[] dims;

  private Shape(int[] dims) {
    long size = 1;
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be positive, got " + Arrays.toString(dims));
      }
      size = Math.min(size * d, Long.MAX_VALUE / Integer.MAX_VALUE); // saturates instead of overflowing
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has " + product(dims)
          + " elements; one tensor holds at most " + Integer.MAX_VALUE + " (a Java array)");
    }
    this.dims = dims;
  }

  /** The exact product of the dimensions, as text (it may exceed a long). */
  private static String product(int[] dims) {
    BigInteger p = BigInteger.ONE;
    for (int d : dims) {
      p = p.multiply(BigInteger.valueOf(d));
    }
    return p.toString();
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
