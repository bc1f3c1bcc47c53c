/**
 * Evaluation metrics as mergeable accumulators: confusion matrix, classification (accuracy, top-k,
 * log-loss, ROC-AUC), multi-label and regression metrics. Each has {@code add} and {@code merge}, so
 * Spark partitions compute partial metrics that the driver combines.
 */
package dev.dendrite.core.metrics;
