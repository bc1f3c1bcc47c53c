package dev.dendrite.core.io;

import java.io.IOException;

/** A model file that cannot be read or written; the message names the file and what is wrong with it. */
public final class ModelFileException extends IOException {

  private static final long serialVersionUID = 1L;

  ModelFileException(String source, String problem) {
    super("model file " + source + ": " + problem);
  }

  ModelFileException(String source, String problem, Throwable cause) {
    super("model file " + source + ": " + problem, cause);
  }
}
