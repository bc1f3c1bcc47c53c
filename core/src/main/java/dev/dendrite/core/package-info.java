/**
 * Dendrite's pure-Java network core: layers, activations, losses, optimizers and backpropagation over
 * one flat float parameter vector. Nothing here imports Spark or Hadoop.
 */
package dev.dendrite.core;
