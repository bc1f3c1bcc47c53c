/**
 * Layers: each pairs its forward with its backward, owns only its shape, its math and its scratch
 * space; its parameters live in the network's flat vector at an offset the network assigns.
 */
package dev.dendrite.core.layer;
