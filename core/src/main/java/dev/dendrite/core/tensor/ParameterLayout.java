package dev.dendrite.core.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every parameter tensor lives in one flat float vector: name, shape and offset. Broadcasting,
 * aggregation, optimizers, regularizers and model files all work on that vector through this layout.
 */
public final class ParameterLayout {

  private final List<ParameterTensor> tensors;
  private final Map<String, ParameterTensor> byName;
  private final int size;

  public ParameterLayout(List<ParameterTensor> tensors) {
    this.tensors = List.copyOf(tensors);
    Map<String, ParameterTensor> names = new LinkedHashMap<>();
    int expected = 0;
    for (ParameterTensor t : this.tensors) {
      if (t.offset() != expected) {
        throw new IllegalArgumentException("tensor " + t.name() + " starts at " + t.offset()
            + ", expected " + expected + " (tensors must be contiguous and in order)");
      }
      if (names.put(t.name(), t) != null) {
        throw new IllegalArgumentException("duplicate parameter name " + t.name());
      }
      expected = t.end();
    }
    this.byName = Collections.unmodifiableMap(names);
    this.size = expected;
  }

  /** Builds a layout by appending tensors in order. */
  public static final class Builder {
    private final List<ParameterTensor> tensors = new ArrayList<>();
    private int offset;

    public Builder add(String name, Shape shape, double l1, double l2) {
      return add(name, shape, l1, l2, true);
    }

    public Builder add(String name, Shape shape, double l1, double l2, boolean trainable) {
      ParameterTensor t = new ParameterTensor(name, shape, offset, l1, l2, trainable);
      tensors.add(t);
      offset = t.end();
      return this;
    }

    public ParameterLayout build() {
      return new ParameterLayout(tensors);
    }
  }

  /** The total number of floats. */
  public int size() {
    return size;
  }

  public List<ParameterTensor> tensors() {
    return tensors;
  }

  public ParameterTensor tensor(String name) {
    ParameterTensor t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter named " + name + "; the layout has " + byName.keySet());
    }
    return t;
  }

  /** Whether any tensor carries an L1 or L2 penalty. */
  public boolean hasPenalties() {
    for (ParameterTensor t : tensors) {
      if (t.l1() != 0 || t.l2() != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterLayout && tensors.equals(((ParameterLayout) o).tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return "ParameterLayout" + tensors;
  }
}
