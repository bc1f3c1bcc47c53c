package dev.dendrite.core.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step decay, as PyTorch's {@code StepLR}: {@code rate(t) = learningRate · gamma^⌊t / stepSize⌋}, i.e. the
 * rate is multiplied by {@code gamma} every {@code stepSize} iterations.
 */
public record StepDecaySchedule(double learningRate, long stepSize, double gamma) implements LearningRateSchedule {

  public static final String TYPE = "step";

  public StepDecaySchedule {
    String owner = TYPE + " schedule";
    HyperParameters.positive(owner, "learning_rate", learningRate);
    HyperParameters.atLeastOne(owner, "step_size", stepSize);
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException(owner + ": gamma must be in (0, 1], got " + gamma);
    }
  }

  @Override
  public float rate(long iteration) {
    return (float) (learningRate * Math.pow(gamma, (double) (iteration / stepSize)));
  }

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    m.put("learning_rate", learningRate);
    m.put("step_size", stepSize);
    m.put("gamma", gamma);
    return m;
  }
}
