package dev.dendrite.core.loss;

/**
 * How a loss wants a single-number label turned into its targets: as it is, or (for a loss over a
 * distribution of classes) a class index expanded to a one-hot row. Every reader of labelled data —
 * {@code LocalTrainer}, the Spark data boundary, DataFrames given to the estimators — asks the loss
 * ({@link Loss#targetEncoding}) instead of deciding by name.
 */
public enum TargetEncoding {
  /** Targets are the label (or label vector) as given. */
  AS_GIVEN,
  /** A class index {@code k} becomes a row of {@code targetWidth} values, 1 at {@code k}, 0 elsewhere. */
  ONE_HOT
}
