package dev.dendrite.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.SteadyAllocation;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  // Every test below starts from p = [1, -2] and applies g1 = [0.5, 0.1], then g2 = [0.2, -0.3].
  private static final float[] P0 = {1f, -2f};
  private static final float[] G1 = {0.5f, 0.1f};
  private static final float[] G2 = {0.2f, -0.3f};
  private static final float TOL = 2e-6f;

  private static ParameterLayout vector(int n) {
    return new ParameterLayout.Builder().add("dense_0/b", Shape.of(n), 0, 0).build();
  }

  /** Runs the two steps; returns {p after step 1, p after step 2}. */
  private static float[][] twoSteps(Optimizer opt, ParameterLayout layout) {
    opt.init(layout);
    float[] p = P0.clone();
    opt.step(p, G1);
    float[] p1 = p.clone();
    opt.step(p, G2);
    assertEquals(2, opt.iterations());
    return new float[][] {p1, p};
  }

  private static float[][] twoSteps(Optimizer opt) {
    return twoSteps(opt, vector(2));
  }

  @Test
  void sgdSubtractsTheScaledGradient() {
    // lr 0.1: p1 = [1 - 0.05, -2 - 0.01] = [0.95, -2.01]; p2 = [0.95 - 0.02, -2.01 + 0.03] = [0.93, -1.98]
    float[][] p = twoSteps(new Sgd(0.1f));
    assertArrayEquals(new float[] {0.95f, -2.01f}, p[0], TOL);
    assertArrayEquals(new float[] {0.93f, -1.98f}, p[1], TOL);
  }

  @Test
  void momentumAccumulatesGradientsPyTorchStyle() {
    // lr 0.1, μ 0.9: v1 = g1 = [0.5, 0.1], p1 = [0.95, -2.01]
    // v2 = 0.9·[0.5, 0.1] + [0.2, -0.3] = [0.65, -0.21], p2 = [0.95 - 0.065, -2.01 + 0.021] = [0.885, -1.989]
    float[][] p = twoSteps(new Momentum(0.1f, 0.9f));
    assertArrayEquals(new float[] {0.95f, -2.01f}, p[0], TOL);
    assertArrayEquals(new float[] {0.885f, -1.989f}, p[1], TOL);
  }

  @Test
  void nesterovLooksAheadAlongTheNewVelocity() {
    // lr 0.1, μ 0.9: v1 = [0.5, 0.1]; step g1 + μ·v1 = [0.95, 0.19]; p1 = [0.905, -2.019]
    // v2 = [0.65, -0.21]; step g2 + μ·v2 = [0.2 + 0.585, -0.3 - 0.189] = [0.785, -0.489]
    // p2 = [0.905 - 0.0785, -2.019 + 0.0489] = [0.8265, -1.9701]
    float[][] p = twoSteps(new Nesterov(0.1f, 0.9f));
    assertArrayEquals(new float[] {0.905f, -2.019f}, p[0], TOL);
    assertArrayEquals(new float[] {0.8265f, -1.9701f}, p[1], TOL);
  }

  @Test
  void adaGradDividesByTheRootOfSummedSquares() {
    // lr 0.1: s1 = [0.25, 0.01], step = 0.1·g/√s = [0.1, 0.1]·sign(g) → p1 = [0.9, -2.1]
    // s2 = [0.29, 0.10]; step = 0.1·[0.2/0.5385165, -0.3/0.3162278] = [0.03713907, -0.09486833]
    // p2 = [0.86286093, -2.00513167]
    float[][] p = twoSteps(new AdaGrad(0.1f, 1e-10f));
    assertArrayEquals(new float[] {0.9f, -2.1f}, p[0], TOL);
    assertArrayEquals(new float[] {0.86286093f, -2.00513167f}, p[1], TOL);
  }

  @Test
  void rmsPropDividesByTheRootOfTheRunningMeanSquare() {
    // lr 0.01, ρ 0.9: s1 = 0.1·g1² = [0.025, 0.001]; g/√s = √10·sign(g) = ±3.1622777
    // p1 = [1 - 0.031622777, -2 - 0.031622777] = [0.96837723, -2.03162277]
    // s2 = 0.9·s1 + 0.1·g2² = [0.0265, 0.0099]; g2/√s2 = [0.2/0.16278821, -0.3/0.09949874] = [1.2285902, -3.0151134]
    // p2 = [0.96837723 - 0.012285902, -2.03162277 + 0.030151134] = [0.95609132, -2.00147164]
    float[][] p = twoSteps(new RmsProp(0.01f, 0.9f, 1e-8f));
    assertArrayEquals(new float[] {0.96837723f, -2.03162277f}, p[0], TOL);
    assertArrayEquals(new float[] {0.95609132f, -2.00147164f}, p[1], TOL);
  }

  @Test
  void adamsFirstStepMovesByTheLearningRateTimesTheSign() {
    // lr 0.1, β 0.9/0.999: m1 = [0.05, 0.01], v1 = [0.00025, 0.00001]; m̂ = [0.5, 0.1], v̂ = [0.25, 0.01]
    // m̂/√v̂ = [1, 1] → p1 = [0.9, -2.1]
    // m2 = 0.9·m1 + 0.1·g2 = [0.065, -0.021]; v2 = 0.999·v1 + 0.001·g2² = [0.00028975, 0.00009999]
    // m̂ = m2/0.19 = [0.3421053, -0.1105263]; v̂ = v2/0.001999 = [0.1449475, 0.0500200]; √v̂ = [0.3807197, 0.2236516]
    // step = 0.1·[0.898575, -0.494190] → p2 = [0.81014248, -2.05058101]
    float[][] p = twoSteps(new Adam(0.1f));
    assertArrayEquals(new float[] {0.9f, -2.1f}, p[0], TOL);
    assertArrayEquals(new float[] {0.81014248f, -2.05058101f}, p[1], TOL);
  }

  @Test
  void adamWDecaysWeightMatricesBeforeTheAdamStep() {
    // lr 0.1, wd 0.1 on a [1, 2] weight matrix: p ← p·(1 - 0.01) - Adam step
    // p1 = [0.99 - 0.1, -1.98 - 0.1] = [0.89, -2.08]
    // p2 = [0.89·0.99 - 0.0898575, -2.08·0.99 + 0.0494190] = [0.79124248, -2.00978101]
    ParameterLayout weights = new ParameterLayout.Builder().add("dense_0/W", Shape.of(1, 2), 0, 0).build();
    float[][] p = twoSteps(new AdamW(0.1f, 0.1f), weights);
    assertArrayEquals(new float[] {0.89f, -2.08f}, p[0], TOL);
    assertArrayEquals(new float[] {0.79124248f, -2.00978101f}, p[1], TOL);
  }

  @Test
  void adamWLeavesBiasesUndecayedBitForBitLikeAdam() {
    float[][] adam = twoSteps(new Adam(0.1f));
    float[][] adamW = twoSteps(new AdamW(0.1f, 0.1f), vector(2)); // rank-1 tensor: a bias
    assertArrayEquals(bits(adam[1]), bits(adamW[1]));
  }

  @Test
  void adamWDecaysOnlyTheWeightsOfAMixedLayout() {
    // [W (2x1) | b (2)] with the same values and gradients in both halves: W decays, b does not.
    ParameterLayout layout = new ParameterLayout.Builder()
        .add("dense_0/W", Shape.of(2, 1), 0, 0).add("dense_0/b", Shape.of(2), 0, 0).build();
    Optimizer opt = new AdamW(0.1f, 0.1f);
    opt.init(layout);
    float[] p = {1f, -2f, 1f, -2f};
    opt.step(p, new float[] {0.5f, 0.1f, 0.5f, 0.1f});
    assertArrayEquals(new float[] {0.89f, -2.08f, 0.9f, -2.1f}, p, TOL);
  }

  @Test
  void scheduleSetsTheRateOfEachStep() {
    // step decay: rate 0.1 for steps 0 and 1, 0.05 for step 2; gradient 1 → p = 1 - 0.1 - 0.1 - 0.05
    Optimizer opt = new Sgd(new StepDecaySchedule(0.1, 2, 0.5));
    opt.init(vector(1));
    float[] p = {1f};
    assertEquals(0.1f, opt.learningRate());
    for (int i = 0; i < 3; i++) {
      opt.step(p, new float[] {1f});
    }
    assertEquals(0.75f, p[0], 1e-6f);
    assertEquals(0.05f, opt.learningRate(), 1e-9f);
  }

  static List<Supplier<Optimizer>> all() {
    return List.of(
        () -> new Sgd(0.05f),
        () -> new Momentum(0.05f, 0.9f),
        () -> new Nesterov(0.05f, 0.9f),
        () -> new AdaGrad(0.05f, 1e-10f),
        () -> new RmsProp(0.01f, 0.99f, 1e-8f),
        () -> new Adam(0.01f),
        () -> new AdamW(new CosineDecaySchedule(0.01, 4, 0.001), 0.9f, 0.999f, 1e-8f, 0.05f));
  }

  private static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Float.floatToRawIntBits(a[i]);
    }
    return b;
  }

  @Test
  void stateRoundTripsBitExactlyForEveryOptimizer() {
    ParameterLayout layout = new ParameterLayout.Builder()
        .add("dense_0/W", Shape.of(3, 2), 0, 0).add("dense_0/b", Shape.of(3), 0, 0).build();
    Rng rng = new Rng(7);
    float[][] grads = new float[5][layout.size()];
    float[] start = new float[layout.size()];
    for (int i = 0; i < start.length; i++) {
      start[i] = (float) rng.nextGaussian();
      for (float[] g : grads) {
        g[i] = (float) rng.nextGaussian();
      }
    }
    for (Supplier<Optimizer> make : all()) {
      Optimizer a = make.get();
      a.init(layout);
      float[] p = start.clone();
      for (int s = 0; s < 3; s++) {
        a.step(p, grads[s]);
      }
      OptimizerState saved = a.state();
      float[] p3 = p.clone();
      for (int s = 3; s < 5; s++) {
        a.step(p, grads[s]);
      }

      Optimizer b = make.get();
      b.init(layout);
      b.restore(saved);
      assertEquals(saved, b.state(), a.name());
      float[] q = p3.clone();
      for (int s = 3; s < 5; s++) {
        b.step(q, grads[s]);
      }
      assertArrayEquals(bits(p), bits(q), a.name());
      assertEquals(a.state(), b.state(), a.name());
      assertEquals(5, b.iterations(), a.name());
      assertEquals(a.learningRate(), b.learningRate(), a.name());
      // the saved state is a copy: the later steps did not change it
      assertEquals(3, saved.iterations());
      assertNotEquals(saved, a.state(), a.name());
    }
  }

  @Test
  void stateIsADeepCopyWithContentEquality() {
    Adam adam = new Adam(0.1f);
    adam.init(vector(2));
    float[] p = P0.clone();
    adam.step(p, G1);
    OptimizerState s = adam.state();
    assertEquals(List.of("m", "v"), s.slotNames());
    assertArrayEquals(new float[] {0.05f, 0.01f}, s.slot("m"), 1e-7f);
    s.slots().get("m")[0] = 99f;
    s.slot("m")[0] = 99f;
    assertEquals(0.05f, s.slot("m")[0], 1e-7f);
    OptimizerState same = new OptimizerState("adam", 1, s.slots());
    assertEquals(s, same);
    assertEquals(s.hashCode(), same.hashCode());
    Map<String, float[]> changed = s.slots();
    changed.get("v")[1] += 1e-6f;
    assertNotEquals(s, new OptimizerState("adam", 1, changed));
    assertNotEquals(s, new OptimizerState("adam", 2, s.slots()));
  }

  @Test
  void restoreRejectsAnotherOptimizerTypeNamingBoth() {
    Momentum momentum = new Momentum(0.1f, 0.9f);
    momentum.init(vector(2));
    Adam adam = new Adam(0.1f);
    adam.init(vector(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.restore(momentum.state()));
    assertTrue(e.getMessage().contains("'momentum'"), e.getMessage());
    assertTrue(e.getMessage().contains("'adam'"), e.getMessage());
    // same slot name, different type: still refused
    Nesterov nesterov = new Nesterov(0.1f, 0.9f);
    nesterov.init(vector(2));
    e = assertThrows(IllegalArgumentException.class, () -> nesterov.restore(momentum.state()));
    assertTrue(e.getMessage().contains("'momentum'"), e.getMessage());
    assertTrue(e.getMessage().contains("'nesterov'"), e.getMessage());
  }

  @Test
  void restoreRejectsAnotherSizeNamingBoth() {
    for (Supplier<Optimizer> make : all()) {
      Optimizer small = make.get();
      small.init(vector(3));
      Optimizer large = make.get();
      large.init(vector(5));
      if (small.state().slotNames().isEmpty()) {
        continue; // SGD keeps no vectors, so there is no size to disagree
      }
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> large.restore(small.state()), small.name());
      assertTrue(e.getMessage().contains("3 parameters"), e.getMessage());
      assertTrue(e.getMessage().contains("5 parameters"), e.getMessage());
    }
  }

  @Test
  void stepChecksInitAndSizes() {
    Adam adam = new Adam(0.1f);
    IllegalStateException notInit = assertThrows(IllegalStateException.class,
        () -> adam.step(new float[2], new float[2]));
    assertTrue(notInit.getMessage().contains("init"), notInit.getMessage());
    adam.init(vector(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.step(new float[2], new float[3]));
    assertTrue(e.getMessage().contains("3 gradients"), e.getMessage());
    assertTrue(e.getMessage().contains("has 2"), e.getMessage());
  }

  @Test
  void initResetsStateAndIterations() {
    Momentum m = new Momentum(0.1f, 0.9f);
    m.init(vector(2));
    m.step(P0.clone(), G1);
    m.init(vector(2));
    assertEquals(0, m.iterations());
    assertArrayEquals(new float[2], m.state().slot("velocity"));
  }

  private static void assertRejects(String key, String value, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void badHyperParametersFailNamingParameterAndValue() {
    assertRejects("learning_rate", "0.0", () -> new Sgd(0f));
    assertRejects("learning_rate", "-0.1", () -> new Adam(-0.1f));
    assertRejects("learning_rate", "NaN", () -> new Momentum(Float.NaN, 0.9f));
    assertRejects("beta1", "1.0", () -> new Adam(0.1f, 1f, 0.999f, 1e-8f));
    assertRejects("beta2", "1.5", () -> new AdamW(0.1f, 0.9f, 1.5f, 1e-8f, 0.01f));
    assertRejects("momentum", "-0.5", () -> new Momentum(0.1f, -0.5f));
    assertRejects("momentum", "0.0", () -> new Nesterov(0.1f, 0f));
    assertRejects("rho", "1.0", () -> new RmsProp(0.1f, 1f, 1e-8f));
    assertRejects("epsilon", "0.0", () -> new AdaGrad(0.1f, 0f));
    assertRejects("weight_decay", "-0.01", () -> new AdamW(0.1f, -0.01f));
  }

  @Test
  void adamStepsDoNotAllocate() {
    int n = 200_000;
    ParameterLayout layout = new ParameterLayout.Builder()
        .add("dense_0/W", Shape.of(1000, 199), 0, 0).add("dense_0/b", Shape.of(1000), 0, 0).build();
    assertEquals(n, layout.size());
    float[] p = new float[n];
    float[] g = new float[n];
    Rng rng = new Rng(1);
    for (int i = 0; i < n; i++) {
      g[i] = (float) rng.nextGaussian();
    }
    for (Optimizer opt : List.of(new Adam(1e-3f), new AdamW(1e-3f, 0.01f))) {
      opt.init(layout);
      long perStep = SteadyAllocation.bytesPerCall(() -> opt.step(p, g), 100, 1024);
      assertTrue(perStep < 1024, opt.name() + " allocated " + perStep + " bytes per step");
    }
  }
}
