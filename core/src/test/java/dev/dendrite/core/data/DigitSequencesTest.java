package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DigitSequencesTest {

  @Test
  void reversedAndSortedTargetsMatchTheirInputs() {
    Dataset rev = DigitSequences.generate("reverse_digits", 5, 10, 50, 7);
    Dataset sorted = DigitSequences.generate("sort_digits", 5, 10, 50, 7);
    assertArrayEquals(rev.features(), sorted.features(), "the same seed draws the same inputs");
    assertEquals(5, rev.targetWidth());
    for (int i = 0; i < 50; i++) {
      float[] x = rev.featureRow(i);
      float[] y = rev.targetRow(i);
      for (int t = 0; t < 5; t++) {
        assertEquals(x[4 - t], y[t], "example " + i + " position " + t + " of " + Arrays.toString(x));
        assertTrue(x[t] >= 0 && x[t] < 10 && x[t] == Math.rint(x[t]), "digit " + x[t]);
      }
      float[] s = x.clone();
      Arrays.sort(s);
      assertArrayEquals(s, sorted.targetRow(i), "sorted " + Arrays.toString(x));
    }
  }

  @Test
  void aSpecGivesTheSameExamplesEveryTimeAndAnotherSeedOthers() {
    Dataset a = DigitSequences.parse("reverse_digits(length=6, examples=20, seed=3)");
    Dataset b = DigitSequences.parse(" reverse_digits( seed = 3, examples=20, length=6 ) ");
    Dataset c = DigitSequences.parse("reverse_digits(length=6, examples=20, seed=4)");
    assertArrayEquals(a.features(), b.features());
    assertEquals(120, a.features().length);
    assertTrue(!Arrays.equals(a.features(), c.features()), "seeds 3 and 4 gave the same sequences");
    assertEquals("reverse_digits(length=6, digits=10, examples=20, seed=3)", a.description());
  }

  @Test
  void badSpecsAreNamed() {
    String m = assertThrows(IllegalArgumentException.class,
        () -> DigitSequences.parse("shuffle_digits(examples=5, seed=1)")).getMessage();
    assertTrue(m.contains("unknown task 'shuffle_digits'") && m.contains("sort_digits"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> DigitSequences.parse("sort_digits(examples=5)")).getMessage();
    assertTrue(m.contains("seed is required"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> DigitSequences.parse("sort_digits(examples=5, seed=1, size=3)")).getMessage();
    assertTrue(m.contains("'size=3'") && m.contains("length"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> DigitSequences.parse("sort_digits(examples=five, seed=1)")).getMessage();
    assertTrue(m.contains("examples = 'five' is not an integer"), m);
    m = assertThrows(IllegalArgumentException.class,
        () -> DigitSequences.parse("sort_digits(examples=5, seed=1, digits=1)")).getMessage();
    assertTrue(m.contains("digits must be in [2,") && m.contains("got 1"), m);
  }
}
