package dev.dendrite.core.data;

import java.util.Arrays;

/** A growable float array for readers that do not know the row count in advance. */
final class FloatList {

  private float[] values;
  private int size;

  FloatList(int capacity) {
    values = new float[Math.max(16, capacity)];
  }

  void add(float v) {
    if (size == values.length) {
      grow(size + 1);
    }
    values[size++] = v;
  }

  /** Appends {@code count} zeros and returns the index of the first. */
  int addZeros(int count) {
    if (size + count > values.length) {
      grow(size + count);
    }
    int start = size;
    size += count;
    return start;
  }

  void set(int i, float v) {
    values[i] = v;
  }

  float get(int i) {
    return values[i];
  }

  int size() {
    return size;
  }

  private void grow(int needed) {
    if (needed < 0 || needed > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " floats do not fit in one array");
    }
    long next = Math.max(needed, (long) values.length + (values.length >> 1));
    values = Arrays.copyOf(values, (int) Math.min(next, Integer.MAX_VALUE - 8));
  }

  /** The values as an array of exactly {@link #size()} floats. */
  float[] toArray() {
    return size == values.length ? values : Arrays.copyOf(values, size);
  }
}
