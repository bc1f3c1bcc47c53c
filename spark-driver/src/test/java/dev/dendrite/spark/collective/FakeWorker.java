package dev.dendrite.spark.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/** Test support: a worker that speaks the protocol by hand, to misbehave in ways a real one cannot. */
final class FakeWorker {

  private FakeWorker() {
  }

  static long deadline() {
    return System.nanoTime() + Duration.ofSeconds(10).toNanos();
  }

  /** Authenticates with the tracker as {@code rank} of {@code size} and registers {@code port}. */
  static Connection register(InetSocketAddress tracker, RunSecret secret, int rank, int size, int port)
      throws IOException {
    Connection connection = Connection.connect(tracker, "the tracker", -1, deadline());
    Handshake.client(connection, secret, new Handshake.Hello(Handshake.KIND_TRACKER, rank, -1, size), deadline());
    ControlFrames.write(connection, ControlFrames.REGISTER, ControlFrames.register(Groups.HOST, port), deadline());
    return connection;
  }

  /** Reads the peer list the tracker sends once all ranks registered. */
  static InetSocketAddress[] peers(Connection tracker, int size) throws IOException {
    ControlFrames.Frame frame = ControlFrames.read(tracker, deadline(), "the peer list");
    return ControlFrames.parsePeers(frame.payload(), size);
  }

  /** Connects and authenticates to {@code target} as peer {@code rank}. */
  static Connection connectPeer(InetSocketAddress address, RunSecret secret, int rank, int target, int size)
      throws IOException {
    Connection connection = Connection.connect(address, "rank " + target, target, deadline());
    Handshake.client(connection, secret, new Handshake.Hello(Handshake.KIND_PEER, rank, target, size), deadline());
    return connection;
  }

  /** A frame header announcing {@code bytes} bytes, with nothing after it. */
  static void sendHeader(Connection connection, int tag, int call, int bytes) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(PeerExchange.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(tag).putInt(call).putInt(bytes).flip();
    connection.writeFully(header, deadline(), "a header");
  }
}
