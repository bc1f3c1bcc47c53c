/**
 * The data boundary: files (IDX, LibSVM, CSV, Parquet) and DataFrames become checked, preprocessed,
 * cached {@link dev.dendrite.spark.data.DataBlock}s, one per partition, before training starts; every
 * later step reads only the cache. {@link dev.dendrite.spark.data.TrainingData#load} is the entry point
 * for "read and prepare the data of this config"; imports only {@code core}, never the trainer.
 */
package dev.dendrite.spark.data;
