package dev.dendrite.core.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential decay, as Keras' {@code ExponentialDecay}: {@code rate(t) = learningRate · decayRate^(t / decaySteps)},
 * with the exponent rounded down ({@code ⌊t / decaySteps⌋}) when {@code staircase}.
 */
public record ExponentialDecaySchedule(double learningRate, long decaySteps, double decayRate, boolean staircase)
    implements LearningRateSchedule {

  public static final String TYPE = "exponential";

  public ExponentialDecaySchedule {
    String owner = TYPE + " schedule";
    HyperParameters.positive(owner, "learning_rate", learningRate);
    HyperParameters.atLeastOne(owner, "decay_steps", decaySteps);
    if (!(decayRate > 0 && decayRate <= 1)) {
      throw new IllegalArgumentException(owner + ": decay_rate must be in (0, 1], got " + decayRate);
    }
  }

  @Override
  public float rate(long iteration) {
    double exponent = staircase ? (double) (iteration / decaySteps) : (double) iteration / decaySteps;
    return (float) (learningRate * Math.pow(decayRate, exponent));
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
    m.put("decay_steps", decaySteps);
    m.put("decay_rate", decayRate);
    m.put("staircase", staircase);
    return m;
  }
}
