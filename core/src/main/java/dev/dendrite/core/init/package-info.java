/** Parameter initializers; each draws from a generator the caller supplies, so the same seed gives the same weights. */
package dev.dendrite.core.init;
