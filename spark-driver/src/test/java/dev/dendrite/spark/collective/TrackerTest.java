package dev.dendrite.spark.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The driver's side: control frames both ways, and what it reports when workers fail or never come. */
class TrackerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void controlFramesTravelBothWaysBetweenTheDriverAndEveryRank() throws Exception {
    try (Groups groups = Groups.form(3, TIMEOUT)) {
      groups.onEveryRank(g -> {
        g.sendToDriver(("hello from " + g.rank()).getBytes(StandardCharsets.UTF_8));
        return null;
      });
      String[] heard = new String[3];
      for (int i = 0; i < 3; i++) {
        Tracker.Frame frame = groups.tracker.receive(TIMEOUT).orElseThrow();
        heard[frame.rank()] = new String(frame.payload(), StandardCharsets.UTF_8);
      }
      assertEquals("[hello from 0, hello from 1, hello from 2]", Arrays.toString(heard));
      for (int r = 0; r < 3; r++) {
        groups.tracker.send(r, new byte[] {(byte) r, 42});
      }
      List<byte[]> received = groups.onEveryRank(g -> g.receiveFromDriver(TIMEOUT));
      for (int r = 0; r < 3; r++) {
        assertArrayEquals(new byte[] {(byte) r, 42}, received.get(r));
      }
      assertEquals(Optional.empty(), groups.tracker.receive(Duration.ofMillis(50)));
    }
  }

  @Test
  void aWorkerCanPollForDriverFramesAndAReceiveThatTimesOutLeavesTheChannelUsable() throws Exception {
    try (Groups groups = Groups.form(1, TIMEOUT)) {
      CollectiveGroup worker = groups.ranks.get(0);
      assertEquals(Optional.empty(), worker.pollFromDriver().map(Arrays::toString));
      CollectiveException e = assertThrows(CollectiveException.class, () -> worker.receiveFromDriver(Duration.ofMillis(50)));
      assertTrue(e.getMessage().equals("rank 0: no control frame from the driver within 50 ms"), e.getMessage());
      groups.tracker.send(0, new byte[] {1, 2, 3});
      groups.tracker.send(0, new byte[] {4});
      assertArrayEquals(new byte[] {1, 2, 3}, worker.receiveFromDriver(TIMEOUT));
      byte[] next = null;
      for (int attempt = 0; next == null && attempt < 1000; attempt++) {
        next = worker.pollFromDriver().orElse(null);
        Thread.sleep(next == null ? 5 : 0);
      }
      assertArrayEquals(new byte[] {4}, next);
    }
  }

  @Test
  void aWorkerWhoseDriverGoneFailsItsReceiveNamingTheTracker() throws Exception {
    Groups groups = Groups.form(1, TIMEOUT);
    try {
      groups.tracker.close();
      CollectiveException e = assertThrows(CollectiveException.class,
          () -> groups.ranks.get(0).receiveFromDriver(TIMEOUT));
      assertTrue(e.getMessage().startsWith("the tracker at /127.0.0.1:"), e.getMessage());
      assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
      CollectiveException again = assertThrows(CollectiveException.class, () -> groups.ranks.get(0).pollFromDriver());
      assertTrue(again.getMessage().startsWith("the channel to the driver failed earlier"), again.getMessage());
    } finally {
      groups.close();
    }
  }

  @Test
  void aWorkerWhoseConnectionEndsWithoutGoodbyeIsReportedByRankButOneThatClosesIsNot() throws Exception {
    RunSecret secret = RunSecret.random();
    try (Tracker tracker = Tracker.start(Groups.HOST, 2, secret, PortRange.any(), TIMEOUT)) {
      Connection rank0 = FakeWorker.register(tracker.address(), secret, 0, 2, 1);
      Connection rank1 = FakeWorker.register(tracker.address(), secret, 1, 2, 1);
      FakeWorker.peers(rank0, 2);
      FakeWorker.peers(rank1, 2);
      ControlFrames.write(rank0, ControlFrames.BYE, new byte[0], FakeWorker.deadline());
      rank0.close();
      rank1.close(); // no goodbye: a failure
      CollectiveException e = assertThrows(CollectiveException.class, () -> tracker.receive(TIMEOUT));
      assertEquals(1, e.peer(), e.getMessage());
      assertTrue(e.getMessage().startsWith("rank 1 ("), e.getMessage());
      assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
      assertEquals(Optional.empty(), tracker.receive(Duration.ofMillis(100)));
    }
  }

  @Test
  void aGroupThatDoesNotFormWithinTheTimeoutNamesTheRanksThatNeverRegistered() throws Exception {
    RunSecret secret = RunSecret.random();
    try (Tracker tracker = Tracker.start(Groups.HOST, 3, secret, PortRange.any(), Duration.ofMillis(300));
         Connection rank1 = FakeWorker.register(tracker.address(), secret, 1, 3, 1)) {
      CollectiveException e = assertThrows(CollectiveException.class, () -> tracker.receive(TIMEOUT));
      assertTrue(e.getMessage().startsWith("ranks [0, 2] of 3 did not register"), e.getMessage());
      assertEquals(0, e.peer());
      assertThrows(IllegalStateException.class, () -> tracker.send(0, new byte[1]));
    }
  }

  @Test
  void aWorkerJoinFailsNamingTheTrackerWhenNoneListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CollectiveException e = assertThrows(CollectiveException.class, () -> CollectiveGroup.join(0, 1,
        new java.net.InetSocketAddress(Groups.HOST, port), RunSecret.random(), Groups.HOST, PortRange.any(), TIMEOUT));
    assertTrue(e.getMessage().startsWith("could not connect to the tracker at /127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void portRangesParseTheirThreeFormsAndNameBadValues() throws Exception {
    assertEquals(PortRange.any(), PortRange.parse("0"));
    assertEquals(new PortRange(40000, 40000), PortRange.parse("40000"));
    assertEquals(new PortRange(40000, 40100), PortRange.parse(" 40000-40100 "));
    for (String bad : new String[] {"", "abc", "40100-40000", "0-10", "70000", "-5", "1-2-3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortRange.parse(bad), bad);
      assertTrue(e.getMessage().equals("distributed.collective.ports: '" + bad + "' is not a port range; expected "
          + "0 (any free port), a port like 40000, or a range like 40000-40100"), e.getMessage());
    }
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName(Groups.HOST))) {
      int port = taken.getLocalPort();
      BindException e = assertThrows(BindException.class, () -> Tracker.start(Groups.HOST, 1, RunSecret.random(),
          new PortRange(port, port), TIMEOUT));
      assertTrue(e.getMessage().startsWith("no free port in port " + port + " on 127.0.0.1"), e.getMessage());
    }
    BindException foreign = assertThrows(BindException.class, () -> Tracker.start("192.0.2.1", 1, RunSecret.random(),
        PortRange.any(), TIMEOUT)); // TEST-NET-1: never an address of this machine
    assertTrue(foreign.getMessage().startsWith("cannot listen on 192.0.2.1 port 0"), foreign.getMessage());
    assertTrue(foreign.getMessage().endsWith("is 192.0.2.1 an address of this machine?"), foreign.getMessage());
  }

  @Test
  void theSecretNeverPrintsAndSurvivesTheTaskClosure() throws Exception {
    RunSecret secret = RunSecret.random();
    assertEquals("RunSecret[redacted]", secret.toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(secret);
    }
    RunSecret copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (RunSecret) in.readObject();
    }
    assertArrayEquals(secret.bytes(), copy.bytes());
    assertThrows(IllegalArgumentException.class, () -> RunSecret.of(new byte[5]));
  }
}
