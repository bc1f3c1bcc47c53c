package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.loss.Task;
import java.util.Locale;

/**
 * Weights that make rare classes count more in the loss: "balanced" ones computed from the class counts
 * as scikit-learn does, turned into the per-example weights a {@link Dataset} carries.
 */
public final class ClassWeights {

  private ClassWeights() {
  }

  /**
   * {@code w_c = n / (k · count_c)} over the k classes present, computed in double (scikit-learn's
   * {@code class_weight="balanced"}) from the examples per class, n being their sum: the weighted count of
   * every present class is n / k, and the mean example weight is 1. A class with no example gets weight 0.
   */
  public static float[] balanced(long[] counts) {
    long n = 0;
    int present = 0;
    for (long c : counts) {
      n += c;
      present += c > 0 ? 1 : 0;
    }
    float[] w = new float[counts.length];
    for (int c = 0; c < counts.length; c++) {
      w[c] = counts[c] == 0 ? 0f : (float) ((double) n / ((double) present * counts[c]));
    }
    return w;
  }

  /**
   * How many classes {@code class_weight: balanced} weighs for a network with {@code outputs} outputs
   * whose loss implies {@code task}: the outputs of a multi-class network, two for a binary one. A
   * multi-label or regression task has no single class per example: that fails, naming the key.
   */
  public static int classesFor(Task task, int outputs) {
    return switch (task) {
      case MULTICLASS -> outputs;
      case BINARY_PROBABILITY, BINARY_SCORE -> 2;
      default -> throw new ConfigException("class_weight", "'balanced' weighs every example by its class, but "
          + "the examples of a " + task.name().toLowerCase(Locale.ROOT) + " task have no single class; use 'none'");
    };
  }

  /**
   * The class named by row {@code row} of targets in the loss's form, {@code width} floats per row: a
   * class index in {@code [0, classes)} when the rows are one float wide (a binary score's -1 is class 0,
   * as the hinge losses read it), the position of the single 1 of a one-hot row otherwise.
   */
  public static int classOf(float[] targets, int row, int width, int classes) {
    int base = row * width;
    if (width == 1) {
      float v = targets[base];
      if (classes == 2 && v == -1f) {
        return 0;
      }
      if (v >= 0 && v < classes && v == (int) v) {
        return (int) v;
      }
      throw new IllegalArgumentException("row " + row + ": target " + v + " is not a class index in [0, "
          + classes + ") (class_weight: balanced)");
    }
    int found = -1;
    for (int c = 0; c < width; c++) {
      float v = targets[base + c];
      if (v == 1f && found < 0) {
        found = c;
      } else if (v != 0f) {
        found = -2;
        break;
      }
    }
    if (found < 0 || width != classes) {
      throw new IllegalArgumentException("row " + row + ": a target row of " + width + " values is not one-hot over "
          + classes + " classes (class_weight: balanced)");
    }
    return found;
  }

  /** The examples of each class among {@code rows} target rows ({@link #classOf}). */
  public static long[] counts(float[] targets, int rows, int width, int classes) {
    long[] counts = new long[classes];
    for (int r = 0; r < rows; r++) {
      counts[classOf(targets, r, width, classes)]++;
    }
    return counts;
  }

  /**
   * Each example's weight: its class's weight times its own weight ({@code weights}, null when every
   * example weighs 1).
   */
  public static float[] weigh(float[] targets, int rows, int width, float[] classWeights, float[] weights) {
    float[] w = new float[rows];
    for (int r = 0; r < rows; r++) {
      w[r] = classWeights[classOf(targets, r, width, classWeights.length)];
      if (weights != null) {
        w[r] *= weights[r];
      }
    }
    return w;
  }

  /**
   * {@code data} weighted for {@code class_weight: balanced}: every example's weight multiplied by
   * {@code n / (k · count_c)} of its class, classes read from its targets in the loss's form.
   */
  public static Dataset balance(Dataset data, Task task, int outputs) {
    int classes = classesFor(task, outputs);
    float[] classWeights = balanced(counts(data.targets(), data.size(), data.targetWidth(), classes));
    return data.withWeights(weigh(data.targets(), data.size(), data.targetWidth(), classWeights,
        data.hasWeights() ? data.weights() : null));
  }
}
