package dev.dendrite.spark.collective;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a collective group: authenticates the n workers, collects their addresses and,
 * once all have registered, sends each the peer list; afterwards it carries small control frames both
 * ways. No vector passes through it. One tracker serves one formation of one group (a retried stage
 * gets a new tracker). Protocol: docs/collective.md.
 */
public final class Tracker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

  /** A control frame from a worker. */
  public record Frame(int rank, byte[] payload) {
  }

  private final Acceptor acceptor;
  private final int workers;
  private final Duration timeout;
  private final long registrationDeadline;
  private final Connection[] connections;
  private final InetSocketAddress[] addresses;
  private final boolean[] admitted;
  private final boolean[] finished;
  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private int registered;
  private volatile boolean formed;
  private volatile boolean closed;

  private Tracker(Acceptor acceptor, int workers, Duration timeout) {
    this.acceptor = acceptor;
    this.workers = workers;
    this.timeout = timeout;
    this.registrationDeadline = System.nanoTime() + timeout.toNanos();
    this.connections = new Connection[workers];
    this.addresses = new InetSocketAddress[workers];
    this.admitted = new boolean[workers];
    this.finished = new boolean[workers];
  }

  /**
   * Listens on {@code bindHost} (the address workers can reach: the driver's advertised host) at a port
   * of {@code ports}, for {@code workers} workers proving {@code secret}; they must all register within
   * {@code timeout}, which also bounds every send.
   */
  public static Tracker start(String bindHost, int workers, RunSecret secret, PortRange ports, Duration timeout)
      throws IOException {
    if (workers < 1) {
      throw new IllegalArgumentException("a collective group needs at least 1 worker, not " + workers);
    }
    checkTimeout(timeout);
    Acceptor acceptor = Acceptor.bind(bindHost, ports, "tracker");
    Tracker tracker = new Tracker(acceptor, workers, timeout);
    acceptor.start(secret, timeout, tracker::admit, tracker::serve);
    LOG.info("collective tracker listening at {} for {} workers", acceptor.address(), workers);
    return tracker;
  }

  /** What workers connect to: the host it was started on and the port it got. */
  public InetSocketAddress address() {
    return acceptor.address();
  }

  /**
   * The next control frame from any worker, or empty when none arrives within {@code timeout}. Throws
   * a {@link CollectiveException} naming the rank when a worker's connection ended without a goodbye,
   * and naming the missing ranks when the group did not form within the tracker's timeout.
   */
  public Optional<Frame> receive(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long now = System.nanoTime();
      if (!formed && now - registrationDeadline >= 0) {
        List<Integer> missing = missing();
        throw new CollectiveException("ranks " + missing + " of " + workers + " did not register with the tracker at "
            + address() + " within " + this.timeout.toMillis() + " ms", missing.isEmpty() ? -1 : missing.get(0));
      }
      long wait = deadline - now;
      if (!formed) {
        wait = Math.min(wait, registrationDeadline - now);
      }
      Object event;
      try {
        event = events.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a control frame");
      }
      if (event instanceof Frame frame) {
        return Optional.of(frame);
      }
      if (event instanceof CollectiveException failure) {
        throw new CollectiveException(failure.getMessage(), failure.peer(), failure);
      }
      if (System.nanoTime() - deadline >= 0) {
        return Optional.empty();
      }
    }
  }

  /** Sends {@code payload} to worker {@code rank}; allowed once the group has formed. */
  public void send(int rank, byte[] payload) throws IOException {
    if (rank < 0 || rank >= workers) {
      throw new IllegalArgumentException("rank " + rank + " is not in 0.." + (workers - 1));
    }
    if (payload.length > ControlFrames.MAX_CONTROL_BYTES) {
      throw new IllegalArgumentException("a control frame of " + payload.length + " bytes is longer than "
          + ControlFrames.MAX_CONTROL_BYTES);
    }
    if (!formed) {
      throw new IllegalStateException("the tracker sends control frames once the group has formed; ranks " + missing()
          + " have not registered yet");
    }
    Connection connection = connections[rank];
    synchronized (connection) {
      ControlFrames.write(connection, ControlFrames.CONTROL, payload, System.nanoTime() + timeout.toNanos());
    }
  }

  /** Whether all workers have registered and received the peer list. */
  public boolean formed() {
    return formed;
  }

  @Override
  public void close() {
    closed = true;
    acceptor.close();
    synchronized (this) {
      for (Connection connection : connections) {
        if (connection != null) {
          connection.close();
        }
      }
    }
  }

  private synchronized int admit(Handshake.Hello hello) {
    if (closed || formed) {
      return Handshake.ALREADY_FORMED;
    }
    if (hello.kind() != Handshake.KIND_TRACKER || hello.size() != workers || hello.target() != -1) {
      return Handshake.WRONG_GROUP;
    }
    if (hello.rank() < 0 || hello.rank() >= workers) {
      return Handshake.RANK_OUT_OF_RANGE;
    }
    if (admitted[hello.rank()]) {
      return Handshake.DUPLICATE_RANK;
    }
    admitted[hello.rank()] = true;
    return Handshake.ADMITTED;
  }

  /** Called on the handshake thread: the worker's own reader thread takes it from here. */
  private void serve(Acceptor.Admitted admitted) {
    int rank = admitted.hello().rank();
    Connection connection = admitted.connection();
    connection.identify("rank " + rank + " (" + connection.peer().substring("a client at ".length()) + ")", rank);
    Thread reader = new Thread(() -> read(rank, connection), "dendrite-collective-tracker-rank-" + rank);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(int rank, Connection connection) {
    try {
      ControlFrames.Frame first = ControlFrames.read(connection, registrationDeadline, "its REGISTER frame");
      if (first.tag() != ControlFrames.REGISTER) {
        throw new CollectiveException(connection.peer() + " sent " + ControlFrames.name(first.tag())
            + " before registering", rank);
      }
      register(rank, connection, ControlFrames.parseRegister(first.payload()));
      long forever = System.nanoTime() + Duration.ofDays(365).toNanos();
      while (true) {
        ControlFrames.Frame frame = ControlFrames.read(connection, forever, "a control frame");
        if (frame.tag() == ControlFrames.CONTROL) {
          events.add(new Frame(rank, frame.payload()));
        } else if (frame.tag() == ControlFrames.BYE) {
          synchronized (this) {
            finished[rank] = true;
          }
        } else {
          throw new CollectiveException(connection.peer() + " sent an unexpected " + ControlFrames.name(frame.tag())
              + " frame", rank);
        }
      }
    } catch (IOException | RuntimeException e) {
      boolean quiet;
      synchronized (this) {
        quiet = closed || finished[rank];
      }
      connection.close();
      if (!quiet) {
        LOG.warn("collective tracker: {}", e.getMessage());
        events.add(e instanceof CollectiveException c ? c
            : new CollectiveException(connection.peer() + " failed: " + e.getMessage(), rank, e));
      }
    }
  }

  private synchronized void register(int rank, Connection connection, InetSocketAddress address) throws IOException {
    if (closed) {
      throw new CollectiveException("the tracker is closed", rank);
    }
    connections[rank] = connection;
    addresses[rank] = address;
    registered++;
    LOG.debug("collective tracker: rank {} registered at {}", rank, address);
    if (registered < workers) {
      return;
    }
    byte[] peers = ControlFrames.peers(addresses);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int r = 0; r < workers; r++) {
      try {
        synchronized (connections[r]) {
          ControlFrames.write(connections[r], ControlFrames.PEERS, peers, deadline);
        }
      } catch (IOException e) {
        events.add(new CollectiveException("could not send the peer list to rank " + r + ": " + e.getMessage(), r, e));
      }
    }
    formed = true;
    acceptor.close();
    LOG.info("collective tracker: all {} workers registered; peer list sent", workers);
  }

  private synchronized List<Integer> missing() {
    List<Integer> missing = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      if (connections[r] == null) {
        missing.add(r);
      }
    }
    return missing;
  }

  static void checkTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the collective timeout must be positive, not " + timeout);
    }
  }
}
