package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerCrewTest {

  @Test
  void everyIndexRunsOnceAndTheBarrierSeparatesThePhases() {
    try (WorkerCrew crew = new WorkerCrew(2, "test")) {
      long[] before = new long[3];
      long[] after = new long[3];
      for (int round = 1; round <= 2000; round++) {
        long r = round;
        crew.run(3, i -> {
          before[i] = r;
          crew.await();
          // after the barrier every participant sees every other participant's first phase
          after[i] = before[0] + before[1] + before[2];
        });
        assertArrayEquals(new long[] {3 * r, 3 * r, 3 * r}, after, "round " + round);
      }
    }
  }

  @Test
  void fewerPartiesThanWorkersLeaveTheOthersIdle() {
    try (WorkerCrew crew = new WorkerCrew(3, "test")) {
      AtomicIntegerArray runs = new AtomicIntegerArray(4);
      for (int round = 0; round < 100; round++) {
        crew.run(2, i -> {
          runs.incrementAndGet(i);
          crew.await();
        });
      }
      assertEquals("[100, 100, 0, 0]", runs.toString(), "runs per index");
    }
  }

  @Test
  void aWorkersFailureReachesTheCallerAndReleasesTheBarrier() {
    try (WorkerCrew crew = new WorkerCrew(1, "test")) {
      IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> crew.run(2, i -> {
        if (i == 1) {
          throw new IllegalArgumentException("worker failed");
        }
        crew.await(); // the caller would wait here forever if the failure did not release it
      }));
      assertEquals("worker failed", thrown.getMessage());
      // and the crew still works afterwards
      int[] seen = new int[2];
      crew.run(2, i -> seen[i] = i + 1);
      assertArrayEquals(new int[] {1, 2}, seen);
    }
  }
}
