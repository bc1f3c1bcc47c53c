package dev.dendrite.spark.collective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The probe across JVMs: rank 1 runs in a child JVM started from the test classpath, and the probe
 * fails unless both ranks end every run with the same bits (it compares checksums through allGather).
 */
class CollectiveProbeTest {

  @Test
  void twoJvmsAllReduceToTheSameBitsAndTheProbeReportsItsFigures() throws Exception {
    CollectiveProbe.Measurement m = CollectiveProbe.measure(10_001, 2, 30, true, 4L << 20);
    assertEquals(2L * 4 * 10_001 / 2, m.bytesPerRank());
    assertTrue(m.medianMillis() > 0, m.toString());
    assertTrue(m.loopbackBytesPerSecond() > 0, m.toString());
    assertTrue(m.toString().contains("2 ranks (separate JVMs)"), m.toString());
  }
}
