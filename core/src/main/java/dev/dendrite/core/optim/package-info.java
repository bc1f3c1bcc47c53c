/**
 * Optimizers, learning-rate schedules, gradient clipping and penalties, all working on the flat
 * parameter and gradient vectors, so the Spark driver runs them without a network.
 */
package dev.dendrite.core.optim;
