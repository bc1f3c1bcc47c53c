package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.random.Rng;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitsTest {

  /** Row r has feature r; classes with counts {@code counts}. */
  private static Dataset imbalanced(int... counts) {
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    float[] f = new float[n];
    float[] t = new float[n];
    int r = 0;
    for (int c = 0; c < counts.length; c++) {
      for (int k = 0; k < counts[c]; k++) {
        f[r] = r;
        t[r] = c;
        r++;
      }
    }
    // interleave so that classes are not in blocks
    Dataset d = Dataset.ofClasses(f, Shape.of(1), t, counts.length, "imbalanced");
    d.shuffle(new Rng(99));
    return d;
  }

  @Test
  void randomSplitIsAPartitionAndSeeded() {
    Dataset d = imbalanced(50, 30, 20);
    List<Dataset> parts = Splits.random(d, new Rng(5), 0.7, 0.2, 0.1);
    assertEquals(70, parts.get(0).size());
    assertEquals(20, parts.get(1).size());
    assertEquals(10, parts.get(2).size());
    Set<Float> seen = new HashSet<>();
    for (Dataset p : parts) {
      for (int r = 0; r < p.size(); r++) {
        assertTrue(seen.add(p.features()[r]));
      }
    }
    assertEquals(100, seen.size());
    List<Dataset> again = Splits.random(d, new Rng(5), 0.7, 0.2, 0.1);
    assertArrayEquals(parts.get(1).features(), again.get(1).features());
    assertTrue(parts.get(2).description().contains("random split 3 of 3"), parts.get(2).description());
  }

  @Test
  void stratifiedSplitKeepsClassProportionsWithinOneExample() {
    int[] counts = {503, 211, 97, 13, 1};
    Dataset d = imbalanced(counts);
    double[] fractions = {0.6, 0.25, 0.15};
    List<Dataset> parts = Splits.stratified(d, new Rng(7), fractions);
    int total = 0;
    for (int k = 0; k < parts.size(); k++) {
      int[] got = parts.get(k).classCounts();
      for (int c = 0; c < counts.length; c++) {
        assertTrue(Math.abs(got[c] - fractions[k] * counts[c]) <= 1.0,
            "split " + k + " class " + c + ": " + got[c] + " vs " + fractions[k] * counts[c]);
      }
      total += parts.get(k).size();
    }
    assertEquals(d.size(), total);
    int[] sum = new int[counts.length];
    for (Dataset p : parts) {
      int[] got = p.classCounts();
      for (int c = 0; c < counts.length; c++) {
        sum[c] += got[c];
      }
    }
    assertArrayEquals(counts, sum);
  }

  @Test
  void fractionsMustAddUpToOne() {
    Dataset d = imbalanced(5, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Splits.random(d, new Rng(1), 0.5, 0.4));
    assertTrue(e.getMessage().contains("add up to 0.9"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Splits.random(d, new Rng(1), 1.2, -0.2));
  }

  @Test
  void tailKeepsOrder() {
    Dataset d = Dataset.ofRegression(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Shape.of(1), new float[10], 1, "x");
    List<Dataset> parts = Splits.tail(d, 0.2);
    assertArrayEquals(new float[] {8, 9}, parts.get(1).features());
    assertEquals(8, parts.get(0).size());
  }

  @Test
  void oversamplingEqualizesCountsKeepsOriginalsAndIsSeeded() {
    Dataset d = imbalanced(20, 7, 3);
    Dataset o = Resampling.oversample(d, new Rng(3));
    assertArrayEquals(new int[] {20, 20, 20}, o.classCounts());
    Set<Float> originals = new HashSet<>();
    for (int r = 0; r < o.size(); r++) {
      originals.add(o.features()[r]);
      // each row is still a row of d with its own label
      int orig = (int) o.features()[r];
      int expectedClass = orig < 20 ? 0 : orig < 27 ? 1 : 2;
      assertEquals(expectedClass, o.label(r));
    }
    assertEquals(30, originals.size());
    Dataset again = Resampling.oversample(d, new Rng(3));
    assertArrayEquals(o.features(), again.features());
  }
}
