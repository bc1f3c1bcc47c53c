package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

// a lost wake-up leaves run() or await() waiting forever: fail the test instead of hanging the build
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
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
  void workersThatParkedBetweenStepsWakeForTheNextOne() {
    // pauses around the spin time: some workers are still spinning, some just parking, some asleep,
    // and a wake-up lost in between would leave run() waiting forever
    Random random = new Random(7);
    try (WorkerCrew crew = new WorkerCrew(2, "test")) {
      AtomicIntegerArray runs = new AtomicIntegerArray(3);
      for (int round = 0; round < 300; round++) {
        crew.run(3, i -> {
          runs.incrementAndGet(i);
          crew.await();
        });
        LockSupport.parkNanos(random.nextLong(WorkerCrew.SPIN_NANOS * 2));
      }
      assertEquals("[300, 300, 300]", runs.toString(), "runs per index");
    }
  }

  @Test
  void aCallerWaitingLongerThanItSpinsIsWokenWhenTheWorkersFinish() {
    try (WorkerCrew crew = new WorkerCrew(1, "test")) {
      int[] seen = new int[2];
      for (int round = 1; round <= 20; round++) {
        int r = round;
        crew.run(2, i -> {
          if (i == 1) {
            LockSupport.parkNanos(3 * WorkerCrew.SPIN_NANOS); // the caller, done at once, parks meanwhile
          }
          seen[i] = r;
        });
        assertArrayEquals(new int[] {r, r}, seen, "round " + round);
      }
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
