package dev.dendrite.core.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cosine decay from {@code learningRate} to {@code minLearningRate} over {@code decaySteps} iterations, then
 * held at the minimum (PyTorch's {@code CosineAnnealingLR} for one half-period, without restarts):
 * {@code rate(t) = min + (lr - min) · ½ (1 + cos(π · min(t, N) / N))}.
 */
public record CosineDecaySchedule(double learningRate, long decaySteps, double minLearningRate)
    implements LearningRateSchedule {

  public static final String TYPE = "cosine";

  public CosineDecaySchedule {
    String owner = TYPE + " schedule";
    HyperParameters.positive(owner, "learning_rate", learningRate);
    HyperParameters.atLeastOne(owner, "decay_steps", decaySteps);
    if (!(minLearningRate >= 0 && minLearningRate <= learningRate)) {
      throw new IllegalArgumentException(owner + ": min_learning_rate must be in [0, learning_rate = "
          + learningRate + "], got " + minLearningRate);
    }
  }

  @Override
  public float rate(long iteration) {
    double progress = (double) Math.min(iteration, decaySteps) / decaySteps;
    return (float) (minLearningRate + (learningRate - minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * progress)));
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
    m.put("min_learning_rate", minLearningRate);
    return m;
  }
}
