package dev.dendrite.spark.collective;

import java.io.IOException;

/**
 * A collective operation, the group's formation or the tracker failed: a peer closed its connection,
 * sent something other than the protocol expects, or nothing within the timeout. The message names the
 * rank (and address) and what was expected; {@link #peer} is the rank most likely at fault, or -1.
 */
public class CollectiveException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int peer;

  public CollectiveException(String message, int peer) {
    super(message);
    this.peer = peer;
  }

  public CollectiveException(String message, int peer, Throwable cause) {
    super(message, cause);
    this.peer = peer;
  }

  /** The rank this failure points at (the one that closed, sent garbage or stayed silent), or -1. */
  public int peer() {
    return peer;
  }
}
