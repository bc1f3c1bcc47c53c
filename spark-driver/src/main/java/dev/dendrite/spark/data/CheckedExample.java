package dev.dendrite.spark.data;

import java.io.Serializable;

/**
 * One row as read from a data file: a valid {@link Example}, or the {@link DataProblem} that makes it
 * invalid (exactly one of the two is set). Readers emit at most one problem per partition, then stop.
 */
public record CheckedExample(Example example, DataProblem problem) implements Serializable {

  public static CheckedExample of(Example example) {
    return new CheckedExample(example, null);
  }

  public static CheckedExample of(DataProblem problem) {
    return new CheckedExample(null, problem);
  }
}
