package dev.dendrite.spark.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Only connections that prove the run secret take part: a stranger sending garbage, a client with
 * another secret, one that sends nothing and a peer announcing a huge frame are dropped, and the group
 * still forms and sums.
 */
class AuthenticationTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Test
  void strangersAtTheTrackerAndAtAWorkersPortAreClosedAndTheGroupStillFormsAndSums() throws Exception {
    RunSecret secret = RunSecret.random();
    int port0 = freePort();
    try (Tracker tracker = Tracker.start(Groups.HOST, 2, secret, PortRange.any(), TIMEOUT)) {
      List<Socket> strangers = new ArrayList<>();
      strangers.add(garbage(tracker.address()));
      strangers.add(wrongProof(tracker.address()));
      strangers.add(silent(tracker.address()));
      // rank 0 binds its port and waits for the peer list: strangers reach it before rank 1 does
      CompletableFuture<CollectiveGroup> rank0 = CompletableFuture.supplyAsync(() -> join(0, tracker, secret, port0));
      InetSocketAddress worker = new InetSocketAddress(Groups.HOST, port0);
      strangers.add(awaitListening(worker));
      strangers.add(garbage(worker));
      strangers.add(wrongProof(worker));
      strangers.add(silent(worker));
      IOException wrongSecret = assertThrows(IOException.class,
          () -> FakeWorker.connectPeer(worker, RunSecret.random(), 1, 0, 2));
      assertTrue(wrongSecret.getMessage().contains("does not know this run's secret"), wrongSecret.getMessage());
      CollectiveGroup rank1 = join(1, tracker, secret, 0);
      try (CollectiveGroup g0 = rank0.get(10, TimeUnit.SECONDS); CollectiveGroup g1 = rank1) {
        float[] a = {1.5f, -2f, 3f};
        float[] b = {0.25f, 4f, -1f};
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
          try {
            g1.allReduce(b);
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
        g0.allReduce(a);
        other.get(10, TimeUnit.SECONDS);
        assertArrayEquals(new float[] {1.75f, 2f, 2f}, a);
        assertArrayEquals(new float[] {1.75f, 2f, 2f}, b);
      }
      for (Socket stranger : strangers) {
        // every stranger is hung up on: at once after garbage or a wrong proof, after the handshake timeout if silent
        stranger.setSoTimeout(20_000);
        InputStream in = stranger.getInputStream();
        int read;
        do {
          read = in.read();
        } while (read >= 0);
        assertEquals(-1, read);
        stranger.close();
      }
    }
  }

  @Test
  void aClientWithTheWrongSecretIsRefusedByTheTrackerWithoutDisturbingIt() throws Exception {
    RunSecret secret = RunSecret.random();
    try (Tracker tracker = Tracker.start(Groups.HOST, 1, secret, PortRange.any(), TIMEOUT)) {
      IOException refused = assertThrows(IOException.class,
          () -> FakeWorker.register(tracker.address(), RunSecret.random(), 0, 1, 0));
      assertTrue(refused.getMessage().contains("does not know this run's secret"), refused.getMessage());
      try (CollectiveGroup group = Groups.join(0, 1, tracker.address(), secret, TIMEOUT)) {
        group.sendToDriver(new byte[] {7});
        assertArrayEquals(new byte[] {7}, tracker.receive(TIMEOUT).orElseThrow().payload());
      }
    }
  }

  @Test
  void aSecondConnectionClaimingARegisteredRankIsRefused() throws Exception {
    RunSecret secret = RunSecret.random();
    try (Tracker tracker = Tracker.start(Groups.HOST, 2, secret, PortRange.any(), TIMEOUT);
         Connection first = FakeWorker.register(tracker.address(), secret, 1, 2, 1)) {
      IOException refused = assertThrows(IOException.class, () -> FakeWorker.register(tracker.address(), secret, 1, 2, 1));
      assertTrue(refused.getMessage().contains("already connected"), refused.getMessage());
    }
  }

  @Test
  void aWorkerAnnouncingAHugeControlFrameIsDroppedAndReportedByRank() throws Exception {
    RunSecret secret = RunSecret.random();
    try (Tracker tracker = Tracker.start(Groups.HOST, 1, secret, PortRange.any(), TIMEOUT);
         Connection worker = FakeWorker.register(tracker.address(), secret, 0, 1, 0)) {
      FakeWorker.peers(worker, 1);
      ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(ControlFrames.CONTROL).putInt(Integer.MAX_VALUE).flip();
      worker.writeFully(header, FakeWorker.deadline(), "a header");
      CollectiveException dropped = assertThrows(CollectiveException.class, () -> tracker.receive(TIMEOUT));
      assertEquals(0, dropped.peer(), dropped.getMessage());
      assertTrue(dropped.getMessage().contains("announced a CONTROL frame of 2147483647 bytes"), dropped.getMessage());
    }
  }

  @Test
  void aPeerAnnouncingAHugeFrameFailsTheCallAtOnceNamingIt() throws Exception {
    RunSecret secret = RunSecret.random();
    Duration patient = Duration.ofSeconds(30); // a timeout would show in the message, and take 30 s
    try (Tracker tracker = Tracker.start(Groups.HOST, 2, secret, PortRange.any(), patient)) {
      CompletableFuture<CollectiveGroup> rank0 = CompletableFuture.supplyAsync(() -> {
        try {
          return CollectiveGroup.join(0, 2, tracker.address(), secret, Groups.HOST, PortRange.any(), patient);
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      try (Connection toTracker = FakeWorker.register(tracker.address(), secret, 1, 2, 1)) {
        InetSocketAddress[] peers = FakeWorker.peers(toTracker, 2);
        try (Connection peer = FakeWorker.connectPeer(peers[0], secret, 1, 0, 2);
             CollectiveGroup group = rank0.get(10, TimeUnit.SECONDS)) {
          FakeWorker.sendHeader(peer, PeerExchange.FLOAT_SCATTER, 1, 0x7FFF_FFF0);
          CollectiveException e = assertThrows(CollectiveException.class, () -> group.allReduce(new float[10]));
          assertEquals(1, e.peer(), e.getMessage());
          assertTrue(e.getMessage().contains("float contribution of 2147483632 bytes")
              && e.getMessage().contains("expects a float contribution of 20 bytes"), e.getMessage());
          CollectiveException after = assertThrows(CollectiveException.class, () -> group.allReduce(new float[10]));
          assertTrue(after.getMessage().contains("failed earlier"), after.getMessage());
        }
      }
    }
  }

  private static CollectiveGroup join(int rank, Tracker tracker, RunSecret secret, int port) {
    try {
      return CollectiveGroup.join(rank, 2, tracker.address(), secret, Groups.HOST,
          port == 0 ? PortRange.any() : new PortRange(port, port), TIMEOUT);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Socket awaitListening(InetSocketAddress address) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return new Socket(address.getAddress(), address.getPort()); // itself a silent stranger
      } catch (IOException e) {
        if (attempt > 500) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  /** Sends a hello's worth of random bytes. */
  private static Socket garbage(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    byte[] junk = new byte[Handshake.HELLO_BYTES];
    new Random(5).nextBytes(junk);
    socket.getOutputStream().write(junk);
    return socket;
  }

  /** A well-formed hello, then a proof that is not the HMAC of the run secret. */
  private static Socket wrongProof(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    ByteBuffer hello = ByteBuffer.allocate(Handshake.HELLO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    hello.putInt(Handshake.MAGIC).putInt(Handshake.VERSION).putInt(Handshake.KIND_PEER).putInt(1).putInt(0).putInt(2)
        .put(new byte[32]);
    OutputStream out = socket.getOutputStream();
    out.write(hello.array());
    socket.getInputStream().readNBytes(Handshake.CHALLENGE_BYTES);
    out.write(new byte[Handshake.PROOF_BYTES]);
    return socket;
  }

  private static Socket silent(InetSocketAddress address) throws IOException {
    return new Socket(address.getAddress(), address.getPort());
  }
}
