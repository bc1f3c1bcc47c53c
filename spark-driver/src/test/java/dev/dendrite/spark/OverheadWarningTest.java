package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A fixed mode that would spend most of each Spark job in overhead is warned about, naming the share
 * and what auto would pick; one that computes enough per job is not. And auto's own pick: 10 % overhead,
 * at most half an epoch per round.
 */
class OverheadWarningTest {

  // trivial job 12 ms, round trip 20 ms, 1 ms of compute per step and partition
  private static final OverheadProbe.Measurement M = new OverheadProbe.Measurement(12, 20, 1, 3, 13, 4, "spark");

  @Test
  void allReduceDominatedByOverheadIsWarnedAbout() {
    String w = DistributedTrainer.overheadWarning(M, 1, 180);
    assertTrue(w != null, w);
    assertTrue(w.contains("all-reduce would spend 95% of each step in Spark overhead"), w);
    assertTrue(w.contains("averaging_frequency ~180"), w);
    assertTrue(w.contains("Spark job floor 12.0 ms"), w);
  }

  @Test
  void averagingTooOftenIsWarnedAboutTooButNotWhenRoundsCarryEnoughCompute() {
    String w = DistributedTrainer.overheadWarning(M, 10, 180);
    assertTrue(w != null, w);
    assertTrue(w.contains("averaging every 10 steps would spend 67% of each round"), w);
    assertNull(DistributedTrainer.overheadWarning(M, 20, 180)); // exactly half: not "most"
    assertNull(DistributedTrainer.overheadWarning(M, 50, 180));
  }

  @Test
  void autoKeepsOverheadUnderATenthButAveragesTwicePerEpoch() {
    // overhead / (k · compute + overhead) <= 0.1  <=>  k >= 9 · 20 / 1 = 180
    assertEquals(180, M.autoAveragingFrequency(430));
    assertEquals(150, M.autoAveragingFrequency(300)); // capped at 300 / 2
    assertEquals(1, new OverheadProbe.Measurement(12, 0.5, 10, 0.1, 12, 0.1, "in-process").autoAveragingFrequency(430));
    assertEquals(20.0 / 12, M.overheadRatio(), 1e-12);
  }
}
