package dev.dendrite.core.data;

import dev.dendrite.core.train.Task;
import java.io.Serializable;

/**
 * Which single-number labels a loss can learn from, checked where data is read so that a bad label is
 * named with its file and line instead of surfacing as a diverged loss or a phantom class. A class index
 * is an integer in {@code 0..k-1} for a network of {@code k} outputs (at most {@link #MAX_CLASSES}: labels
 * travel as floats, which hold every integer exactly only up to 2^24); a binary label is 0 or 1, and for
 * score losses (hinge, perceptron, Adaline) also -1; a regression target is any finite float.
 *
 * @param kind what the label means
 * @param classes the number of classes for {@link Kind#CLASS_INDEX}, else 0
 */
public record LabelRule(Kind kind, int classes) implements Serializable {

  /** The largest number of classes a class-index label can address: every float integer up to 2^24 is exact. */
  public static final int MAX_CLASSES = 1 << 24;

  /** The kinds of label a loss accepts. */
  public enum Kind {
    /** An integer class index in {@code 0..classes-1}. */
    CLASS_INDEX,
    /** 0 or 1. */
    BINARY,
    /** -1 or +1, with 0 read as -1 (hinge, perceptron and Adaline losses). */
    SIGNED_BINARY,
    /** Any finite float. */
    REAL
  }

  public LabelRule {
    if (kind == Kind.CLASS_INDEX && (classes < 1 || classes > MAX_CLASSES)) {
      throw new IllegalArgumentException("a class-index label needs 1.." + MAX_CLASSES + " classes, got " + classes);
    }
  }

  /** The rule for single-number labels of {@code loss} on a network of {@code outputs} outputs. */
  public static LabelRule of(String loss, int outputs) {
    switch (Task.of(loss, outputs)) {
      case MULTICLASS:
        return new LabelRule(Kind.CLASS_INDEX, Math.min(outputs, MAX_CLASSES));
      case BINARY_PROBABILITY:
      case MULTILABEL:   // single numbers do not fit several outputs; vector targets are probabilities
        return new LabelRule(Kind.BINARY, 0);
      case BINARY_SCORE:
        return new LabelRule(loss.toLowerCase(java.util.Locale.ROOT).startsWith("binary") ? Kind.BINARY
            : Kind.SIGNED_BINARY, 0);
      default:
        return new LabelRule(Kind.REAL, 0);
    }
  }

  /**
   * Why {@code label} (as read, in double) is not a valid label, as the end of a sentence starting with
   * the value ({@code "is not a class index in 0..9 ..."}), or null when it is valid.
   */
  public String problem(double label) {
    if (!Double.isFinite(label)) {
      return "is not a finite number";
    }
    switch (kind) {
      case CLASS_INDEX:
        if (label != Math.rint(label) || label < 0 || label >= classes) {
          return "is not a class index: expected an integer in 0.." + (classes - 1) + " (the network has "
              + classes + " outputs)";
        }
        return null;
      case BINARY:
        return label == 0 || label == 1 ? null : "is not a binary label: expected 0 or 1";
      case SIGNED_BINARY:
        return label == -1 || label == 0 || label == 1 ? null
            : "is not a binary label: expected -1 or +1 (0 is read as -1)";
      default:
        return Math.abs(label) <= Float.MAX_VALUE ? null : "is outside the float range (±3.4e38)";
    }
  }
}
