package dev.dendrite.core.io;

/** Malformed JSON, or a value JSON cannot hold; the message names where (line and column, or key path). */
public final class JsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  JsonException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
  }

  /** The 1-based line of a parse error, or 0 for a write error. */
  public int line() {
    return line;
  }

  /** The 1-based column of a parse error, or 0 for a write error. */
  public int column() {
    return column;
  }
}
