package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Dataset.TargetKind;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatasetTest {

  /** Row r has features (r, 10r, 100r) and class r % 3, weight r. */
  static Dataset rows(int n) {
    float[] f = new float[n * 3];
    float[] t = new float[n];
    float[] w = new float[n];
    for (int r = 0; r < n; r++) {
      f[r * 3] = r;
      f[r * 3 + 1] = 10 * r;
      f[r * 3 + 2] = 100 * r;
      t[r] = r % 3;
      w[r] = r;
    }
    return new Dataset(f, Shape.of(3), t, 1, TargetKind.CLASS_INDEX, 3, w, "rows");
  }

  @Test
  void sizesAndRowAccess() {
    Dataset d = rows(5);
    assertEquals(5, d.size());
    assertEquals(3, d.featureWidth());
    assertEquals(1, d.targetWidth());
    assertEquals(3, d.classes());
    assertArrayEquals(new float[] {4, 40, 400}, d.featureRow(4));
    assertEquals(1, d.label(4));
    assertEquals(4f, d.weight(4));
    assertArrayEquals(new int[] {2, 2, 1}, d.classCounts());
    assertEquals(12, d.featureOffset(4));
    assertThrows(IndexOutOfBoundsException.class, () -> d.featureRow(5));
  }

  @Test
  void inferredClassesAreMaxLabelPlusOne() {
    Dataset d = Dataset.ofClasses(new float[4], Shape.of(2), new float[] {0, 4}, 0, "x");
    assertEquals(5, d.classes());
  }

  @Test
  void nonFiniteFeatureNamesRowAndColumn() {
    float[] f = {1, 2, 3, 4, Float.NaN, 6};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofRegression(f, Shape.of(3), new float[2], 1, "tiny"));
    assertTrue(e.getMessage().contains("row 1, column 1"), e.getMessage());
    assertTrue(e.getMessage().contains("tiny"), e.getMessage());
  }

  @Test
  void lengthMismatchesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofRegression(new float[7], Shape.of(3), new float[2], 1, "x"));
    assertTrue(e.getMessage().contains("not a multiple of the row width 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses(new float[6], Shape.of(3), new float[3], 0, "x"));
    assertTrue(e.getMessage().contains("2 feature rows need 2 target floats"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses(new float[6], Shape.of(3), new float[] {0, 3}, 3, "x"));
    assertTrue(e.getMessage().contains("label of row 1 is 3.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(new float[6], Shape.of(3), new float[2], 1, TargetKind.REGRESSION, 0,
            new float[] {1, -1}, "x"));
    assertTrue(e.getMessage().contains("weight of row 1 is -1.0"), e.getMessage());
  }

  @Test
  void shuffleKeepsRowsTogetherAndSameSeedGivesSameOrder() {
    Dataset a = rows(50);
    Dataset b = rows(50);
    a.shuffle(new Rng(42));
    b.shuffle(new Rng(42));
    assertArrayEquals(a.features(), b.features());
    assertArrayEquals(a.targets(), b.targets());
    boolean moved = false;
    int[] seen = new int[50];
    for (int r = 0; r < 50; r++) {
      int orig = (int) a.features()[r * 3];
      moved |= orig != r;
      seen[orig]++;
      assertEquals(10f * orig, a.features()[r * 3 + 1]);
      assertEquals(100f * orig, a.features()[r * 3 + 2]);
      assertEquals(orig % 3, a.label(r));
      assertEquals(orig, a.weight(r));
    }
    assertTrue(moved);
    for (int s : seen) {
      assertEquals(1, s);
    }
    Dataset c = rows(50);
    c.shuffle(new Rng(43));
    assertFalse(Arrays.equals(a.features(), c.features()));
  }

  @Test
  void batchHelpersCoverEveryRowOnce() {
    Dataset d = rows(10);
    assertEquals(4, d.batchCount(3));
    assertEquals(9, d.batchStart(3, 3));
    assertEquals(1, d.batchRows(3, 3));
    assertEquals(3, d.batchRows(0, 3));
    int total = 0;
    for (int b = 0; b < d.batchCount(3); b++) {
      assertEquals(total, d.batchStart(b, 3));
      total += d.batchRows(b, 3);
    }
    assertEquals(10, total);
    assertThrows(IndexOutOfBoundsException.class, () -> d.batchStart(4, 3));
  }

  @Test
  void subsetCopiesRowsInOrder() {
    Dataset d = rows(6);
    Dataset s = d.subset(new int[] {5, 0, 5});
    assertEquals(3, s.size());
    assertArrayEquals(new float[] {5, 50, 500, 0, 0, 0, 5, 50, 500}, s.features());
    assertArrayEquals(new float[] {2, 0, 2}, s.targets());
    assertArrayEquals(new float[] {5, 0, 5}, s.weights());
    s.features()[0] = -1;
    assertEquals(5f, d.features()[15]);
  }

  @Test
  void oneHotAndWeightsMakeCopies() {
    Dataset d = rows(4);
    Dataset h = d.withOneHotTargets();
    assertEquals(TargetKind.ONE_HOT, h.targetKind());
    assertEquals(3, h.targetWidth());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, h.targets());
    assertArrayEquals(new int[] {0, 1, 2, 0}, h.labels());
    assertNotSame(d.features(), h.features());
    Dataset wider = d.withOneHotTargets(5);
    assertEquals(5, wider.targetWidth());
    assertThrows(IllegalArgumentException.class, () -> d.withOneHotTargets(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.oneHot(new float[] {0, 1.5f}, 3));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());

    Dataset w = d.withWeights(new float[] {1, 2, 3, 4});
    assertArrayEquals(new float[] {1, 2, 3, 4}, w.weights());
    assertArrayEquals(new float[] {0, 1, 2, 3}, d.weights());
    assertNull(d.withWeights(null).weights());
    w.shuffle(new Rng(1));
    assertArrayEquals(rows(4).features(), d.features());   // shuffling the copy leaves d alone
  }

  @Test
  void oneHotAndMultiLabelTargetsAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(new float[2], Shape.of(1), new float[] {1, 0, 1, 1}, 2, TargetKind.ONE_HOT, 0, null, "x"));
    assertTrue(e.getMessage().contains("row 1 has 2 ones"), e.getMessage());
    Dataset m = new Dataset(new float[2], Shape.of(1), new float[] {1, 0, 1, 1}, 2, TargetKind.MULTI_LABEL, 0,
        null, "x");
    assertEquals(2, m.classes());
    assertThrows(IllegalStateException.class, () -> m.label(0));
  }
}
