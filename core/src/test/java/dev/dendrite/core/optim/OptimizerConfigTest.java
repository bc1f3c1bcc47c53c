package dev.dendrite.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptimizerConfigTest {

  private static final String PATH = "training.optimizer";

  private static OptimizerConfig read(Map<String, ?> map) {
    return OptimizerConfig.read(new ConfigMap(PATH, map));
  }

  private static ConfigException fails(Map<String, ?> map) {
    return assertThrows(ConfigException.class, () -> read(map));
  }

  @Test
  void defaultsFollowPyTorch() {
    OptimizerConfig adam = read(Map.of("type", "adam"));
    assertEquals(OptimizerConfig.defaults("adam"), adam);
    assertEquals(0.001, adam.learningRate());
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-8, adam.epsilon());
    assertEquals(ScheduleConfig.constant(), adam.schedule());
    assertEquals(0.01, read(Map.of("type", "adamw")).weightDecay());
    assertEquals(0.9, read(Map.of("type", "momentum")).momentum());
    assertEquals(1e-10, read(Map.of("type", "adagrad")).epsilon());
    assertEquals(0.99, read(Map.of("type", "rmsprop")).rho());
    OptimizerConfig sgd = read(Map.of("type", "SGD"));
    assertEquals("sgd", sgd.type());
    assertEquals(0.01, sgd.learningRate());
    assertEquals(0, sgd.momentum()); // unused fields are 0
  }

  @Test
  void everyTypeRoundTripsThroughItsMapAndCreatesItsOptimizer() {
    Map<String, Class<?>> classes = Map.of("sgd", Sgd.class, "momentum", Momentum.class, "nesterov",
        Nesterov.class, "adagrad", AdaGrad.class, "rmsprop", RmsProp.class, "adam", Adam.class, "adamw",
        AdamW.class);
    assertEquals(classes.keySet(), Set.copyOf(OptimizerConfig.TYPES));
    for (String type : OptimizerConfig.TYPES) {
      OptimizerConfig c = OptimizerConfig.defaults(type).withLearningRate(0.05)
          .withSchedule(ScheduleConfig.cosine(100, 0.001).withWarmup(10, 0.1));
      OptimizerConfig back = read(c.toMap());
      assertEquals(c, back, type);
      Optimizer opt = back.create();
      assertInstanceOf(classes.get(type), opt, type);
      assertEquals(type, opt.name());
      assertEquals(0.005f, opt.learningRate(), 1e-9f, type); // warm-up starts at 0.1 · 0.05
    }
  }

  @Test
  void createdOptimizerUsesTheConfiguredHyperParameters() {
    // same numbers as OptimizerTest.momentumAccumulatesGradientsPyTorchStyle: p2 = [0.885, -1.989]
    Optimizer opt = read(Map.of("type", "momentum", "learning_rate", 0.1, "momentum", 0.9)).create();
    opt.init(new ParameterLayout.Builder().add("b", Shape.of(2), 0, 0).build());
    float[] p = {1f, -2f};
    opt.step(p, new float[] {0.5f, 0.1f});
    opt.step(p, new float[] {0.2f, -0.3f});
    assertArrayEquals(new float[] {0.885f, -1.989f}, p, 2e-6f);
    AdamW adamW = (AdamW) OptimizerConfig.adamw(0.002, 0.05).create();
    assertEquals(0.05f, adamW.weightDecay());
    assertEquals(0.002f, adamW.learningRate());
  }

  @Test
  void scheduleConfigsBuildTheirSchedules() {
    assertEquals(new StepDecaySchedule(0.1, 10, 0.5), ScheduleConfig.step(10, 0.5).build(0.1));
    assertEquals(new ExponentialDecaySchedule(0.1, 10, 0.5, true),
        ScheduleConfig.exponential(10, 0.5, true).build(0.1));
    assertEquals(new WarmupSchedule(new CosineDecaySchedule(0.1, 50, 0.0), 5, 0),
        ScheduleConfig.cosine(50, 0).withWarmup(5, 0).build(0.1));
    assertEquals(new ConstantSchedule(0.1), ScheduleConfig.constant().build(0.1));
    for (ScheduleConfig s : List.of(ScheduleConfig.constant(), ScheduleConfig.step(10, 0.5),
        ScheduleConfig.exponential(7, 0.9, false), ScheduleConfig.cosine(50, 0.001).withWarmup(3, 0.2))) {
      assertEquals(s, ScheduleConfig.read(new ConfigMap("s", s.toMap())));
    }
    ScheduleConfig fromFile = ScheduleConfig.read(new ConfigMap("s", Map.of("type", "step", "step_size", 30)));
    assertEquals(ScheduleConfig.step(30, 0.1), fromFile); // gamma defaults to 0.1 as in PyTorch's StepLR
  }

  @Test
  void badValuesFailNamingTheFullKeyAndValue() {
    ConfigException e = fails(Map.of("type", "adamax"));
    assertEquals(PATH + ".type", e.key());
    assertTrue(e.getMessage().contains("'adamax'"), e.getMessage());
    assertTrue(e.getMessage().contains("adamw"), e.getMessage());
    e = fails(Map.of("learning_rate", 0.1));
    assertEquals(PATH + ".type", e.key());
    e = fails(Map.of("type", "adam", "learning_rate", 0.0));
    assertEquals(PATH + ".learning_rate", e.key());
    assertTrue(e.getMessage().contains("0.0"), e.getMessage());
    e = fails(Map.of("type", "adam", "beta1", 1.0));
    assertEquals(PATH + ".beta1", e.key());
    assertTrue(e.getMessage().contains("1.0"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    e = fails(Map.of("type", "momentum", "momentum", -0.1));
    assertEquals(PATH + ".momentum", e.key());
    assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
    e = fails(Map.of("type", "rmsprop", "epsilon", "small"));
    assertEquals(PATH + ".epsilon", e.key());
  }

  @Test
  void unknownAndUnusedKeysAreRejected() {
    ConfigException e = fails(Map.of("type", "adam", "lr", 0.1));
    assertEquals(PATH + ".lr", e.key());
    assertTrue(e.getMessage().contains("learning_rate"), e.getMessage()); // lists the allowed keys
    e = fails(Map.of("type", "sgd", "beta1", 0.9));
    assertEquals(PATH + ".beta1", e.key());
    e = fails(Map.of("type", "adam", "weight_decay", 0.01));
    assertEquals(PATH + ".weight_decay", e.key());
    assertTrue(e.getMessage().contains("adamw"), e.getMessage());
    assertTrue(e.getMessage().contains("l2"), e.getMessage());
  }

  @Test
  void scheduleErrorsNameTheNestedKey() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "sgd");
    m.put("learning_rate", 0.1);
    m.put("schedule", Map.of("type", "cosine", "decay_steps", 10, "min_learning_rate", 0.5));
    ConfigException e = fails(m);
    assertEquals(PATH + ".schedule.min_learning_rate", e.key());
    assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    assertTrue(e.getMessage().contains("0.1"), e.getMessage());

    m.put("schedule", Map.of("type", "cosine", "decay_steps", 10, "gamma", 0.5));
    assertEquals(PATH + ".schedule.gamma", fails(m).key());
    m.put("schedule", Map.of("type", "step"));
    e = fails(m);
    assertEquals(PATH + ".schedule.step_size", e.key());
    assertTrue(e.getMessage().contains("required"), e.getMessage());
    m.put("schedule", Map.of("type", "step", "step_size", 10, "gamma", 2.0));
    e = fails(m);
    assertEquals(PATH + ".schedule.gamma", e.key());
    assertTrue(e.getMessage().contains("2.0"), e.getMessage());
    m.put("schedule", Map.of("type", "linear"));
    e = fails(m);
    assertEquals(PATH + ".schedule.type", e.key());
    assertTrue(e.getMessage().contains("'linear'"), e.getMessage());
    m.put("schedule", Map.of("warmup_start_factor", 0.5));
    assertEquals(PATH + ".schedule.warmup_start_factor", fails(m).key());
  }

  @Test
  void directConstructionFailsWithTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new OptimizerConfig("adam", 0.001, 0, 1.0, 0.999, 1e-8, 0, 0, null));
    assertEquals("beta1", e.key());
  }
}
