package dev.dendrite.core.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear warm-up in front of any schedule: for {@code t < warmupSteps} the rate is the wrapped schedule's
 * rate times {@code startFactor + (1 - startFactor) · t / warmupSteps}, afterwards the wrapped rate itself.
 * The wrapped schedule keeps counting from 0 (it is not shifted by the warm-up), as when PyTorch's
 * {@code LinearLR} is chained with another scheduler and as in Goyal et al.'s large-batch warm-up.
 * With {@code startFactor = 0} the very first step has rate 0 (it only fills the optimizer's moments).
 */
public record WarmupSchedule(LearningRateSchedule target, long warmupSteps, double startFactor)
    implements LearningRateSchedule {

  public static final String TYPE = "warmup";

  public WarmupSchedule {
    if (target == null) {
      throw new IllegalArgumentException("warmup schedule: the schedule to warm up is missing");
    }
    HyperParameters.atLeastOne(TYPE + " schedule", "warmup_steps", warmupSteps);
    if (!(startFactor >= 0 && startFactor <= 1)) {
      throw new IllegalArgumentException("warmup schedule: warmup_start_factor must be in [0, 1], got "
          + startFactor);
    }
  }

  @Override
  public float rate(long iteration) {
    float rate = target.rate(iteration);
    if (iteration >= warmupSteps) {
      return rate;
    }
    double factor = startFactor + (1 - startFactor) * iteration / warmupSteps;
    return (float) (rate * factor);
  }

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("warmup_steps", warmupSteps);
    m.put("warmup_start_factor", startFactor);
    m.put("target", target.toMap());
    return m;
  }
}
