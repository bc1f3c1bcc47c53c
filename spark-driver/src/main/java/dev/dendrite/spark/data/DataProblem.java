package dev.dendrite.spark.data;

import java.io.Serializable;

/**
 * The first bad row of a partition, found where the row was read and carried as data to the driver
 * (a deterministic data error thrown inside a task would be retried and arrive wrapped in Spark's job
 * failure). It names the file, the position of the row in it, the column, the value and what is wrong.
 *
 * @param file the data file
 * @param position a byte offset of the line ({@link Unit#BYTE_OFFSET}) or a 0-based row index
 *     ({@link Unit#RECORD}); the driver turns a byte offset into a line number when it reports the problem
 * @param unit what {@code position} counts
 * @param column the column, field or token, e.g. {@code "column 'x2' (index 1)"}, or null for the whole row
 * @param value the offending value as written in the file
 * @param reason what is wrong, continuing a sentence that starts with the value
 */
public record DataProblem(String file, long position, Unit unit, String column, String value, String reason)
    implements Serializable, Comparable<DataProblem> {

  /** What {@link #position} counts. */
  public enum Unit { BYTE_OFFSET, RECORD }

  /** The problem's paragraph, with {@code where} naming the row (e.g. {@code "line 7"}, {@code "record 12"}). */
  public String message(String where) {
    return file + ", " + where + (column == null ? "" : ", " + column) + ": " + quoted(value) + " " + reason;
  }

  /** The values as written, shortened to 80 characters: a whole line can be long. */
  private static String quoted(String value) {
    String v = value.length() > 80 ? value.substring(0, 77) + "..." : value;
    return "'" + v + "'";
  }

  /** File order, then position in the file: the earliest problem is the one reported. */
  @Override
  public int compareTo(DataProblem o) {
    int c = file.compareTo(o.file);
    return c != 0 ? c : Long.compare(position, o.position);
  }

  /** The earlier of two problems, either of which may be null. */
  static DataProblem earlier(DataProblem a, DataProblem b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }
}
