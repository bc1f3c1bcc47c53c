/**
 * Seeded, reseedable random generators. Every random draw in Dendrite (initialization, shuffling,
 * dropout, sampling) takes its generator from the caller; nothing uses a global generator.
 */
package dev.dendrite.core.random;
