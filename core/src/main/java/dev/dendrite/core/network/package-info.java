/**
 * Sequential networks: the builder a Keras user reads at once, the shallow lecture models, and
 * forward/backward propagation over a mini-batch.
 */
package dev.dendrite.core.network;
