/**
 * Files in and out of the core: the versioned binary model file ({@link dev.dendrite.core.io.ModelFile})
 * and the small strict JSON codec its header uses ({@link dev.dendrite.core.io.Json}).
 */
package dev.dendrite.core.io;
