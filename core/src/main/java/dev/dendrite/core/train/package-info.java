/** Training on one JVM: mini-batch steps, data-parallel gradients over threads, the Keras-like fit loop. */
package dev.dendrite.core.train;
