/** Strict reading of configuration maps (parsed JSON or YAML): every key known, every value checked. */
package dev.dendrite.core.config;
