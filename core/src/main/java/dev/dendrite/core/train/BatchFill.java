package dev.dendrite.core.train;

/**
 * Fills rows {@code [from, to)} of a step's batch buffers (inputs, targets, weights) from the data set.
 * {@link ParallelGradient} calls it on all of a step's threads at once, each with its own disjoint rows,
 * so that copying the batch is spread over the threads instead of preceding the step on one of them.
 */
@FunctionalInterface
public interface BatchFill {

  void rows(int from, int to);
}
