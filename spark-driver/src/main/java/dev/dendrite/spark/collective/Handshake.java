package dev.dendrite.spark.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The mutual challenge–response that opens every connection (docs/collective.md, "Secret and
 * authentication"): HELLO, CHALLENGE (the server's proof), PROOF (the client's), STATUS. Every message
 * has a fixed length, so nothing a stranger sends makes us allocate.
 */
final class Handshake {

  static final int MAGIC = 0x43444E44; // "DNDC" in little-endian bytes
  static final int VERSION = 1;
  static final int KIND_TRACKER = 1;
  static final int KIND_PEER = 2;

  static final int ADMITTED = 0;
  static final int WRONG_GROUP = 1;
  static final int DUPLICATE_RANK = 2;
  static final int RANK_OUT_OF_RANGE = 3;
  static final int ALREADY_FORMED = 4;

  static final int HELLO_BYTES = 6 * 4 + 32;
  static final int CHALLENGE_BYTES = 4 + 32 + 32;
  static final int PROOF_BYTES = 32;

  private static final byte[] SERVER_LABEL = "dendrite-collective/1 server".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLIENT_LABEL = "dendrite-collective/1 client".getBytes(StandardCharsets.US_ASCII);

  private Handshake() {
  }

  /** Who the client says it is; believed only once its MAC checked out. */
  record Hello(int kind, int rank, int target, int size) {
    @Override
    public String toString() {
      return (kind == KIND_TRACKER ? "worker" : kind == KIND_PEER ? "peer" : "kind " + kind) + " rank " + rank
          + (target >= 0 ? " for rank " + target : "") + " of a group of " + size;
    }
  }

  /** What the accepting side makes of an authenticated hello: {@link #ADMITTED} or a refusal status. */
  interface Gate {
    int admit(Hello hello);
  }

  /** The server's answer was not the protocol's or not from this run. */
  static final class Refused extends CollectiveException {
    private static final long serialVersionUID = 1L;

    Refused(String message, int peer) {
      super(message, peer);
    }
  }

  /**
   * The client's side: proves {@code hello} with {@code secret} to the server on {@code connection} and
   * checks the server's proof, by {@code deadline}.
   */
  static void client(Connection connection, RunSecret secret, Hello hello, long deadline) throws IOException {
    byte[] nc = RunSecret.nonce();
    ByteBuffer out = buffer(HELLO_BYTES);
    out.putInt(MAGIC).putInt(VERSION).putInt(hello.kind()).putInt(hello.rank()).putInt(hello.target())
        .putInt(hello.size()).put(nc).flip();
    connection.writeFully(out, deadline, "the handshake");
    ByteBuffer in = buffer(CHALLENGE_BYTES);
    connection.readFully(in, deadline, "the handshake's challenge");
    in.flip();
    if (in.getInt() != MAGIC) {
      throw new Refused(connection.peer() + " does not speak the collective protocol (wrong magic)", connection.peerRank());
    }
    byte[] ns = new byte[32];
    byte[] serverMac = new byte[32];
    in.get(ns).get(serverMac);
    Mac mac = secret.mac();
    if (!MessageDigest.isEqual(serverMac, sign(mac, SERVER_LABEL, hello, nc, ns))) {
      throw new Refused(connection.peer() + " does not know this run's secret (another run's listener on a reused port?)",
          connection.peerRank());
    }
    connection.writeFully(ByteBuffer.wrap(sign(mac, CLIENT_LABEL, hello, nc, ns)), deadline, "the handshake's proof");
    ByteBuffer status = buffer(4);
    connection.readFully(status, deadline, "the handshake's status");
    int code = status.flip().getInt();
    if (code != ADMITTED) {
      throw new Refused(connection.peer() + " refused " + hello + ": " + describe(code), connection.peerRank());
    }
  }

  /**
   * The server's side: reads the client's hello, proves the secret, checks the client's proof, and asks
   * {@code gate} whether to admit the (now authenticated) claim. Returns the hello, or throws with the
   * reason the connection must be closed.
   */
  static Hello server(Connection connection, RunSecret secret, Gate gate, long deadline) throws IOException {
    ByteBuffer in = buffer(HELLO_BYTES);
    connection.readFully(in, deadline, "a handshake");
    in.flip();
    int magic = in.getInt();
    int version = in.getInt();
    if (magic != MAGIC || version != VERSION) {
      throw new Refused("not a collective client (magic " + Integer.toHexString(magic) + ", version " + version
          + "; expected " + Integer.toHexString(MAGIC) + ", " + VERSION + ")", -1);
    }
    Hello hello = new Hello(in.getInt(), in.getInt(), in.getInt(), in.getInt());
    byte[] nc = new byte[32];
    in.get(nc);
    byte[] ns = RunSecret.nonce();
    Mac mac = secret.mac();
    ByteBuffer challenge = buffer(CHALLENGE_BYTES);
    challenge.putInt(MAGIC).put(ns).put(sign(mac, SERVER_LABEL, hello, nc, ns)).flip();
    connection.writeFully(challenge, deadline, "the handshake's challenge");
    byte[] proof = new byte[PROOF_BYTES];
    connection.readFully(ByteBuffer.wrap(proof), deadline, "the handshake's proof");
    if (!MessageDigest.isEqual(proof, sign(mac, CLIENT_LABEL, hello, nc, ns))) {
      throw new Refused("wrong proof of the run secret (claimed " + hello + ")", -1);
    }
    int code = gate.admit(hello);
    ByteBuffer status = buffer(4);
    status.putInt(code).flip();
    connection.writeFully(status, deadline, "the handshake's status");
    if (code != ADMITTED) {
      throw new Refused("refused " + hello + ": " + describe(code), hello.rank());
    }
    return hello;
  }

  static String describe(int status) {
    return switch (status) {
      case ADMITTED -> "admitted";
      case WRONG_GROUP -> "it belongs to another group (kind, size or target rank differ)";
      case DUPLICATE_RANK -> "that rank is already connected";
      case RANK_OUT_OF_RANGE -> "that rank is out of range";
      case ALREADY_FORMED -> "the group has already formed";
      default -> "status " + status;
    };
  }

  private static byte[] sign(Mac mac, byte[] label, Hello hello, byte[] nc, byte[] ns) {
    ByteBuffer fields = buffer(4 * 4);
    fields.putInt(hello.kind()).putInt(hello.rank()).putInt(hello.target()).putInt(hello.size());
    mac.reset();
    mac.update(label);
    mac.update(fields.array());
    mac.update(nc);
    mac.update(ns);
    return mac.doFinal();
  }

  private static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
