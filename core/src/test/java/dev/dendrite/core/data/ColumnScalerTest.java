package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.core.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MinMaxScaler} and {@link StandardScaler} share {@link ColumnScaler}: their map forms, checks and
 * messages stay their own (keys min/max and mean/std), and a fitted scaler keeps copies of its arrays.
 */
class ColumnScalerTest {

  @Test
  void mapFormsUseEachScalersOwnKeys() {
    assertEquals(Map.of("type", "min_max"), new MinMaxScaler().toMap());
    assertEquals(List.of("type", "width", "mean", "std"),
        List.copyOf(new StandardScaler(new double[] {1}, new double[] {2}).toMap().keySet()));
    assertEquals(List.of("min_max", 2, List.of(0.0, 1.0), List.of(4.0, 1.0)),
        List.copyOf(new MinMaxScaler(new double[] {0, 1}, new double[] {4, 1}).toMap().values()));
    assertEquals(-1, new StandardScaler().width());
    assertNull(new StandardScaler().mean());
  }

  @Test
  void minMaxDividesByTheRangeAndStandardByTheStd() {
    float[] x = {2, 5, 3, 5};
    new MinMaxScaler(new double[] {1, 5}, new double[] {5, 5}).transform(x, 0, 2);
    assertArrayEquals(new float[] {0.25f, 0, 0.5f, 0}, x);
    float[] z = {0, 3, 7, 3};
    new StandardScaler(new double[] {1, 3}, new double[] {2, 1}).transform(z, 1, 1);
    assertArrayEquals(new float[] {0, 1, 4, 3}, z);
  }

  @Test
  void fittedArraysAreCopies() {
    double[] min = {0};
    double[] max = {2};
    MinMaxScaler s = new MinMaxScaler(min, max);
    min[0] = 1;
    s.max()[0] = 9;
    assertArrayEquals(new double[] {0}, s.min());
    assertArrayEquals(new double[] {2}, s.max());
  }

  @Test
  void checksNameTheirOwnKeys() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StandardScaler(new double[1], null));
    assertEquals("mean and std need one value per feature each", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler(new double[1], new double[2]));
    assertEquals("min and max need one value per feature each", e.getMessage());
    ConfigException c = assertThrows(ConfigException.class,
        () -> new MinMaxScaler(new double[] {0, 3}, new double[] {1, 2}));
    assertEquals("max[1]: must be finite and >= min (3.0), got 2.0", c.getMessage());
    c = assertThrows(ConfigException.class, () -> Preprocessor.fromMap(Map.of("type", "standard", "width", 1,
        "mean", List.of(0), "std", List.of(0))));
    assertEquals("preprocessing.std[0]: must be finite and > 0, got 0.0", c.getMessage());
    c = assertThrows(ConfigException.class, () -> Preprocessor.fromMap(Map.of("type", "min_max", "width", 1,
        "min", List.of(0))));
    assertEquals("preprocessing.max", c.key());
  }
}
