package dev.dendrite.spark.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rank that dies or hangs makes every other rank's call fail, naming it, instead of blocking. */
class PeerFailureTest {

  @Test
  void aRankThatClosesMidAllReduceMakesTheOthersFailAtOnceNamingIt() throws Exception {
    try (Groups groups = Groups.form(3, Duration.ofSeconds(30))) {
      List<Object> outcomes = groups.outcomes(g -> {
        for (int step = 0; step < 5; step++) {
          if (g.rank() == 2 && step == 3) {
            g.close();
            return "closed";
          }
          g.allReduce(AllReduceTest.vector(50_000, g.rank(), step));
        }
        return "finished";
      });
      assertEquals("closed", outcomes.get(2));
      for (int r = 0; r < 2; r++) {
        CollectiveException e = assertInstanceOf(CollectiveException.class, outcomes.get(r), String.valueOf(outcomes.get(r)));
        assertEquals(2, e.peer(), e.getMessage());
        assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
        assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
      }
    }
  }

  @Test
  void aRankThatStopsParticipatingMakesTheOthersFailAfterTheTimeoutNamingIt() throws Exception {
    try (Groups groups = Groups.form(3, Duration.ofMillis(1500))) {
      List<Object> outcomes = groups.outcomes(g -> {
        for (int step = 0; step < 5; step++) {
          if (g.rank() == 2 && step == 2) {
            return "silent"; // alive, connections open, but no longer calling
          }
          g.allReduce(AllReduceTest.vector(1000, g.rank(), step));
        }
        return "finished";
      });
      assertEquals("silent", outcomes.get(2));
      for (int r = 0; r < 2; r++) {
        CollectiveException e = assertInstanceOf(CollectiveException.class, outcomes.get(r), String.valueOf(outcomes.get(r)));
        assertEquals(2, e.peer(), e.getMessage());
        assertTrue(e.getMessage().contains("timed out after 1500 ms in call 3"), e.getMessage());
        assertTrue(e.getMessage().contains("rank 2: its float contribution (got 0 of"), e.getMessage());
      }
      List<Object> later = groups.outcomes(g -> g.rank() == 2 ? "skip" : g.allGather(1));
      for (int r = 0; r < 2; r++) {
        CollectiveException e = assertInstanceOf(CollectiveException.class, later.get(r), String.valueOf(later.get(r)));
        assertTrue(e.getMessage().contains("failed earlier"), e.getMessage());
      }
    }
  }

  @Test
  void ranksCallingDifferentOperationsOrLengthsFailAtOnceNamingThePeerAndBothFrames() throws Exception {
    try (Groups groups = Groups.form(2, Duration.ofSeconds(30))) {
      List<Object> lengths = groups.outcomes(g -> {
        g.allReduce(new float[g.rank() == 0 ? 10 : 12]);
        return "finished";
      });
      CollectiveException e0 = assertInstanceOf(CollectiveException.class, lengths.get(0), String.valueOf(lengths.get(0)));
      assertEquals(1, e0.peer());
      assertTrue(e0.getMessage().contains("sent a float contribution of 24 bytes for call 1 where call 1 (float all-reduce"
          + " of 10 values) expects a float contribution of 20 bytes"), e0.getMessage());
      CollectiveException e1 = assertInstanceOf(CollectiveException.class, lengths.get(1), String.valueOf(lengths.get(1)));
      assertEquals(0, e1.peer());
    }
    try (Groups groups = Groups.form(2, Duration.ofSeconds(30))) {
      List<Object> kinds = groups.outcomes(g -> {
        if (g.rank() == 0) {
          return g.allGather(5);
        }
        g.allReduce(new double[4]);
        return "finished";
      });
      CollectiveException e0 = assertInstanceOf(CollectiveException.class, kinds.get(0), String.valueOf(kinds.get(0)));
      assertTrue(e0.getMessage().contains("sent a double contribution of 16 bytes for call 1 where call 1 (long all-gather)"
          + " expects a long value of 8 bytes"), e0.getMessage());
    }
  }
}
