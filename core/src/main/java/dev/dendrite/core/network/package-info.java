/**
 * Sequential networks: shapes, the flat parameter layout, the builder a Keras user reads at once, and
 * forward/backward propagation over a mini-batch.
 */
package dev.dendrite.core.network;
