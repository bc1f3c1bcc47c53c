package dev.dendrite.spark.data;

import dev.dendrite.core.data.LabelRule;
import dev.dendrite.core.loss.LossKind;
import java.io.Serializable;

/**
 * How a row's label becomes its target values, and which labels are valid (see {@link LabelRule}): a class
 * index kept as one number or expanded one-hot, a number as it is, or (for an autoencoder, whose targets
 * are its inputs) no label at all, with a placeholder target that is replaced later.
 *
 * @param rule the labels the loss accepts
 * @param width the target values per example
 * @param oneHot whether a class index becomes a one-hot row of {@code width} values
 * @param ignored whether labels are not read at all (targets are the inputs)
 */
record Targets(LabelRule rule, int width, boolean oneHot, boolean ignored) implements Serializable {

  /** Targets of {@code loss} on {@code outputs} outputs, laid out as {@code layout} says. */
  static Targets of(LossKind loss, int outputs, TargetSpec layout, boolean inputsAsTargets) {
    return new Targets(LabelRule.of(loss, outputs), inputsAsTargets ? 1 : layout.width(), layout.oneHot(),
        inputsAsTargets);
  }

  /** The placeholder target of an example whose label is ignored. */
  float[] placeholder() {
    return new float[1];
  }

  /** Why a single-number label is invalid (see {@link LabelRule#problem}), or null. */
  String problem(double label) {
    if (!oneHot && width != 1) {
      return "is a single number, but the loss needs " + width + " target values per example (use a vector column)";
    }
    return rule.problem(label);
  }

  /** The target values of a valid single-number label. */
  float[] of(double label) {
    if (oneHot) {
      float[] t = new float[width];
      t[(int) label] = 1f;
      return t;
    }
    return new float[] {(float) label};
  }
}
