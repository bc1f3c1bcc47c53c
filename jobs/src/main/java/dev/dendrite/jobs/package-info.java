/**
 * spark-submit entry points (train, evaluate, predict, benchmark) driven by configuration files: they
 * build a validated configuration and call the Spark driver; no training logic lives here.
 */
package dev.dendrite.jobs;
