package dev.dendrite.core.optim;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learning-rate schedule of a config file (the base rate comes from the optimizer's
 * {@code learning_rate}): {@code type} is {@code constant | step | exponential | cosine}, each with its own
 * keys, plus an optional linear warm-up ({@code warmup_steps}, {@code warmup_start_factor}) in front of any
 * of them. Fields a type does not use are 0 / false.
 *
 * <pre>
 * constant:    (no keys)
 * step:        step_size (required), gamma = 0.1          rate · gamma^⌊t / step_size⌋
 * exponential: decay_steps, decay_rate (required), staircase = false
 * cosine:      decay_steps (required), min_learning_rate = 0
 * any:         warmup_steps = 0, warmup_start_factor = 0 (only with warmup_steps &gt; 0)
 * </pre>
 */
public record ScheduleConfig(String type, long stepSize, double gamma, long decaySteps, double decayRate,
                             boolean staircase, double minLearningRate, long warmupSteps,
                             double warmupStartFactor) {

  public static final List<String> TYPES = List.of(ConstantSchedule.TYPE, StepDecaySchedule.TYPE,
      ExponentialDecaySchedule.TYPE, CosineDecaySchedule.TYPE);

  public ScheduleConfig {
    if (type == null || !TYPES.contains(type)) {
      throw new ConfigException("type", "'" + type + "' is not a schedule; expected one of " + TYPES);
    }
    boolean step = type.equals(StepDecaySchedule.TYPE);
    boolean exponential = type.equals(ExponentialDecaySchedule.TYPE);
    boolean cosine = type.equals(CosineDecaySchedule.TYPE);
    if (step) {
      HyperParameters.atLeastOne(null, "step_size", stepSize);
      if (!(gamma > 0 && gamma <= 1)) {
        throw new ConfigException("gamma", "must be in (0, 1], got " + gamma);
      }
    } else {
      stepSize = 0;
      gamma = 0;
    }
    if (exponential || cosine) {
      HyperParameters.atLeastOne(null, "decay_steps", decaySteps);
    } else {
      decaySteps = 0;
    }
    if (exponential) {
      if (!(decayRate > 0 && decayRate <= 1)) {
        throw new ConfigException("decay_rate", "must be in (0, 1], got " + decayRate);
      }
    } else {
      decayRate = 0;
      staircase = false;
    }
    if (cosine) {
      HyperParameters.nonNegative(null, "min_learning_rate", minLearningRate);
    } else {
      minLearningRate = 0;
    }
    if (warmupSteps < 0) {
      throw new ConfigException("warmup_steps", "must be >= 0 (0 = no warm-up), got " + warmupSteps);
    }
    if (!(warmupStartFactor >= 0 && warmupStartFactor <= 1)) {
      throw new ConfigException("warmup_start_factor", "must be in [0, 1], got " + warmupStartFactor);
    }
    if (warmupSteps == 0 && warmupStartFactor != 0) {
      throw new ConfigException("warmup_start_factor", "is " + warmupStartFactor
          + " but warmup_steps is 0; set warmup_steps > 0 or remove warmup_start_factor");
    }
  }

  /** The same rate at every step. */
  public static ScheduleConfig constant() {
    return new ScheduleConfig(ConstantSchedule.TYPE, 0, 0, 0, 0, false, 0, 0, 0);
  }

  /** {@code rate · gamma^⌊t / stepSize⌋}. */
  public static ScheduleConfig step(long stepSize, double gamma) {
    return new ScheduleConfig(StepDecaySchedule.TYPE, stepSize, gamma, 0, 0, false, 0, 0, 0);
  }

  /** {@code rate · decayRate^(t / decaySteps)}, the exponent rounded down when {@code staircase}. */
  public static ScheduleConfig exponential(long decaySteps, double decayRate, boolean staircase) {
    return new ScheduleConfig(ExponentialDecaySchedule.TYPE, 0, 0, decaySteps, decayRate, staircase, 0, 0, 0);
  }

  /** Cosine from the rate down to {@code minLearningRate} over {@code decaySteps}, then held. */
  public static ScheduleConfig cosine(long decaySteps, double minLearningRate) {
    return new ScheduleConfig(CosineDecaySchedule.TYPE, 0, 0, decaySteps, 0, false, minLearningRate, 0, 0);
  }

  /** This schedule behind a linear warm-up from {@code startFactor · rate} over {@code steps} iterations. */
  public ScheduleConfig withWarmup(long steps, double startFactor) {
    return new ScheduleConfig(type, stepSize, gamma, decaySteps, decayRate, staircase, minLearningRate, steps,
        startFactor);
  }

  /** Checks the keys that depend on the base rate: {@code min_learning_rate <= learning_rate}. */
  public void check(double learningRate) {
    if (minLearningRate > learningRate) {
      throw new ConfigException("min_learning_rate", minLearningRate + " is above the learning_rate "
          + learningRate + "; expected a value in [0, " + learningRate + "]");
    }
  }

  /** The schedule for this base learning rate. */
  public LearningRateSchedule build(double learningRate) {
    check(learningRate);
    LearningRateSchedule s;
    switch (type) {
      case StepDecaySchedule.TYPE:
        s = new StepDecaySchedule(learningRate, stepSize, gamma);
        break;
      case ExponentialDecaySchedule.TYPE:
        s = new ExponentialDecaySchedule(learningRate, decaySteps, decayRate, staircase);
        break;
      case CosineDecaySchedule.TYPE:
        s = new CosineDecaySchedule(learningRate, decaySteps, minLearningRate);
        break;
      default:
        s = new ConstantSchedule(learningRate);
    }
    return warmupSteps > 0 ? new WarmupSchedule(s, warmupSteps, warmupStartFactor) : s;
  }

  /** The JSON form: {@code type}, the type's keys and {@code warmup_steps} (and its start factor when used). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    switch (type) {
      case StepDecaySchedule.TYPE:
        m.put("step_size", stepSize);
        m.put("gamma", gamma);
        break;
      case ExponentialDecaySchedule.TYPE:
        m.put("decay_steps", decaySteps);
        m.put("decay_rate", decayRate);
        m.put("staircase", staircase);
        break;
      case CosineDecaySchedule.TYPE:
        m.put("decay_steps", decaySteps);
        m.put("min_learning_rate", minLearningRate);
        break;
      default:
        break;
    }
    m.put("warmup_steps", warmupSteps);
    if (warmupSteps > 0) {
      m.put("warmup_start_factor", warmupStartFactor);
    }
    return m;
  }

  /**
   * Reads the form {@link #toMap()} writes; an absent or empty section is a constant schedule. Keys that the
   * type does not use are rejected as unknown, with the allowed keys in the message.
   */
  public static ScheduleConfig read(ConfigMap m) {
    try {
      String type = m.choice("type", ConstantSchedule.TYPE, TYPES);
      long stepSize = 0;
      double gamma = 0;
      long decaySteps = 0;
      double decayRate = 0;
      boolean staircase = false;
      double minLearningRate = 0;
      switch (type) {
        case StepDecaySchedule.TYPE:
          stepSize = m.integer("step_size");
          gamma = m.number("gamma", 0.1);
          break;
        case ExponentialDecaySchedule.TYPE:
          decaySteps = m.integer("decay_steps");
          decayRate = m.number("decay_rate");
          staircase = m.bool("staircase", false);
          break;
        case CosineDecaySchedule.TYPE:
          decaySteps = m.integer("decay_steps");
          minLearningRate = m.number("min_learning_rate", 0);
          break;
        default:
          break;
      }
      long warmupSteps = m.integer("warmup_steps", 0L);
      double warmupStartFactor = m.number("warmup_start_factor", 0);
      m.finish();
      return new ScheduleConfig(type, stepSize, gamma, decaySteps, decayRate, staircase, minLearningRate,
          warmupSteps, warmupStartFactor);
    } catch (IllegalArgumentException e) {
      throw HyperParameters.under(m, e);
    }
  }
}
