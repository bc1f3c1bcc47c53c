package dev.dendrite.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  private static final float TOL = 1e-7f;

  @Test
  void constantNeverChanges() {
    LearningRateSchedule s = new ConstantSchedule(0.1);
    assertEquals(0.1f, s.rate(0));
    assertEquals(0.1f, s.rate(1_000_000));
  }

  @Test
  void stepDecayMultipliesByGammaEveryStepSize() {
    // 0.1 · 0.5^⌊t/10⌋: t 0..9 → 0.1, 10..19 → 0.05, 25 → 0.025
    LearningRateSchedule s = new StepDecaySchedule(0.1, 10, 0.5);
    assertEquals(0.1f, s.rate(0), TOL);
    assertEquals(0.1f, s.rate(9), TOL);
    assertEquals(0.05f, s.rate(10), TOL);
    assertEquals(0.025f, s.rate(25), TOL);
  }

  @Test
  void exponentialDecayIsSmoothOrStaircase() {
    // 0.1 · 0.5^(t/10): t 5 → 0.1/√2 = 0.070710678, t 10 → 0.05, t 20 → 0.025
    LearningRateSchedule smooth = new ExponentialDecaySchedule(0.1, 10, 0.5, false);
    assertEquals(0.1f, smooth.rate(0), TOL);
    assertEquals(0.070710678f, smooth.rate(5), TOL);
    assertEquals(0.05f, smooth.rate(10), TOL);
    assertEquals(0.025f, smooth.rate(20), TOL);
    // staircase: exponent ⌊t/10⌋, so t 5 → 0.1 and t 15 → 0.05
    LearningRateSchedule stairs = new ExponentialDecaySchedule(0.1, 10, 0.5, true);
    assertEquals(0.1f, stairs.rate(5), TOL);
    assertEquals(0.05f, stairs.rate(15), TOL);
  }

  @Test
  void cosineDecaysToTheMinimumThenHolds() {
    // 0.01 + 0.09 · ½(1 + cos(π t/10)): t 0 → 0.1; t 3 → 0.01 + 0.045·(1 + 0.58778525) = 0.081450336;
    // t 5 → 0.055; t 10 → 0.01; t 20 → 0.01 (held)
    LearningRateSchedule s = new CosineDecaySchedule(0.1, 10, 0.01);
    assertEquals(0.1f, s.rate(0), TOL);
    assertEquals(0.081450336f, s.rate(3), TOL);
    assertEquals(0.055f, s.rate(5), TOL);
    assertEquals(0.01f, s.rate(10), TOL);
    assertEquals(0.01f, s.rate(20), TOL);
  }

  @Test
  void warmupRampsLinearlyFromZeroToTheWrappedRate() {
    // 0.1 · t/4 for t < 4: 0, 0.025, 0.05, 0.075, then 0.1
    LearningRateSchedule s = new WarmupSchedule(new ConstantSchedule(0.1), 4, 0);
    assertEquals(0f, s.rate(0));
    assertEquals(0.025f, s.rate(1), TOL);
    assertEquals(0.05f, s.rate(2), TOL);
    assertEquals(0.075f, s.rate(3), TOL);
    assertEquals(0.1f, s.rate(4), TOL);
    assertEquals(0.1f, s.rate(100), TOL);
  }

  @Test
  void warmupFromAStartFactorOverADecayingSchedule() {
    // start factor 0.5: factor(t) = 0.5 + 0.5·t/4 → t 0: 0.05, t 2: 0.075
    LearningRateSchedule constant = new WarmupSchedule(new ConstantSchedule(0.1), 4, 0.5);
    assertEquals(0.05f, constant.rate(0), TOL);
    assertEquals(0.075f, constant.rate(2), TOL);
    // over step decay (halving every 2 steps), same clock: t 3 → 0.05 · 0.75 = 0.0375; t 4 → 0.025
    LearningRateSchedule step = new WarmupSchedule(new StepDecaySchedule(0.1, 2, 0.5), 4, 0);
    assertEquals(0.0375f, step.rate(3), TOL);
    assertEquals(0.025f, step.rate(4), TOL);
  }

  @Test
  void toMapNamesTypeAndFields() {
    assertEquals(Map.of("type", "step", "learning_rate", 0.1, "step_size", 10L, "gamma", 0.5),
        new StepDecaySchedule(0.1, 10, 0.5).toMap());
    Map<String, Object> warm = new WarmupSchedule(new ConstantSchedule(0.1), 4, 0).toMap();
    assertEquals("warmup", warm.get("type"));
    assertEquals(Map.of("type", "constant", "learning_rate", 0.1), warm.get("target"));
  }

  @Test
  void badParametersFailNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StepDecaySchedule(0.1, 10, 1.5));
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CosineDecaySchedule(0.1, 0, 0));
    assertTrue(e.getMessage().contains("decay_steps"), e.getMessage());
    assertTrue(e.getMessage().contains("0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CosineDecaySchedule(0.1, 10, 0.2));
    assertTrue(e.getMessage().contains("min_learning_rate"), e.getMessage());
    assertTrue(e.getMessage().contains("0.2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ConstantSchedule(-1));
    assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
    assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
  }
}
