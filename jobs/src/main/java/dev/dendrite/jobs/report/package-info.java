/**
 * The training report {@code dendrite train} writes as {@code report.html}: one self-contained page of
 * curves, confusion matrix, per-class metrics, timings, Spark settings and configuration, drawn as inline SVG.
 */
package dev.dendrite.jobs.report;
