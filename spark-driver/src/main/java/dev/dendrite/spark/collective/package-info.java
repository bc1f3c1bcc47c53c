/**
 * The transport of collective training (issue 13): a tracker on the driver introduces long-lived
 * barrier tasks to each other, which then all-reduce directly over authenticated sockets, summing in
 * rank order. Plain {@code java.nio}; no Spark classes. The protocol is in {@code docs/collective.md}.
 */
package dev.dendrite.spark.collective;
