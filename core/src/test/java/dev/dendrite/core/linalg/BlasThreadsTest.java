package dev.dendrite.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlasThreadsTest {

  @Test
  void openBlasStartsOneThreadPerCoreWhenNothingIsSet() {
    assertEquals(Optional.empty(), BlasThreads.setting(Map.of()));
    assertFalse(BlasThreads.singleThreaded(Map.of()));
  }

  @Test
  void theFirstVariableWithAPositiveCountDecides() {
    Map<String, String> env = Map.of("OPENBLAS_NUM_THREADS", "0", "GOTO_NUM_THREADS", "junk",
        "OMP_NUM_THREADS", "1");
    assertEquals(Optional.of("OMP_NUM_THREADS=1"), BlasThreads.setting(env));
    assertTrue(BlasThreads.singleThreaded(env));
  }

  @Test
  void aLaterVariableDoesNotOverrideAnEarlierPositiveCount() {
    Map<String, String> env = Map.of("OPENBLAS_NUM_THREADS", "4", "OMP_NUM_THREADS", "1");
    assertEquals(Optional.of("OPENBLAS_NUM_THREADS=4"), BlasThreads.setting(env));
    assertFalse(BlasThreads.singleThreaded(env));
  }

  @Test
  void aCountIsReadAsCReadsIt() {
    assertTrue(BlasThreads.singleThreaded(Map.of("OPENBLAS_NUM_THREADS", " +1 ")), "a sign and spaces");
    assertTrue(BlasThreads.singleThreaded(Map.of("OPENBLAS_NUM_THREADS", "1threads")), "trailing text");
    assertFalse(BlasThreads.singleThreaded(Map.of("OPENBLAS_NUM_THREADS", "-1")), "negative: ignored");
  }

  @Test
  void twoTrainerThreadsOnAnUnlimitedOpenBlasAreWarnedOfNamingTheFix() {
    String warning = BlasThreads.competingThreadsWarning(2, 2, Map.of()).orElseThrow();
    assertTrue(warning.contains("OPENBLAS_NUM_THREADS unset"), warning);
    assertTrue(warning.contains("Set OPENBLAS_NUM_THREADS=1"), warning);
    String set = BlasThreads.competingThreadsWarning(4, 8, Map.of("OPENBLAS_NUM_THREADS", "8")).orElseThrow();
    assertTrue(set.contains("with OPENBLAS_NUM_THREADS=8"), set);
  }

  @Test
  void nothingCompetesWithOneCallerOneCoreOrOneBlasThread() {
    assertEquals(Optional.empty(), BlasThreads.competingThreadsWarning(1, 8, Map.of()));
    assertEquals(Optional.empty(), BlasThreads.competingThreadsWarning(2, 1, Map.of()));
    assertEquals(Optional.empty(),
        BlasThreads.competingThreadsWarning(2, 2, Map.of("OPENBLAS_NUM_THREADS", "1")));
  }
}
