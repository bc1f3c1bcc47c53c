package dev.dendrite.spark.data;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.TargetEncoding;
import java.io.Serializable;

/**
 * How labels become targets: copied as they are ({@code width} values, a number or a vector), or a class
 * index expanded to a one-hot row of {@code oneHotClasses} values (then equal to {@code width}).
 */
public record TargetSpec(int width, int oneHotClasses) implements Serializable {

  /** Targets copied as they are: a number or a vector of {@code width} values. */
  public static TargetSpec direct(int width) {
    return new TargetSpec(width, 0);
  }

  /** A class index label expanded to a one-hot row of {@code classes} values. */
  public static TargetSpec oneHot(int classes) {
    return new TargetSpec(classes, classes);
  }

  /** The targets {@code loss} wants on {@code outputs} outputs: it says whether labels become one-hot rows. */
  public static TargetSpec of(Loss loss, int outputs) {
    int width = loss.targetWidth(outputs);
    return loss.targetEncoding(outputs) == TargetEncoding.ONE_HOT ? oneHot(width) : direct(width);
  }

  /** Whether a class index becomes a one-hot row. */
  public boolean oneHot() {
    return oneHotClasses > 0;
  }
}
