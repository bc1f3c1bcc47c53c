package dev.dendrite.core.optim;

import java.util.Map;

/**
 * The learning rate as a function of the iteration (the number of optimizer steps already taken, from 0).
 * Implementations are immutable and allocation-free in {@link #rate}, which runs once per step; they carry
 * the base learning rate themselves, so an optimizer asks only its schedule.
 */
public interface LearningRateSchedule {

  /** The learning rate for the step taken after {@code iteration} earlier steps ({@code iteration >= 0}). */
  float rate(long iteration);

  /** The schedule's type name: {@code constant}, {@code step}, {@code exponential}, {@code cosine}, {@code warmup}. */
  String name();

  /** A JSON form for logs and model-file metadata: {@code type} and every field, snake_case. */
  Map<String, Object> toMap();
}
