package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.core.tensor.Shape;
import java.util.Random;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ColumnStatisticsTest {

  @Test
  void mergedPartsFitTheSameScalersAsTheWholeData() {
    int w = 3;
    int n = 101;
    float[] x = new float[n * w];
    Random rng = new Random(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextGaussian() * 3 + 100);
    }
    for (int r = 0; r < n; r++) {
      x[r * w + 2] = 7f;   // a constant column
    }
    ColumnStatistics parts = new ColumnStatistics(w).add(Arrays.copyOfRange(x, 0, 40 * w), 40)
        .merge(new ColumnStatistics(w)).merge(new ColumnStatistics(w).add(Arrays.copyOfRange(x, 40 * w, n * w), n - 40));
    Dataset whole = Dataset.ofRegression(x, Shape.of(w), new float[n], 1, "x");
    StandardScaler expected = new StandardScaler().fit(whole);
    StandardScaler fitted = (StandardScaler) parts.fit(new StandardScaler());
    assertEquals(n, parts.count());
    assertArrayEquals(expected.mean(), fitted.mean(), 1e-9);
    assertArrayEquals(expected.std(), fitted.std(), 1e-9);
    assertEquals(1.0, fitted.std()[2], 0.0, "a constant column is divided by 1");
    MinMaxScaler minMax = (MinMaxScaler) parts.fit(new MinMaxScaler());
    MinMaxScaler expectedMinMax = new MinMaxScaler().fit(whole);
    assertArrayEquals(expectedMinMax.min(), minMax.min(), 0.0);
    assertArrayEquals(expectedMinMax.max(), minMax.max(), 0.0);
  }
}
