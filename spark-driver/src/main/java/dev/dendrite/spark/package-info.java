/**
 * Data-parallel training on Spark: executors compute mini-batch gradients with the core on their cached
 * partitions; the driver combines them, steps the optimizer and broadcasts the new weights (in local
 * mode it hands them over by reference instead, see {@link dev.dendrite.spark.VectorExchange}).
 */
package dev.dendrite.spark;
