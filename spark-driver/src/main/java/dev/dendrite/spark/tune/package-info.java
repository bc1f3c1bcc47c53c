/**
 * Hyperparameter search on Spark: many small trainings run at once, each a Spark task training on one
 * executor core with core's {@code LocalTrainer} over data every executor holds once.
 */
package dev.dendrite.spark.tune;
