package dev.dendrite.spark.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The per-step data path of a formed group: reduce-scatter then all-gather over the n−1 authenticated
 * peer sockets, driven by the calling thread alone through one {@link Selector} (non-blocking: it
 * writes what a socket takes and reads what has arrived, so two ranks can never block writing to each
 * other, and no thread switch sits on the step's path). The owner of each slice adds the contributions
 * in rank order, so every rank ends with the same bits. Buffers are direct, allocated when a call needs
 * more room than any before, and reused: no allocation per call. Not thread-safe: one task thread.
 */
final class PeerExchange implements AutoCloseable {

  static final int FLOAT_SCATTER = 1;
  static final int FLOAT_GATHER = 2;
  static final int DOUBLE_SCATTER = 3;
  static final int DOUBLE_GATHER = 4;
  static final int LONG_GATHER = 5;

  /** tag, call, bytes: three little-endian ints. */
  static final int HEADER_BYTES = 12;

  /** The pass after a wake-up tries every socket, so the selector need only wake us. */
  private static final java.util.function.Consumer<SelectionKey> WAKE_ONLY = key -> { };

  // what a lane is sending
  private static final int SEND_SCATTER = 0;
  private static final int WAIT_FOR_SUM = 1;
  private static final int SEND_GATHER = 2;
  private static final int SENT = 3;

  /** Elements summed at a time: two blocks of floats or doubles fit the L1 cache. */
  private static final int SUM_BLOCK = 2048;

  private final int rank;
  private final int size;
  private final long timeoutNanos;
  private final Selector selector;
  private final Lane[] lanes;          // by rank; null at this rank
  private final Payload summed = new Payload();
  private float[] accFloats = new float[0];
  private float[] tmpFloats = new float[0];
  private double[] accDoubles = new double[0];
  private double[] tmpDoubles = new double[0];
  private int call;
  private String failure;

  // the call in progress
  private int length;
  private int elementBytes;
  private boolean scatter;
  private boolean sumReady;
  private int contributions;
  private float[] floats;
  private double[] doubles;
  private long[] longs;

  /** Takes over the connections to every other rank (index = rank, null at {@code rank}). */
  PeerExchange(int rank, int size, Connection[] peers, long timeoutNanos) throws IOException {
    this.rank = rank;
    this.size = size;
    this.timeoutNanos = timeoutNanos;
    this.selector = Selector.open();
    this.lanes = new Lane[size];
    for (int r = 0; r < size; r++) {
      if (r != rank) {
        peers[r].releaseSelectors();
        lanes[r] = new Lane(r, peers[r]);
        lanes[r].key = peers[r].channel().register(selector, 0, lanes[r]);
      }
    }
  }

  /** In place: every rank ends with the rank-order sum of all ranks' {@code data}. */
  void allReduce(float[] data) throws IOException {
    floats = data;
    try {
      run(FLOAT_SCATTER, FLOAT_GATHER, 4, data.length);
    } finally {
      floats = null;
    }
  }

  /** In place, as {@link #allReduce(float[])}, in {@code double}. */
  void allReduce(double[] data) throws IOException {
    doubles = data;
    try {
      run(DOUBLE_SCATTER, DOUBLE_GATHER, 8, data.length);
    } finally {
      doubles = null;
    }
  }

  /** Every rank's {@code value}, indexed by rank. */
  long[] allGather(long value) throws IOException {
    longs = new long[size];
    longs[rank] = value;
    try {
      run(0, LONG_GATHER, 8, size);
      return longs;
    } finally {
      longs = null;
    }
  }

  int sliceStart(int slice) {
    return (int) ((long) length * slice / size);
  }

  private int sliceBytes(int slice) {
    return scatter ? (sliceStart(slice + 1) - sliceStart(slice)) * elementBytes : elementBytes;
  }

  private void run(int scatterTag, int gatherTag, int elementBytes, int length) throws IOException {
    if (failure != null) {
      throw new CollectiveException("this collective group failed earlier and cannot be used: " + failure, -1);
    }
    if ((long) length * elementBytes / size + elementBytes > Integer.MAX_VALUE - HEADER_BYTES) {
      throw new IllegalArgumentException("a vector of " + length + " elements is too long for " + size + " ranks");
    }
    call++;
    this.length = length;
    this.elementBytes = elementBytes;
    this.scatter = scatterTag != 0;
    this.sumReady = false;
    this.contributions = 0;
    long deadline = System.nanoTime() + timeoutNanos;
    int ownBytes = sliceBytes(rank);
    boolean grown = summed.ensure(ownBytes);
    for (Lane lane : lanes) {
      if (lane != null) {
        lane.prepare(scatterTag, gatherTag, sliceBytes(lane.rank), ownBytes, grown);
      }
    }
    if (!scatter) {
      summed.bytes.putLong(0, longs[rank]);
      startGather();
    }
    while (true) {
      boolean progress = false;
      boolean done = true;
      for (Lane lane : lanes) {
        if (lane != null) {
          progress |= lane.pump();
          done &= lane.done();
        }
      }
      if (scatter && !sumReady && contributions == size - 1) {
        sum();
        startGather();
        continue;
      }
      if (done) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) { // checked after every pass: a peer trickling bytes cannot hold a call past its timeout
        throw fail(timedOut());
      }
      if (!progress) {
        for (Lane lane : lanes) {
          if (lane != null) {
            lane.key.interestOps(lane.interest());
          }
        }
        selector.select(WAKE_ONLY, Connection.millis(left)); // no selected-key set: it allocates a node per key
      }
    }
  }

  /**
   * Adds the contributions to this rank's slice in rank order ({@code acc = c_0; acc += c_1; …}),
   * stores the sum in place and in the buffer the gather sends. Works in blocks that stay in the L1
   * cache, so each contribution is read from memory once.
   */
  private void sum() {
    int from = sliceStart(rank);
    int n = sliceStart(rank + 1) - from;
    if (accFloats.length < SUM_BLOCK) {
      accFloats = new float[SUM_BLOCK];
      tmpFloats = new float[SUM_BLOCK];
      accDoubles = new double[SUM_BLOCK];
      tmpDoubles = new double[SUM_BLOCK];
    }
    for (int block = 0; block < n; block += SUM_BLOCK) {
      int b = Math.min(SUM_BLOCK, n - block);
      if (floats != null) {
        sumFloats(from + block, block, b);
      } else {
        sumDoubles(from + block, block, b);
      }
    }
  }

  /** Elements {@code [at, at + b)} of this rank's slice, which start at {@code data[start]}. */
  private void sumFloats(int start, int at, int b) {
    float[] acc = accFloats;
    float[] x = tmpFloats;
    if (rank == 0) {
      System.arraycopy(floats, start, acc, 0, b);
    } else {
      lanes[0].scatterIn.floats.get(at, acc, 0, b);
    }
    for (int q = 1; q < size; q++) {
      float[] source = x;
      int offset = 0;
      if (q == rank) {
        source = floats;
        offset = start;
      } else {
        lanes[q].scatterIn.floats.get(at, x, 0, b);
      }
      for (int i = 0; i < b; i++) {
        acc[i] += source[offset + i];
      }
    }
    System.arraycopy(acc, 0, floats, start, b);
    summed.floats.put(at, acc, 0, b);
  }

  private void sumDoubles(int start, int at, int b) {
    double[] acc = accDoubles;
    double[] x = tmpDoubles;
    if (rank == 0) {
      System.arraycopy(doubles, start, acc, 0, b);
    } else {
      lanes[0].scatterIn.doubles.get(at, acc, 0, b);
    }
    for (int q = 1; q < size; q++) {
      double[] source = x;
      int offset = 0;
      if (q == rank) {
        source = doubles;
        offset = start;
      } else {
        lanes[q].scatterIn.doubles.get(at, x, 0, b);
      }
      for (int i = 0; i < b; i++) {
        acc[i] += source[offset + i];
      }
    }
    System.arraycopy(acc, 0, doubles, start, b);
    summed.doubles.put(at, acc, 0, b);
  }

  private void startGather() {
    sumReady = true;
    for (Lane lane : lanes) {
      if (lane != null && lane.sending == WAIT_FOR_SUM) {
        lane.sending = SEND_GATHER;
      }
    }
  }

  /** The timeout's message, naming first a peer whose contribution is missing, else whose summed slice is. */
  private CollectiveException timedOut() {
    StringBuilder waiting = new StringBuilder();
    int suspect = -1;
    for (int pass = 0; pass < 3; pass++) {
      for (Lane lane : lanes) {
        if (lane == null) {
          continue;
        }
        String what = lane.missing(pass);
        if (what != null) {
          waiting.append(waiting.length() == 0 ? "" : "; ").append("rank ").append(lane.rank).append(": ").append(what);
          if (suspect < 0) {
            suspect = lane.rank;
          }
        }
      }
    }
    return new CollectiveException("rank " + rank + " timed out after " + timeoutNanos / 1_000_000 + " ms in " + callName()
        + ", waiting for " + waiting, suspect);
  }

  private String callName() {
    String kind = floats != null ? "float all-reduce of " + length + " values"
        : doubles != null ? "double all-reduce of " + length + " values" : "long all-gather";
    return "call " + call + " (" + kind + ")";
  }

  private CollectiveException fail(CollectiveException e) {
    failure = e.getMessage();
    return e;
  }

  static String tagName(int tag) {
    return switch (tag) {
      case FLOAT_SCATTER -> "float contribution";
      case FLOAT_GATHER -> "float summed slice";
      case DOUBLE_SCATTER -> "double contribution";
      case DOUBLE_GATHER -> "double summed slice";
      case LONG_GATHER -> "long value";
      default -> "unknown tag " + tag;
    };
  }

  @Override
  public void close() {
    for (Lane lane : lanes) {
      if (lane != null) {
        lane.connection.close();
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /** A direct little-endian buffer with its float and double views, grown on demand. */
  private static final class Payload {
    ByteBuffer bytes;
    FloatBuffer floats;
    DoubleBuffer doubles;

    /** Makes room for {@code n} bytes and limits the buffer to them; true when it had to grow. */
    boolean ensure(int n) {
      boolean grown = false;
      if (bytes == null || bytes.capacity() < n) {
        bytes = ByteBuffer.allocateDirect(Math.max(n, 8)).order(ByteOrder.LITTLE_ENDIAN);
        floats = bytes.asFloatBuffer();
        doubles = bytes.asDoubleBuffer();
        grown = true;
      }
      bytes.clear().limit(n);
      return grown;
    }
  }

  /** The traffic with one peer in the call in progress. */
  private final class Lane {
    final int rank;
    final Connection connection;
    final SocketChannel channel;
    SelectionKey key;
    final ByteBuffer scatterHeaderOut = header();
    final ByteBuffer gatherHeaderOut = header();
    final ByteBuffer scatterHeaderIn = header();
    final ByteBuffer gatherHeaderIn = header();
    final Payload scatterOut = new Payload();
    final Payload scatterIn = new Payload();
    final Payload gatherIn = new Payload();
    ByteBuffer gatherOut;                 // this lane's own position over the summed slice
    ByteBuffer[] scatterFrameOut;
    ByteBuffer[] gatherFrameOut;
    ByteBuffer[] bothFramesIn;
    ByteBuffer[] gatherFrameIn;
    ByteBuffer[] in;                      // bothFramesIn or gatherFrameIn, for this call
    int sending;
    int scatterTag;
    int gatherTag;
    int scatterBytes;                     // of the contribution this rank receives from the peer
    int gatherBytes;                      // of the summed slice it receives from the peer
    boolean scatterChecked;
    boolean gatherChecked;
    boolean contributed;
    boolean received;

    Lane(int rank, Connection connection) {
      this.rank = rank;
      this.connection = connection;
      this.channel = connection.channel();
    }

    void prepare(int scatterTag, int gatherTag, int peerSliceBytes, int ownBytes, boolean summedGrown) {
      this.scatterTag = scatterTag;
      this.gatherTag = gatherTag;
      boolean grown = gatherIn.ensure(peerSliceBytes) | summedGrown || gatherOut == null;
      if (scatter) {
        grown |= scatterOut.ensure(peerSliceBytes);
        grown |= scatterIn.ensure(ownBytes);
      }
      if (grown || scatterFrameOut == null) {
        gatherOut = summed.bytes.duplicate();
        scatterFrameOut = new ByteBuffer[] {scatterHeaderOut, scatterOut.bytes};
        gatherFrameOut = new ByteBuffer[] {gatherHeaderOut, gatherOut};
        bothFramesIn = new ByteBuffer[] {scatterHeaderIn, scatterIn.bytes, gatherHeaderIn, gatherIn.bytes};
        gatherFrameIn = new ByteBuffer[] {gatherHeaderIn, gatherIn.bytes};
      }
      gatherOut.clear().limit(ownBytes);
      gatherHeaderOut.clear();
      gatherHeaderOut.putInt(gatherTag).putInt(call).putInt(ownBytes).flip();
      gatherHeaderIn.clear();
      gatherBytes = peerSliceBytes;
      gatherChecked = false;
      received = false;
      if (scatter) {
        int from = sliceStart(rank);
        int n = sliceStart(rank + 1) - from;
        if (floats != null) {
          scatterOut.floats.clear().put(floats, from, n);
        } else {
          scatterOut.doubles.clear().put(doubles, from, n);
        }
        scatterHeaderOut.clear();
        scatterHeaderOut.putInt(scatterTag).putInt(call).putInt(peerSliceBytes).flip();
        scatterHeaderIn.clear();
        scatterBytes = ownBytes;
        scatterChecked = false;
        contributed = false;
        sending = SEND_SCATTER;
        in = bothFramesIn;
      } else {
        scatterChecked = true;
        contributed = true;
        sending = WAIT_FOR_SUM;
        in = gatherFrameIn;
      }
    }

    /** Writes and reads what the socket allows; true if any byte moved. */
    boolean pump() throws IOException {
      boolean progress = false;
      try {
        if (sending == SEND_SCATTER) {
          progress = channel.write(scatterFrameOut) > 0;
          if (!scatterOut.bytes.hasRemaining()) {
            sending = sumReady ? SEND_GATHER : WAIT_FOR_SUM;
          }
        }
        if (sending == SEND_GATHER) {
          progress |= channel.write(gatherFrameOut) > 0;
          if (!gatherOut.hasRemaining()) {
            sending = SENT;
          }
        }
        if (!received) {
          long n = channel.read(in);
          if (n < 0) {
            throw fail(new CollectiveException("rank " + this.rank + " (" + connection.peer() + ") closed the connection during "
                + callName() + ": it failed or left the group", this.rank));
          }
          if (n > 0) {
            progress = true;
            check();
          }
        }
      } catch (CollectiveException e) {
        throw e;
      } catch (IOException e) {
        throw fail(new CollectiveException("the connection to rank " + this.rank + " (" + connection.peer() + ") failed during "
            + callName() + ": " + e.getMessage(), this.rank, e));
      }
      return progress;
    }

    /** Validates headers as they complete and takes in finished payloads. */
    private void check() throws CollectiveException {
      if (!scatterChecked && !scatterHeaderIn.hasRemaining()) {
        expect(scatterHeaderIn, scatterTag, scatterBytes);
        scatterChecked = true;
      }
      if (scatterChecked && !contributed && !scatterIn.bytes.hasRemaining()) {
        contributed = true;
        contributions++;
      }
      if (!gatherChecked && !gatherHeaderIn.hasRemaining()) {
        expect(gatherHeaderIn, gatherTag, gatherBytes);
        gatherChecked = true;
      }
      if (gatherChecked && !received && !gatherIn.bytes.hasRemaining()) {
        received = true;
        if (floats != null) {
          int from = sliceStart(rank);
          gatherIn.floats.clear().get(floats, from, sliceStart(rank + 1) - from);
        } else if (doubles != null) {
          int from = sliceStart(rank);
          gatherIn.doubles.clear().get(doubles, from, sliceStart(rank + 1) - from);
        } else {
          longs[rank] = gatherIn.bytes.getLong(0);
        }
      }
    }

    private void expect(ByteBuffer header, int tag, int bytes) throws CollectiveException {
      int gotTag = header.getInt(0);
      int gotCall = header.getInt(4);
      int gotBytes = header.getInt(8);
      if (gotTag != tag || gotCall != call || gotBytes != bytes) {
        throw fail(new CollectiveException("rank " + this.rank + " (" + connection.peer() + ") sent a " + tagName(gotTag)
            + " of " + Integer.toUnsignedString(gotBytes) + " bytes for call " + gotCall + " where " + callName()
            + " expects a " + tagName(tag) + " of " + bytes + " bytes: dropped (do all ranks call the same operations"
            + " on vectors of the same length?)", this.rank));
      }
    }

    boolean done() {
      return received && sending == SENT;
    }

    int interest() {
      int ops = received ? 0 : SelectionKey.OP_READ;
      return sending == SEND_SCATTER || sending == SEND_GATHER ? ops | SelectionKey.OP_WRITE : ops;
    }

    /** What this rank still waits for from the peer, at pass 0 (contribution), 1 (summed slice), 2 (room to send). */
    String missing(int pass) {
      if (pass == 0 && !contributed) {
        int got = (scatterChecked ? HEADER_BYTES : scatterHeaderIn.position()) + scatterIn.bytes.position();
        return "its " + tagName(scatterTag) + " (got " + got + " of " + (HEADER_BYTES + scatterBytes) + " bytes)";
      }
      if (pass == 1 && contributed && !received) {
        int got = gatherHeaderIn.position() + gatherIn.bytes.position();
        return "its " + tagName(gatherTag) + " (got " + got + " of " + (HEADER_BYTES + gatherBytes) + " bytes)";
      }
      if (pass == 2 && received && (sending == SEND_SCATTER || sending == SEND_GATHER)) {
        return "room to send to it (it is not reading)";
      }
      return null;
    }
  }

  private static ByteBuffer header() {
    return ByteBuffer.allocateDirect(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }
}
