package dev.dendrite.spark.collective;

import dev.dendrite.spark.data.Blocks;
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
 * One task's membership of a collective group: joins through the driver's {@link Tracker}, then
 * all-reduces with its peers directly (docs/collective.md). Every call waits at most the group's
 * timeout; a call that fails leaves the group broken, and {@link #close} is what tells the peers at
 * once. Not thread-safe: one task thread uses it.
 */
public final class CollectiveGroup implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CollectiveGroup.class);

  private final int rank;
  private final int size;
  private final Duration timeout;
  private final Connection tracker;
  private final PeerExchange exchange; // null for a group of one
  private final SharedMemoryExchange shared; // non-null when every rank is a thread of this JVM
  private String driverChannelFailure;

  /** Identifies this JVM among the group's ranks (random, so two JVMs never look alike). */
  private static final long JVM_ID = new java.security.SecureRandom().nextLong();

  private CollectiveGroup(int rank, int size, Duration timeout, Connection tracker, PeerExchange exchange,
                          SharedMemoryExchange shared) {
    this.rank = rank;
    this.size = size;
    this.timeout = timeout;
    this.tracker = tracker;
    this.exchange = exchange;
    this.shared = shared;
  }

  /**
   * {@link #join(int, int, InetSocketAddress, RunSecret, String, PortRange, Duration)}, and then, when
   * {@code sameJvmShortcut} and every rank turns out to be a thread of this JVM, all-reduces through
   * memory instead of the sockets (same additions in the same order, so the same bits).
   */
  public static CollectiveGroup join(int rank, int size, InetSocketAddress trackerAddress, RunSecret secret,
                                     String advertisedHost, PortRange ports, Duration timeout,
                                     boolean sameJvmShortcut) throws IOException {
    CollectiveGroup group = join(rank, size, trackerAddress, secret, advertisedHost, ports, timeout);
    if (!sameJvmShortcut || size == 1) {
      return group;
    }
    try {
      for (long id : group.allGather(JVM_ID)) {
        if (id != JVM_ID) {
          return group;
        }
      }
      String key = trackerAddress + "/" + java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(secret.bytes()));
      LOG.info("collective rank {} of {}: every rank runs in this JVM; all-reducing through memory", rank, size);
      return new CollectiveGroup(rank, size, timeout, group.tracker, group.exchange,
          SharedMemoryExchange.join(key, size));
    } catch (IOException | RuntimeException e) {
      group.close();
      throw e;
    } catch (java.security.NoSuchAlgorithmException e) {
      group.close();
      throw new IllegalStateException(e);
    }
  }

  /** Whether this group all-reduces through memory (every rank a thread of this JVM). */
  public boolean sharedMemory() {
    return shared != null;
  }

  /**
   * Listens on {@code advertisedHost} (a port of {@code ports}), registers (rank, its address) with the
   * tracker at {@code trackerAddress}, receives the peer list, connects to every lower rank and accepts
   * every higher one, authenticating each with {@code secret}. Blocks until the whole group is
   * connected, or throws a {@link CollectiveException} naming what was missing once {@code timeout} has
   * passed; {@code timeout} then bounds every later call.
   */
  public static CollectiveGroup join(int rank, int size, InetSocketAddress trackerAddress, RunSecret secret,
                                     String advertisedHost, PortRange ports, Duration timeout) throws IOException {
    if (size < 1 || rank < 0 || rank >= size) {
      throw new IllegalArgumentException("rank " + rank + " is not in a group of " + size);
    }
    Tracker.checkTimeout(timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    Acceptor acceptor = null;
    Connection toTracker = null;
    Connection[] peers = new Connection[size];
    LinkedBlockingQueue<Acceptor.Admitted> arrivals = new LinkedBlockingQueue<>();
    try {
      int port = 0;
      if (size > 1) {
        acceptor = Acceptor.bind(advertisedHost, ports, "rank " + rank);
        port = acceptor.address().getPort();
        boolean[] arrived = new boolean[size];
        acceptor.start(secret, timeout, hello -> admitPeer(hello, rank, size, arrived), arrivals::add);
      }
      toTracker = Connection.connect(trackerAddress, "the tracker at " + trackerAddress, -1, deadline);
      Handshake.client(toTracker, secret, new Handshake.Hello(Handshake.KIND_TRACKER, rank, -1, size), deadline);
      ControlFrames.write(toTracker, ControlFrames.REGISTER, ControlFrames.register(advertisedHost, port), deadline);
      ControlFrames.Frame list = ControlFrames.read(toTracker, deadline, "the peer list (do all " + size
          + " tasks run at once?)");
      if (list.tag() != ControlFrames.PEERS) {
        throw new CollectiveException("the tracker sent " + ControlFrames.name(list.tag()) + " before the peer list", -1);
      }
      InetSocketAddress[] addresses = ControlFrames.parsePeers(list.payload(), size);
      for (int j = 0; j < rank; j++) {
        String name = "rank " + j + " at " + addresses[j];
        peers[j] = Connection.connect(addresses[j], name, j, deadline);
        Handshake.client(peers[j], secret, new Handshake.Hello(Handshake.KIND_PEER, rank, j, size), deadline);
      }
      for (int waiting = size - 1 - rank; waiting > 0; waiting--) {
        long left = deadline - System.nanoTime();
        Acceptor.Admitted admitted = left <= 0 ? null : arrivals.poll(left, TimeUnit.NANOSECONDS);
        if (admitted == null) {
          List<Integer> missing = new ArrayList<>();
          for (int j = rank + 1; j < size; j++) {
            if (peers[j] == null) {
              missing.add(j);
            }
          }
          throw new CollectiveException("rank " + rank + ": ranks " + missing + " did not connect to "
              + acceptor.address() + " within " + timeout.toMillis() + " ms", missing.get(0));
        }
        int j = admitted.hello().rank();
        peers[j] = admitted.connection();
        peers[j].identify("rank " + j + " at " + addresses[j], j);
      }
      PeerExchange exchange = size > 1 ? new PeerExchange(rank, size, peers, timeout.toNanos()) : null;
      LOG.info("collective rank {} of {}: group formed (listened at {})", rank, size,
          acceptor == null ? "no port" : acceptor.address());
      return new CollectiveGroup(rank, size, timeout, toTracker, exchange, null);
    } catch (IOException | RuntimeException e) {
      if (toTracker != null) {
        toTracker.close();
      }
      for (Connection peer : peers) {
        if (peer != null) {
          peer.close();
        }
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("rank " + rank + " was interrupted while joining its group");
    } finally {
      if (acceptor != null) {
        acceptor.close();
      }
      Acceptor.Admitted late;
      while ((late = arrivals.poll()) != null) {
        if (!late.connection().equals(peers[late.hello().rank()])) {
          late.connection().close();
        }
      }
    }
  }

  /** Admits a peer that proved the secret if it is one of the higher ranks and the first with its rank. */
  private static int admitPeer(Handshake.Hello hello, int rank, int size, boolean[] arrived) {
    if (hello.kind() != Handshake.KIND_PEER || hello.size() != size || hello.target() != rank) {
      return Handshake.WRONG_GROUP;
    }
    if (hello.rank() <= rank || hello.rank() >= size) {
      return Handshake.RANK_OUT_OF_RANGE;
    }
    synchronized (arrived) {
      if (arrived[hello.rank()]) {
        return Handshake.DUPLICATE_RANK;
      }
      arrived[hello.rank()] = true;
      return Handshake.ADMITTED;
    }
  }

  public int rank() {
    return rank;
  }

  public int size() {
    return size;
  }

  /**
   * In place: afterwards every rank holds the sum over ranks r = 0..n−1 of their {@code data}, added in
   * rank order ({@code acc = data_0; acc += data_1; …}, in float), bit-identical on every rank. All
   * ranks call it with vectors of the same length.
   */
  public void allReduce(float[] data) throws IOException {
    if (shared != null) {
      shared.allReduce(rank, data, timeout.toNanos(), "rank " + rank);
    } else if (exchange != null) {
      exchange.allReduce(data);
    }
  }

  /** The same for a few doubles (loss sums, counts): {@code acc = d_0; acc += d_1; …} in rank order. */
  public void allReduce(double[] data) throws IOException {
    if (shared != null) {
      shared.allReduce(rank, data, timeout.toNanos(), "rank " + rank);
    } else if (exchange != null) {
      exchange.allReduce(data);
    }
  }

  /** Every rank's {@code value}, indexed by rank (e.g. parameter checksums of the replicas). */
  public long[] allGather(long value) throws IOException {
    if (shared != null) {
      return shared.allGather(rank, value, timeout.toNanos(), "rank " + rank);
    }
    return exchange != null ? exchange.allGather(value) : new long[] {value};
  }

  /** Sends a control frame to the driver's tracker. */
  public void sendToDriver(byte[] payload) throws IOException {
    if (payload.length > ControlFrames.MAX_CONTROL_BYTES) {
      throw new IllegalArgumentException("a control frame of " + payload.length + " bytes is longer than "
          + ControlFrames.MAX_CONTROL_BYTES);
    }
    ControlFrames.write(tracker, ControlFrames.CONTROL, payload, System.nanoTime() + timeout.toNanos());
  }

  /**
   * The next control frame from the driver; throws a {@link CollectiveException} when none comes within
   * {@code wait} (the channel stays usable), or when the channel failed.
   */
  public byte[] receiveFromDriver(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<byte[]> frame = pollFromDriver();
      if (frame.isPresent()) {
        return frame.get();
      }
      if (!tracker.awaitReadable(deadline)) {
        throw new CollectiveException("rank " + rank + ": no control frame from the driver within " + wait.toMillis()
            + " ms", -1);
      }
    }
  }

  /**
   * A control frame from the driver if one has arrived (a frame that has begun to arrive is read to its
   * end within the group's timeout), else empty at once: for checking for commands between steps.
   */
  public Optional<byte[]> pollFromDriver() throws IOException {
    checkDriverChannel();
    try {
      ControlFrames.Frame frame = ControlFrames.poll(tracker, System.nanoTime() + timeout.toNanos(),
          "a control frame from the driver");
      return frame == null ? Optional.empty() : Optional.of(control(frame));
    } catch (CollectiveException e) {
      driverChannelFailure = e.getMessage();
      throw e;
    }
  }

  private void checkDriverChannel() throws CollectiveException {
    if (driverChannelFailure != null) {
      throw new CollectiveException("the channel to the driver failed earlier: " + driverChannelFailure, -1);
    }
  }

  private static byte[] control(ControlFrames.Frame frame) throws CollectiveException {
    if (frame.tag() != ControlFrames.CONTROL) {
      throw new CollectiveException("the tracker sent an unexpected " + ControlFrames.name(frame.tag()) + " frame", -1);
    }
    return frame.payload();
  }

  /** Says goodbye to the tracker and closes every connection: peers still in a call fail at once. */
  @Override
  public void close() {
    try {
      ControlFrames.write(tracker, ControlFrames.BYE, new byte[0], System.nanoTime() + Duration.ofSeconds(1).toNanos());
    } catch (IOException e) {
      LOG.debug("collective rank {}: could not say goodbye to the tracker: {}", rank, e.getMessage());
    }
    tracker.close();
    if (shared != null) {
      shared.leave();
    }
    if (exchange != null) {
      exchange.close();
    }
  }
}
