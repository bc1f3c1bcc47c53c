package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.io.Json;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

  /** Columns: 1, 2, 3 | 10, 10, 10 (constant) | -4, 0, 4. */
  private static Dataset train() {
    return Dataset.ofRegression(new float[] {1, 10, -4, 2, 10, 0, 3, 10, 4}, Shape.of(3), new float[3], 1, "train");
  }

  @Test
  void minMaxScalesToUnitRangeAndShiftsConstantColumns() {
    Dataset d = train();
    MinMaxScaler s = new MinMaxScaler().fit(d);
    assertArrayEquals(new double[] {1, 10, -4}, s.min());
    assertArrayEquals(new double[] {3, 10, 4}, s.max());
    s.transform(d);
    assertArrayEquals(new float[] {0, 0, 0, 0.5f, 0, 0.5f, 1, 0, 1}, d.features());
    float[] test = {5, 11, -8};   // outside the training range: not clipped
    s.transform(test, 0, 1);
    assertArrayEquals(new float[] {2, 1, -0.5f}, test);
  }

  @Test
  void standardUsesPopulationStdAndOneForConstantColumns() {
    Dataset d = train();
    StandardScaler s = new StandardScaler().fit(d);
    assertArrayEquals(new double[] {2, 10, 0}, s.mean());
    double sd0 = Math.sqrt(2.0 / 3);
    double sd2 = Math.sqrt(32.0 / 3);
    assertArrayEquals(new double[] {sd0, 1, sd2}, s.std(), 1e-15);
    s.transform(d);
    assertArrayEquals(new float[] {(float) (-1 / sd0), 0, (float) (-4 / sd2), 0, 0, 0, (float) (1 / sd0), 0,
        (float) (4 / sd2)}, d.features(), 1e-6f);
  }

  @Test
  void standardStatisticsAreComputedInDouble() {
    // a large offset with a tiny spread: float accumulation would lose the spread entirely
    int n = 10000;
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = 1.0e4f + (i % 2 == 0 ? 0.125f : -0.125f);
    }
    StandardScaler s = new StandardScaler().fit(Dataset.ofRegression(f, Shape.of(1), new float[n], 1, "x"));
    assertEquals(1.0e4, s.mean()[0], 1e-9);
    assertEquals(0.125, s.std()[0], 1e-9);
  }

  @Test
  void pixelScalerDividesByMax() {
    Dataset d = Dataset.ofRegression(new float[] {0, 51, 255, 255}, Shape.of(2), new float[2], 1, "px");
    PixelScaler p = new PixelScaler().fit(d);
    p.transform(d);
    assertArrayEquals(new float[] {0, 0.2f, 1, 1}, d.features());
    PixelScaler p16 = new PixelScaler(65535).fit(d);
    assertEquals(65535, p16.max());
  }

  @Test
  void pipelineFitsEachStepOnThePreviousOutput() {
    Dataset d = train();
    float[] before = d.features().clone();
    Pipeline p = Pipeline.of(new PixelScaler(2), new StandardScaler()).fit(d);
    assertArrayEquals(before, d.features());   // fitting changes nothing
    StandardScaler second = (StandardScaler) p.steps().get(1);
    assertArrayEquals(new double[] {1, 5, 0}, second.mean(), 1e-12);   // fitted on x / 2
    p.transform(d);
    assertEquals(0, d.features()[4], 0);
  }

  @Test
  void serializedFormRoundTripsThroughJsonExactly() {
    Dataset d = train();
    Pipeline fitted = Pipeline.of(new MinMaxScaler(), new StandardScaler(), new PixelScaler(7)).fit(d);
    String json = Json.write(fitted.toMap());
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) Json.parse(json);
    Preprocessor read = Preprocessor.fromMap(back);
    assertEquals(fitted.toMap(), read.toMap());
    assertTrue(read.isFitted());
    assertEquals(3, read.width());
    float[] a = {0.3f, 17, -2.5f, 1, 2, 3};
    float[] b = a.clone();
    fitted.transform(a, 0, 2);
    read.transform(b, 0, 2);
    assertArrayEquals(a, b);

    Preprocessor unfitted = Preprocessor.read(new ConfigMap("preprocessing", Map.of("type", "standard")));
    assertFalse(unfitted.isFitted());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> unfitted.transform(d));
    assertTrue(e.getMessage().contains("not fitted"), e.getMessage());
  }

  @Test
  void badMapsNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Preprocessor.read(new ConfigMap("preprocessing", Map.of("type", "zscore"))));
    assertEquals("preprocessing.type", e.key());
    e = assertThrows(ConfigException.class, () -> Preprocessor.read(new ConfigMap("preprocessing",
        Map.of("type", "min_max", "width", 2, "min", List.of(0.0, 1.0), "max", List.of(1.0)))));
    assertEquals("preprocessing.max", e.key());
    e = assertThrows(ConfigException.class, () -> Preprocessor.read(new ConfigMap("preprocessing",
        Map.of("type", "standard", "width", 1, "mean", List.of(0.0), "std", List.of(0.0)))));
    assertEquals("preprocessing.std[0]", e.key());
    e = assertThrows(ConfigException.class,
        () -> Preprocessor.read(new ConfigMap("preprocessing", Map.of("type", "pixel", "scale", 2))));
    assertEquals("preprocessing.scale", e.key());
  }

  @Test
  void widthMismatchIsAnError() {
    StandardScaler s = new StandardScaler().fit(train());
    Dataset other = Dataset.ofRegression(new float[4], Shape.of(2), new float[2], 1, "other");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.transform(other));
    assertTrue(e.getMessage().contains("fitted on 3 features but dataset 'other' has 2"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> s.transform(new float[5], 0, 2));
  }
}
