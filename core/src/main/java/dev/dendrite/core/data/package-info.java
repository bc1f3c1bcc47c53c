/**
 * Data in: readers for IDX, CSV and LibSVM files, the in-memory {@link dev.dendrite.core.data.Dataset}
 * cut into mini-batches by offset, preprocessing fitted on the training split and saved with the model,
 * seeded splits, class weights and over-sampling.
 */
package dev.dendrite.core.data;
