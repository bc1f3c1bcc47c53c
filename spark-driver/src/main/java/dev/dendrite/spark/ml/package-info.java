/**
 * Spark ML estimators and models (classification and regression) that train Dendrite networks inside
 * Pipelines, CrossValidator and TrainValidationSplit, with ML persistence over the documented model file.
 */
package dev.dendrite.spark.ml;
