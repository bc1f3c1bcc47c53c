package dev.dendrite.spark.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One non-blocking socket with blocking reads and writes that end at a deadline: the building block of
 * the handshakes and the tracker channel, where code reads best in sequence. A read and a write may run
 * at the same time on two threads (each side waits on its own selector), but never two reads or two
 * writes. Deadlines are {@link System#nanoTime} values.
 */
final class Connection implements AutoCloseable {

  private final SocketChannel channel;
  private volatile int peerRank;
  private volatile String peer;
  private Selector readSelector;
  private Selector writeSelector;

  /** Wraps an accepted or connected channel; {@code peer} names the other end in messages. */
  Connection(SocketChannel channel, String peer, int peerRank) throws IOException {
    this.channel = channel;
    this.peer = peer;
    this.peerRank = peerRank;
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
  }

  /** Connects to {@code address} by {@code deadline}; {@code peer} names it in messages. */
  static Connection connect(InetSocketAddress address, String peer, int peerRank, long deadline) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try (Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      if (!channel.connect(address)) {
        channel.register(selector, SelectionKey.OP_CONNECT);
        while (!channel.finishConnect()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new CollectiveException("could not connect to " + peer + " within the timeout", peerRank);
          }
          selector.select(millis(left));
          selector.selectedKeys().clear();
        }
      }
      return new Connection(channel, peer, peerRank);
    } catch (CollectiveException e) {
      channel.close();
      throw e;
    } catch (IOException e) {
      channel.close();
      throw new CollectiveException("could not connect to " + peer + ": " + e.getMessage(), peerRank, e);
    }
  }

  SocketChannel channel() {
    return channel;
  }

  String peer() {
    return peer;
  }

  int peerRank() {
    return peerRank;
  }

  /** Names the other end once it has proved who it is. */
  void identify(String name, int rank) {
    this.peer = name;
    this.peerRank = rank;
  }

  /** One non-blocking read into {@code buffer}: the bytes read, 0 if none had arrived; end of stream is an error. */
  int readAvailable(ByteBuffer buffer, String what) throws IOException {
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException e) {
      throw new CollectiveException(peer + " failed while we waited for " + what + ": " + e.getMessage(), peerRank, e);
    }
    if (n < 0) {
      throw new CollectiveException(peer + " closed the connection while we waited for " + what, peerRank);
    }
    return n;
  }

  /** Waits until bytes can be read or {@code deadline} passes; false if it passed. */
  boolean awaitReadable(long deadline) throws IOException {
    if (readSelector == null) {
      readSelector = Selector.open();
      channel.register(readSelector, SelectionKey.OP_READ);
    }
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      int ready = readSelector.select(millis(left));
      readSelector.selectedKeys().clear();
      if (ready > 0) {
        return true;
      }
    }
  }

  /** Reads until {@code buffer} is full; {@code what} names the expected data in messages. */
  void readFully(ByteBuffer buffer, long deadline, String what) throws IOException {
    int wanted = buffer.remaining();
    while (buffer.hasRemaining()) {
      int n;
      try {
        n = channel.read(buffer);
      } catch (IOException e) {
        throw new CollectiveException(peer + " failed while we waited for " + what + ": " + e.getMessage(), peerRank, e);
      }
      if (n < 0) {
        throw new CollectiveException(peer + " closed the connection while we waited for " + what + " (got "
            + (wanted - buffer.remaining()) + " of " + wanted + " bytes)", peerRank);
      }
      if (n == 0) {
        if (readSelector == null) {
          readSelector = Selector.open();
          channel.register(readSelector, SelectionKey.OP_READ);
        }
        await(readSelector, deadline, what, wanted - buffer.remaining(), wanted);
      } else if (buffer.hasRemaining() && deadline - System.nanoTime() <= 0) {
        throw timedOut(what, wanted - buffer.remaining(), wanted); // a trickle cannot outlast the deadline
      }
    }
  }

  /** Writes all of {@code buffers}; {@code what} names the data in messages. */
  void writeFully(ByteBuffer[] buffers, long deadline, String what) throws IOException {
    while (remaining(buffers)) {
      long n;
      try {
        n = channel.write(buffers);
      } catch (IOException e) {
        throw new CollectiveException("could not send " + what + " to " + peer + ": " + e.getMessage(), peerRank, e);
      }
      if (n == 0) {
        if (writeSelector == null) {
          writeSelector = Selector.open();
          channel.register(writeSelector, SelectionKey.OP_WRITE);
        }
        await(writeSelector, deadline, "room to send " + what, -1, -1);
      } else if (remaining(buffers) && deadline - System.nanoTime() <= 0) {
        throw timedOut("room to send " + what, -1, -1);
      }
    }
  }

  private static boolean remaining(ByteBuffer[] buffers) {
    for (ByteBuffer buffer : buffers) {
      if (buffer.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  void writeFully(ByteBuffer buffer, long deadline, String what) throws IOException {
    writeFully(new ByteBuffer[] {buffer}, deadline, what);
  }

  private void await(Selector selector, long deadline, String what, int got, int wanted) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timedOut(what, got, wanted);
    }
    selector.select(millis(left));
    selector.selectedKeys().clear();
  }

  private CollectiveException timedOut(String what, int got, int wanted) {
    return new CollectiveException("timed out waiting for " + what + " from " + peer
        + (got >= 0 ? " (got " + got + " of " + wanted + " bytes)" : " (it is not reading)"), peerRank);
  }

  /** Closes the selectors of the blocking-style calls, before the channel joins another selector. */
  void releaseSelectors() throws IOException {
    if (readSelector != null) {
      readSelector.close();
      readSelector = null;
    }
    if (writeSelector != null) {
      writeSelector.close();
      writeSelector = null;
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with this socket
    }
    try {
      releaseSelectors();
    } catch (IOException ignored) {
      // same
    }
  }

  static long millis(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }
}
