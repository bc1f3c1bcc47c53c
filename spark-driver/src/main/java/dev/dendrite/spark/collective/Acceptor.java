package dev.dendrite.spark.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket that authenticates whoever connects, each on its own short-lived thread with a
 * handshake deadline, and hands on only the connections that proved the run secret and were admitted.
 * Strangers (garbage, a wrong secret, silence) are closed and logged, and disturb nobody else.
 */
final class Acceptor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);

  /** The longest a connection may take to authenticate, whatever the group's timeout. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** Handshakes in flight at once; connections beyond are closed at once. */
  static final int MAX_PENDING_HANDSHAKES = 32;

  /** An authenticated, admitted connection and who it proved to be. */
  record Admitted(Handshake.Hello hello, Connection connection) {
  }

  private final ServerSocketChannel server;
  private final String role;
  private final InetSocketAddress address;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean closed;

  private Acceptor(ServerSocketChannel server, String role, InetSocketAddress address) {
    this.server = server;
    this.role = role;
    this.address = address;
  }

  /** Binds to {@code host} and a port of {@code ports}; {@code role} names this listener in the log. */
  static Acceptor bind(String host, PortRange ports, String role) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      ports.bind(server, host);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    return new Acceptor(server, role, new InetSocketAddress(host, port));
  }

  /** The host it was bound to and the port it got. */
  InetSocketAddress address() {
    return address;
  }

  /**
   * Starts accepting on a daemon thread: each connection is authenticated with {@code secret} within
   * {@code min(HANDSHAKE_TIMEOUT, timeout)}, its claim checked by {@code gate}, and if admitted passed
   * to {@code sink}.
   */
  void start(RunSecret secret, Duration timeout, Handshake.Gate gate, Consumer<Admitted> sink) {
    long handshakeNanos = Math.min(HANDSHAKE_TIMEOUT.toNanos(), timeout.toNanos());
    Thread thread = new Thread(() -> {
      while (!closed) {
        SocketChannel channel;
        try {
          channel = server.accept();
        } catch (ClosedChannelException e) {
          return;
        } catch (IOException e) {
          if (!closed) {
            LOG.warn("collective {} at {}: accept failed: {}", role, address, e.toString());
          }
          continue;
        }
        String remote = remote(channel);
        if (pending.incrementAndGet() > MAX_PENDING_HANDSHAKES) {
          pending.decrementAndGet();
          LOG.warn("collective {} at {}: closed a connection from {}: {} handshakes already in progress", role,
              address, remote, MAX_PENDING_HANDSHAKES);
          closeQuietly(channel);
          continue;
        }
        Thread handshake = new Thread(() -> {
          try {
            authenticate(channel, remote, secret, handshakeNanos, gate, sink);
          } finally {
            pending.decrementAndGet();
          }
        }, "dendrite-collective-handshake-" + remote);
        handshake.setDaemon(true);
        handshake.start();
      }
    }, "dendrite-collective-accept-" + role);
    thread.setDaemon(true);
    thread.start();
  }

  private void authenticate(SocketChannel channel, String remote, RunSecret secret, long handshakeNanos,
                            Handshake.Gate gate, Consumer<Admitted> sink) {
    Connection connection = null;
    try {
      connection = new Connection(channel, "a client at " + remote, -1);
      Handshake.Hello hello = Handshake.server(connection, secret, gate, System.nanoTime() + handshakeNanos);
      sink.accept(new Admitted(hello, connection));
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.warn("collective {} at {}: refused a connection from {}: {}", role, address, remote, e.getMessage());
      }
      if (connection != null) {
        connection.close();
      } else {
        closeQuietly(channel);
      }
    }
  }

  /** Stops listening: later connections are refused by the operating system. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing left to do with the listening socket
    }
  }

  private static String remote(SocketChannel channel) {
    try {
      return String.valueOf(channel.getRemoteAddress());
    } catch (IOException e) {
      return "an unknown address";
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // a stranger's socket: nothing to do
    }
  }
}
