/**
 * {@code dendrite tune}: search spaces over config keys, the trials grid, random and successive-halving
 * search draw from them, and the ranking and tables of their results.
 */
package dev.dendrite.jobs.tune;
