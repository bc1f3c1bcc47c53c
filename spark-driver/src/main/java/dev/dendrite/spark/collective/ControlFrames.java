package dev.dendrite.spark.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Frames on the tracker channel (docs/collective.md, "Frames"): {@code tag}, {@code bytes}, payload,
 * little-endian; a frame longer than {@link #MAX_CONTROL_BYTES} is never read.
 */
final class ControlFrames {

  static final int REGISTER = 1;
  static final int PEERS = 2;
  static final int CONTROL = 3;
  static final int BYE = 4;

  /** The longest control frame either side reads; a longer announcement drops the connection. */
  static final int MAX_CONTROL_BYTES = 256 << 20;

  /** The longest host name in a REGISTER or PEERS frame. */
  static final int MAX_HOST_BYTES = 255;

  private ControlFrames() {
  }

  record Frame(int tag, byte[] payload) {
  }

  static String name(int tag) {
    return switch (tag) {
      case REGISTER -> "REGISTER";
      case PEERS -> "PEERS";
      case CONTROL -> "CONTROL";
      case BYE -> "BYE";
      default -> "tag " + tag;
    };
  }

  static void write(Connection connection, int tag, byte[] payload, long deadline) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(tag).putInt(payload.length).flip();
    connection.writeFully(new ByteBuffer[] {header, ByteBuffer.wrap(payload)}, deadline, "a " + name(tag) + " frame");
  }

  /** Reads one frame; {@code what} names the frame expected, in messages. */
  static Frame read(Connection connection, long deadline, String what) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    return finish(connection, header, deadline, what);
  }

  /**
   * A frame if one has begun to arrive (the rest is read by {@code deadline}), else null without
   * consuming anything.
   */
  static Frame poll(Connection connection, long deadline, String what) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    return connection.readAvailable(header, what) == 0 ? null : finish(connection, header, deadline, what);
  }

  private static Frame finish(Connection connection, ByteBuffer header, long deadline, String what) throws IOException {
    connection.readFully(header, deadline, what);
    header.flip();
    int tag = header.getInt();
    int bytes = header.getInt();
    if (tag < REGISTER || tag > BYE) {
      throw new CollectiveException(connection.peer() + " sent a frame with unknown tag " + tag + " while we waited for "
          + what, connection.peerRank());
    }
    if (bytes < 0 || bytes > MAX_CONTROL_BYTES) {
      throw new CollectiveException(connection.peer() + " announced a " + name(tag) + " frame of " + Integer.toUnsignedString(bytes)
          + " bytes (at most " + MAX_CONTROL_BYTES + "): dropped", connection.peerRank());
    }
    byte[] payload = new byte[bytes];
    connection.readFully(ByteBuffer.wrap(payload), deadline, what);
    return new Frame(tag, payload);
  }

  static byte[] register(String host, int port) {
    byte[] name = host(host);
    return ByteBuffer.allocate(4 + name.length).order(ByteOrder.LITTLE_ENDIAN).putInt(port).put(name).array();
  }

  static InetSocketAddress parseRegister(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    if (payload.length < 4 || payload.length > 4 + MAX_HOST_BYTES) {
      throw new IllegalArgumentException("a REGISTER frame of " + payload.length + " bytes");
    }
    int port = in.getInt();
    String host = new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8);
    return InetSocketAddress.createUnresolved(host, checkPort(port));
  }

  static byte[] peers(InetSocketAddress[] addresses) {
    int bytes = 0;
    byte[][] names = new byte[addresses.length][];
    for (int r = 0; r < addresses.length; r++) {
      names[r] = host(addresses[r].getHostString());
      bytes += 8 + names[r].length;
    }
    ByteBuffer out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < addresses.length; r++) {
      out.putInt(addresses[r].getPort()).putInt(names[r].length).put(names[r]);
    }
    return out.array();
  }

  static InetSocketAddress[] parsePeers(byte[] payload, int size) {
    ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    InetSocketAddress[] addresses = new InetSocketAddress[size];
    for (int r = 0; r < size; r++) {
      if (in.remaining() < 8) {
        throw new IllegalArgumentException("a PEERS frame of " + payload.length + " bytes ends at rank " + r + " of " + size);
      }
      int port = in.getInt();
      int length = in.getInt();
      if (length < 0 || length > MAX_HOST_BYTES || length > in.remaining()) {
        throw new IllegalArgumentException("a PEERS frame gives rank " + r + " a host of " + length + " bytes");
      }
      byte[] name = new byte[length];
      in.get(name);
      addresses[r] = new InetSocketAddress(new String(name, StandardCharsets.UTF_8), checkPort(port));
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("a PEERS frame for " + size + " ranks has " + in.remaining() + " bytes too many");
    }
    return addresses;
  }

  private static int checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
    return port;
  }

  private static byte[] host(String host) {
    byte[] name = host.getBytes(StandardCharsets.UTF_8);
    if (name.length > MAX_HOST_BYTES) {
      throw new IllegalArgumentException("host name '" + host + "' is longer than " + MAX_HOST_BYTES + " bytes");
    }
    return name;
  }
}
