/** Activation functions g in {@code h = g(Wx + b)}, each with its forward value and its derivative. */
package dev.dendrite.core.activation;
