package dev.dendrite.core.optim;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer of a config file: its {@code type}, base {@code learning_rate}, the hyper-parameters that
 * type uses, and a learning-rate {@code schedule}. Defaults follow PyTorch:
 *
 * <pre>
 * type      learning_rate  other keys (defaults)
 * sgd       0.01           —
 * momentum  0.01           momentum 0.9            v ← μv + g; p ← p - lr·v
 * nesterov  0.01           momentum 0.9
 * adagrad   0.01           epsilon 1e-10
 * rmsprop   0.01           rho 0.99, epsilon 1e-8
 * adam      0.001          beta1 0.9, beta2 0.999, epsilon 1e-8
 * adamw     0.001          beta1 0.9, beta2 0.999, epsilon 1e-8, weight_decay 0.01
 * all                      schedule {type: constant}
 * </pre>
 *
 * Fields a type does not use are 0, and {@link #read} rejects them as unknown keys. L2 penalties are not
 * here: they belong to the layers ({@code l2}) and are applied by {@link Penalties}.
 */
public record OptimizerConfig(String type, double learningRate, double momentum, double beta1, double beta2,
                              double epsilon, double rho, double weightDecay, ScheduleConfig schedule) {

  public static final List<String> TYPES = List.of(Sgd.TYPE, Momentum.TYPE, Nesterov.TYPE, AdaGrad.TYPE,
      RmsProp.TYPE, Adam.TYPE, AdamW.TYPE);

  public OptimizerConfig {
    if (type == null || !TYPES.contains(type)) {
      throw new ConfigException("type", "'" + type + "' is not an optimizer; expected one of " + TYPES);
    }
    HyperParameters.positive(null, "learning_rate", learningRate);
    if (usesMomentum(type)) {
      HyperParameters.fraction(null, "momentum", momentum);
      if (type.equals(Nesterov.TYPE) && momentum == 0) {
        throw new ConfigException("momentum", "must be in (0, 1) for nesterov, got 0.0 (use sgd for no momentum)");
      }
    } else {
      momentum = 0;
    }
    if (usesBetas(type)) {
      HyperParameters.fraction(null, "beta1", beta1);
      HyperParameters.fraction(null, "beta2", beta2);
    } else {
      beta1 = 0;
      beta2 = 0;
    }
    if (usesEpsilon(type)) {
      HyperParameters.positive(null, "epsilon", epsilon);
    } else {
      epsilon = 0;
    }
    if (type.equals(RmsProp.TYPE)) {
      HyperParameters.fraction(null, "rho", rho);
    } else {
      rho = 0;
    }
    if (type.equals(AdamW.TYPE)) {
      HyperParameters.nonNegative(null, "weight_decay", weightDecay);
    } else {
      weightDecay = 0;
    }
    if (schedule == null) {
      schedule = ScheduleConfig.constant();
    }
    try {
      schedule.check(learningRate);
    } catch (ConfigException e) {
      throw new ConfigException("schedule." + e.key(), e.getMessage().substring(e.key().length() + 2));
    }
  }

  private static boolean usesMomentum(String type) {
    return type.equals(Momentum.TYPE) || type.equals(Nesterov.TYPE);
  }

  private static boolean usesBetas(String type) {
    return type.equals(Adam.TYPE) || type.equals(AdamW.TYPE);
  }

  private static boolean usesEpsilon(String type) {
    return usesBetas(type) || type.equals(AdaGrad.TYPE) || type.equals(RmsProp.TYPE);
  }

  /** The defaults of one optimizer type (see the table above), with a constant schedule. */
  public static OptimizerConfig defaults(String type) {
    boolean adam = usesBetas(String.valueOf(type));
    return new OptimizerConfig(type, adam ? 0.001 : 0.01, 0.9, 0.9, 0.999,
        AdaGrad.TYPE.equals(type) ? 1e-10 : 1e-8, 0.99, 0.01, ScheduleConfig.constant());
  }

  public static OptimizerConfig sgd(double learningRate) {
    return defaults(Sgd.TYPE).withLearningRate(learningRate);
  }

  public static OptimizerConfig momentum(double learningRate, double momentum) {
    return defaults(Momentum.TYPE).withLearningRate(learningRate).withMomentum(momentum);
  }

  public static OptimizerConfig adam(double learningRate) {
    return defaults(Adam.TYPE).withLearningRate(learningRate);
  }

  public static OptimizerConfig adamw(double learningRate, double weightDecay) {
    return new OptimizerConfig(AdamW.TYPE, learningRate, 0, 0.9, 0.999, 1e-8, 0, weightDecay, null);
  }

  public OptimizerConfig withLearningRate(double learningRate) {
    return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon, rho, weightDecay, schedule);
  }

  public OptimizerConfig withMomentum(double momentum) {
    return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon, rho, weightDecay, schedule);
  }

  public OptimizerConfig withSchedule(ScheduleConfig schedule) {
    return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon, rho, weightDecay, schedule);
  }

  /** A fresh optimizer (call {@link Optimizer#init} before its first step). */
  public Optimizer create() {
    LearningRateSchedule s = schedule.build(learningRate);
    switch (type) {
      case Sgd.TYPE:
        return new Sgd(s);
      case Momentum.TYPE:
        return new Momentum(s, (float) momentum);
      case Nesterov.TYPE:
        return new Nesterov(s, (float) momentum);
      case AdaGrad.TYPE:
        return new AdaGrad(s, (float) epsilon);
      case RmsProp.TYPE:
        return new RmsProp(s, (float) rho, (float) epsilon);
      case Adam.TYPE:
        return new Adam(s, (float) beta1, (float) beta2, (float) epsilon);
      case AdamW.TYPE:
        return new AdamW(s, (float) beta1, (float) beta2, (float) epsilon, (float) weightDecay);
      default:
        throw new IllegalStateException("unreachable: optimizer type " + type);
    }
  }

  /** The JSON form: {@code type}, {@code learning_rate}, the keys this type uses, and {@code schedule}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("learning_rate", learningRate);
    if (usesMomentum(type)) {
      m.put("momentum", momentum);
    }
    if (usesBetas(type)) {
      m.put("beta1", beta1);
      m.put("beta2", beta2);
    }
    if (type.equals(RmsProp.TYPE)) {
      m.put("rho", rho);
    }
    if (usesEpsilon(type)) {
      m.put("epsilon", epsilon);
    }
    if (type.equals(AdamW.TYPE)) {
      m.put("weight_decay", weightDecay);
    }
    m.put("schedule", schedule.toMap());
    return m;
  }

  /**
   * Reads the form {@link #toMap()} writes; {@code type} is required, everything else defaults (table above).
   * Unknown keys, keys the type does not use, and bad values fail naming the full key.
   */
  public static OptimizerConfig read(ConfigMap m) {
    try {
      String type = m.choice("type", null, TYPES);
      if (type == null) {
        throw new ConfigException(m.key("type"), "is required; expected one of " + TYPES);
      }
      OptimizerConfig d = defaults(type);
      double learningRate = m.number("learning_rate", d.learningRate);
      double momentum = usesMomentum(type) ? m.number("momentum", d.momentum) : 0;
      double beta1 = usesBetas(type) ? m.number("beta1", d.beta1) : 0;
      double beta2 = usesBetas(type) ? m.number("beta2", d.beta2) : 0;
      double rho = type.equals(RmsProp.TYPE) ? m.number("rho", d.rho) : 0;
      double epsilon = usesEpsilon(type) ? m.number("epsilon", d.epsilon) : 0;
      double weightDecay = 0;
      if (type.equals(AdamW.TYPE)) {
        weightDecay = m.number("weight_decay", d.weightDecay);
      } else if (m.has("weight_decay")) {
        throw new ConfigException(m.key("weight_decay"), "is only used by adamw (decoupled weight decay), not by "
            + type + "; for an L2 penalty set l2 on the layers");
      }
      ScheduleConfig schedule = ScheduleConfig.read(m.section("schedule"));
      m.finish();
      return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon, rho, weightDecay, schedule);
    } catch (IllegalArgumentException e) {
      throw HyperParameters.under(m, e);
    }
  }
}
