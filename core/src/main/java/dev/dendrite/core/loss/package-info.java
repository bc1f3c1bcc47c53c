/**
 * Loss functions: each gives the batch's summed (optionally weighted) loss and its gradient with
 * respect to the network output; some also give the fused gradient with respect to the output
 * layer's pre-activation (softmax + cross-entropy, sigmoid + binary cross-entropy, step + perceptron).
 */
package dev.dendrite.core.loss;
