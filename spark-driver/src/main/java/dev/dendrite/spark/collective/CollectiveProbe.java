package dev.dendrite.spark.collective;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Measures over loopback, in one run: the median round trip of {@link CollectiveGroup#allReduce(float[])}
 * for a vector length and n ranks (threads of this JVM, or separate JVMs started from this classpath),
 * and beside it the raw loopback TCP bandwidth (one socket, big writes), the physical limit. Usage:
 * {@code CollectiveProbe [--length 235146] [--ranks 2] [--steps 300] [--jvms]}.
 */
public final class CollectiveProbe {

  private static final String HOST = "127.0.0.1";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * Milliseconds per all-reduce (median and 90th percentile over {@code steps} timed calls on rank 0,
   * after warm-up) and loopback bytes per second (median of three transfers).
   */
  public record Measurement(int length, int ranks, boolean separateJvms, int steps, double medianMillis,
                            double p90Millis, double loopbackBytesPerSecond) {

    /** What each rank sends (and receives) per call: 2(n−1)/n of the vector. */
    public long bytesPerRank() {
      return ranks == 1 ? 0 : 2L * (ranks - 1) * 4L * length / ranks;
    }

    /** The time one rank's bytes of a call take at the loopback rate: the wire time on a full-duplex link of that rate. */
    public double bandwidthFloorMillis() {
      return bytesPerRank() / loopbackBytesPerSecond * 1e3;
    }

    /**
     * The floor over loopback: there each rank's thread copies through the kernel both what it sends
     * and what it receives (the bandwidth test has one thread for each), so twice the wire time, when
     * every rank has a core of its own.
     */
    public double loopbackFloorMillis() {
      return 2 * bandwidthFloorMillis();
    }

    @Override
    public String toString() {
      return String.format("all-reduce of %,d floats, %d ranks (%s): median %.3f ms, p90 %.3f ms per call (%d calls);"
              + " each rank sends and receives %,d bytes per call%n"
              + "loopback TCP: %.2f GB/s (one socket, 4 MiB writes): those bytes take %.3f ms at that rate; over"
              + " loopback a rank's thread copies them both ways, so %.3f ms is the floor here",
          length, ranks, separateJvms ? "separate JVMs" : "threads in one JVM", medianMillis, p90Millis, steps,
          bytesPerRank(), loopbackBytesPerSecond / 1e9, bandwidthFloorMillis(), loopbackFloorMillis());
    }
  }

  private CollectiveProbe() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--worker")) {
      worker(args);
      return;
    }
    int length = 235_146;
    int ranks = 2;
    int steps = 300;
    boolean jvms = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--length" -> length = Integer.parseInt(args[++i]);
        case "--ranks" -> ranks = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--jvms" -> jvms = true;
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: CollectiveProbe [--length 235146] [--ranks 2] [--steps 300] [--jvms]");
      }
    }
    System.out.println(measure(length, ranks, steps, jvms));
  }

  /** Measures the round trip and the loopback bandwidth; ranks 1.. run in child JVMs if {@code separateJvms}. */
  public static Measurement measure(int length, int ranks, int steps, boolean separateJvms) throws Exception {
    return measure(length, ranks, steps, separateJvms, 256L << 20);
  }

  /** As {@link #measure(int, int, int, boolean)}, with {@code transferBytes} per bandwidth transfer. */
  static Measurement measure(int length, int ranks, int steps, boolean separateJvms, long transferBytes)
      throws Exception {
    int warmup = Math.max(20, steps / 5);
    RunSecret secret = RunSecret.random();
    ExecutorService threads = Executors.newFixedThreadPool(ranks);
    List<Process> children = new ArrayList<>();
    double[] times;
    try (Tracker tracker = Tracker.start(HOST, ranks, secret, PortRange.any(), TIMEOUT)) {
      List<Future<double[]>> runs = new ArrayList<>();
      for (int r = 0; r < ranks; r++) {
        if (separateJvms && r > 0) {
          children.add(child(r, ranks, tracker.address(), secret, length, warmup + steps));
        } else {
          int rank = r;
          runs.add(threads.submit(() -> run(rank, ranks, tracker.address(), secret, length, warmup + steps)));
        }
      }
      times = runs.get(0).get(10, TimeUnit.MINUTES);
      for (Future<double[]> run : runs) {
        run.get(10, TimeUnit.MINUTES);
      }
      for (Process child : children) {
        if (!child.waitFor(1, TimeUnit.MINUTES) || child.exitValue() != 0) {
          throw new IOException("a probe worker JVM failed (exit " + (child.isAlive() ? "none: hung" : child.exitValue()) + ")");
        }
      }
    } finally {
      threads.shutdownNow();
      children.forEach(Process::destroy);
    }
    double[] timed = Arrays.copyOfRange(times, warmup, times.length);
    Arrays.sort(timed);
    double bandwidth = loopbackBandwidth(transferBytes);
    return new Measurement(length, ranks, separateJvms, steps, timed[timed.length / 2],
        timed[(int) (timed.length * 0.9)], bandwidth);
  }

  /**
   * One rank: joins, runs {@code calls} all-reduces of fresh copies of its vector, timing each, then
   * checks through {@code allGather} that every rank ended with the same bits.
   */
  private static double[] run(int rank, int ranks, InetSocketAddress tracker, RunSecret secret, int length, int calls)
      throws IOException {
    float[] source = new float[length];
    Random random = new Random(rank);
    for (int i = 0; i < length; i++) {
      source[i] = (float) random.nextGaussian();
    }
    float[] data = new float[length];
    double[] millis = new double[calls];
    try (CollectiveGroup group = CollectiveGroup.join(rank, ranks, tracker, secret, HOST, PortRange.any(), TIMEOUT)) {
      for (int call = 0; call < calls; call++) {
        System.arraycopy(source, 0, data, 0, length);
        long start = System.nanoTime();
        group.allReduce(data);
        millis[call] = (System.nanoTime() - start) / 1e6;
      }
      long checksum = 1;
      for (float x : data) {
        checksum = checksum * 31 + Float.floatToRawIntBits(x);
      }
      long[] all = group.allGather(checksum);
      for (long other : all) {
        if (other != checksum) {
          throw new IOException("ranks ended with different sums: checksums " + Arrays.toString(all));
        }
      }
    }
    return millis;
  }

  /** A child JVM running {@link #run} for {@code rank}; the secret goes through its standard input, never its command line. */
  private static Process child(int rank, int ranks, InetSocketAddress tracker, RunSecret secret, int length, int calls)
      throws IOException {
    String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        CollectiveProbe.class.getName(), "--worker", String.valueOf(rank), String.valueOf(ranks),
        tracker.getHostString(), String.valueOf(tracker.getPort()), String.valueOf(length), String.valueOf(calls))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write((HexFormat.of().formatHex(secret.bytes()) + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return process;
  }

  private static void worker(String[] args) throws IOException {
    byte[] line = System.in.readNBytes(64);
    RunSecret secret = RunSecret.of(HexFormat.of().parseHex(new String(line, StandardCharsets.US_ASCII)));
    run(Integer.parseInt(args[1]), Integer.parseInt(args[2]), new InetSocketAddress(args[3], Integer.parseInt(args[4])),
        secret, Integer.parseInt(args[5]), Integer.parseInt(args[6]));
  }

  /** Bytes per second through one loopback socket with 4 MiB writes: the median of three transfers of {@code bytes}. */
  public static double loopbackBandwidth(long bytes) throws Exception {
    double[] rates = new double[3];
    for (int t = 0; t < rates.length; t++) {
      rates[t] = transfer(bytes);
    }
    Arrays.sort(rates);
    return rates[1];
  }

  private static double transfer(long total) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(HOST, 0));
      ExecutorService reader = Executors.newSingleThreadExecutor();
      try {
        Future<Double> rate = reader.submit(() -> {
          try (SocketChannel in = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
            long got = 0;
            long start = 0;
            while (got < total) {
              buffer.clear();
              int n = in.read(buffer);
              if (n < 0) {
                break;
              }
              if (got == 0) {
                start = System.nanoTime();
              }
              got += n;
            }
            return got / ((System.nanoTime() - start) / 1e9);
          }
        });
        try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
          for (long sent = 0; sent < total; sent += buffer.capacity()) {
            buffer.clear();
            while (buffer.hasRemaining()) {
              out.write(buffer);
            }
          }
        }
        return rate.get(1, TimeUnit.MINUTES);
      } finally {
        reader.shutdownNow();
      }
    }
  }
}
