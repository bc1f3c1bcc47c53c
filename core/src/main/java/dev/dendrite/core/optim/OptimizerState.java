package dev.dendrite.core.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an optimizer must remember between steps, as checkpoints and model files store it: the optimizer's
 * name, the number of steps taken and its named state vectors ({@code m}, {@code v}, {@code velocity}, ...)
 * in a fixed order. Immutable: the vectors are copied in and copied out, so a saved state never changes.
 */
public final class OptimizerState {

  private final String optimizer;
  private final long iterations;
  private final Map<String, float[]> slots; // insertion-ordered, private copies

  /**
   * @param optimizer  the optimizer's {@link Optimizer#name()}, e.g. {@code adam}
   * @param iterations the steps taken, {@code >= 0}
   * @param slots      named state vectors in the optimizer's order (copied); all of one length
   */
  public OptimizerState(String optimizer, long iterations, Map<String, float[]> slots) {
    if (optimizer == null || optimizer.isEmpty()) {
      throw new IllegalArgumentException("optimizer state: the optimizer name is missing");
    }
    if (iterations < 0) {
      throw new IllegalArgumentException("optimizer state of " + optimizer + ": iterations must be >= 0, got "
          + iterations);
    }
    Map<String, float[]> copy = new LinkedHashMap<>();
    int length = -1;
    for (Map.Entry<String, float[]> e : slots.entrySet()) {
      float[] v = e.getValue();
      if (e.getKey() == null || v == null) {
        throw new IllegalArgumentException("optimizer state of " + optimizer + ": slot " + e.getKey()
            + " has no name or no values");
      }
      if (length >= 0 && v.length != length) {
        throw new IllegalArgumentException("optimizer state of " + optimizer + ": slot " + e.getKey() + " has "
            + v.length + " values, the slots before it have " + length);
      }
      length = v.length;
      copy.put(e.getKey(), v.clone());
    }
    this.optimizer = optimizer;
    this.iterations = iterations;
    this.slots = Collections.unmodifiableMap(copy);
  }

  /** The name of the optimizer that produced this state, e.g. {@code adam}. */
  public String optimizer() {
    return optimizer;
  }

  /** The number of steps taken when the state was saved. */
  public long iterations() {
    return iterations;
  }

  /** A deep copy of the state vectors, in the optimizer's order (empty for plain SGD). */
  public Map<String, float[]> slots() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> e : slots.entrySet()) {
      out.put(e.getKey(), e.getValue().clone());
    }
    return out;
  }

  /** The slot names in order. */
  public List<String> slotNames() {
    return List.copyOf(slots.keySet());
  }

  /** A copy of one state vector; fails naming the slots there are. */
  public float[] slot(String name) {
    return view(name).clone();
  }

  /** The length of the state vectors (the parameter count they were made for), or -1 without slots. */
  public int slotLength() {
    return slots.isEmpty() ? -1 : slots.values().iterator().next().length;
  }

  /** The stored vector itself, for copying out inside the package without a second copy. */
  float[] view(String name) {
    float[] v = slots.get(name);
    if (v == null) {
      throw new IllegalArgumentException("optimizer state of " + optimizer + " has no slot '" + name
          + "'; it has " + slots.keySet());
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OptimizerState)) {
      return false;
    }
    OptimizerState s = (OptimizerState) o;
    if (!optimizer.equals(s.optimizer) || iterations != s.iterations
        || !List.copyOf(slots.keySet()).equals(List.copyOf(s.slots.keySet()))) {
      return false;
    }
    for (Map.Entry<String, float[]> e : slots.entrySet()) {
      if (!Arrays.equals(e.getValue(), s.slots.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = optimizer.hashCode() * 31 + Long.hashCode(iterations);
    for (Map.Entry<String, float[]> e : slots.entrySet()) {
      h = h * 31 + e.getKey().hashCode();
      h = h * 31 + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    return "OptimizerState{" + optimizer + ", iterations=" + iterations + ", slots=" + slots.keySet()
        + (slots.isEmpty() ? "" : " x " + slotLength()) + "}";
  }
}
