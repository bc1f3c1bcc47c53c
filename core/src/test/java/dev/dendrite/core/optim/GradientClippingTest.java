package dev.dendrite.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void byValueClampsEachElement() {
    float[] g = {1f, -2f, 0.3f, -0.5f};
    double norm = GradientClipping.byValue(0.5).apply(g);
    assertArrayEquals(new float[] {0.5f, -0.5f, 0.3f, -0.5f}, g);
    assertEquals(Math.sqrt(1 + 4 + 0.09 + 0.25), norm, 1e-6); // pre-clip norm √5.34 = 2.3108440
  }

  @Test
  void byNormScalesOnlyWhenAboveTheLimit() {
    float[] g = {3f, 4f}; // ‖g‖ = 5
    assertEquals(5.0, GradientClipping.byNorm(1).apply(g), 1e-12);
    assertArrayEquals(new float[] {0.6f, 0.8f}, g, 1e-7f); // · 1/5
    float[] small = {3f, 4f};
    assertEquals(5.0, GradientClipping.byNorm(10).apply(small), 1e-12);
    assertArrayEquals(new float[] {3f, 4f}, small);
  }

  @Test
  void bothClipByValueFirstThenByNorm() {
    float[] g = {3f, 4f};
    // by value 3 → [3, 3], norm 3√2 = 4.2426; by norm 1 → [1/√2, 1/√2]; returns the original norm 5
    assertEquals(5.0, new GradientClipping(3, 1).apply(g), 1e-12);
    assertArrayEquals(new float[] {0.70710678f, 0.70710678f}, g, 1e-7f);
  }

  @Test
  void nonFiniteNormIsReportedNotSpread() {
    float[] g = {Float.NaN, 1f};
    double norm = GradientClipping.byNorm(1).apply(g);
    assertTrue(Double.isNaN(norm));
    assertEquals(1f, g[1]);
  }

  @Test
  void noneLeavesTheGradientAlone() {
    float[] g = {300f, -400f};
    assertFalse(GradientClipping.NONE.enabled());
    assertEquals(500.0, GradientClipping.NONE.apply(g), 1e-9);
    assertArrayEquals(new float[] {300f, -400f}, g);
  }

  @Test
  void configRoundTripsAndRejectsBadKeys() {
    GradientClipping c = new GradientClipping(0.5, 2);
    assertEquals(c, GradientClipping.read(new ConfigMap("training.clipping", c.toMap())));
    assertEquals(GradientClipping.NONE, GradientClipping.read(new ConfigMap("training.clipping", Map.of())));
    ConfigException e = assertThrows(ConfigException.class,
        () -> GradientClipping.read(new ConfigMap("training.clipping", Map.of("clipnorm", 1.0))));
    assertEquals("training.clipping.clipnorm", e.key());
    e = assertThrows(ConfigException.class,
        () -> GradientClipping.read(new ConfigMap("training.clipping", Map.of("clip_norm", -1.0))));
    assertEquals("training.clipping.clip_norm", e.key());
    assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
  }
}
