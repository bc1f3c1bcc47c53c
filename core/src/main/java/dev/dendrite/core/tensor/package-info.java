/**
 * The vocabulary that layers and networks share: a tensor {@link dev.dendrite.core.tensor.Shape}, the
 * {@link dev.dendrite.core.tensor.ParameterSpec} a layer declares for each of its weights, and the
 * {@link dev.dendrite.core.tensor.ParameterLayout} that packs every parameter of a network into one flat
 * vector, viewed per tensor through {@link dev.dendrite.core.tensor.ParameterTensor}.
 *
 * <p>It sits below both {@code layer} and {@code network} so that neither package needs the other's
 * types to describe a parameter: {@code network} builds on {@code layer}, never the reverse.
 */
package dev.dendrite.core.tensor;
