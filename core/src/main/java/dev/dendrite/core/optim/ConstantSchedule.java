package dev.dendrite.core.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** The same learning rate at every iteration. */
public record ConstantSchedule(double learningRate) implements LearningRateSchedule {

  public static final String TYPE = "constant";

  public ConstantSchedule {
    HyperParameters.positive(TYPE + " schedule", "learning_rate", learningRate);
  }

  @Override
  public float rate(long iteration) {
    return (float) learningRate;
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
    return m;
  }
}
