package dev.dendrite.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as the format it claims to be; the message names the file and where
 * in it (line and column, token, or byte offset) the problem is.
 */
public class DataFileException extends IOException {

  private final transient Path file;

  /** A complete message, which must name {@code file}. */
  public DataFileException(Path file, String message) {
    super(message);
    this.file = file;
  }

  public DataFileException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** {@code "<file>: <where>: <what>"}, e.g. where = {@code "line 7, column 3 'age' (index 2)"}. */
  public static DataFileException at(Path file, String where, String what) {
    return new DataFileException(file, file + ": " + where + ": " + what);
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
