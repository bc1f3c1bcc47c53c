/**
 * Data-parallel training on Spark: executors compute mini-batch gradients with the core on their cached
 * partitions; the driver combines them, steps the optimizer and broadcasts the new weights.
 */
package dev.dendrite.spark;
