package dev.dendrite.core.train;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.LossKind;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How to train, for the single-JVM and the Spark trainers alike (Keras' compile + fit arguments): loss,
 * optimizer and schedule, batch size (the global batch when distributed), epochs, seed, shuffling,
 * worker threads, validation split, early stopping, gradient clipping and class weighting.
 *
 * @param loss the loss, parsed from its name once, where the config is read
 * @param classWeight {@code none} or {@code balanced} (weights n / (classes · count_c) in the loss)
 */
public record TrainingConfig(LossKind loss, OptimizerConfig optimizer, int batchSize, int epochs, long seed,
                             boolean shuffle, int threads, double validationSplit, EarlyStopping earlyStopping,
                             GradientClipping clipping, ClassWeight classWeight) {

  public static final List<String> CLASS_WEIGHTS = List.of("none", "balanced");

  public TrainingConfig {
    if (loss == null) {
      throw new ConfigException("loss", "is required");
    }
    if (optimizer == null) {
      throw new ConfigException("optimizer", "is required");
    }
    if (batchSize <= 0) {
      throw new ConfigException("batch_size", "must be > 0, got " + batchSize);
    }
    if (epochs <= 0) {
      throw new ConfigException("epochs", "must be > 0, got " + epochs);
    }
    if (threads <= 0) {
      throw new ConfigException("threads", "must be > 0, got " + threads);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new ConfigException("validation_split", "must be in [0, 1), got " + validationSplit);
    }
    clipping = clipping == null ? GradientClipping.NONE : clipping;
    classWeight = classWeight == null ? ClassWeight.NONE : classWeight;
  }

  /** The loss and class weighting by name ({@link LossKind#parse}, {@link ClassWeight#parse}). */
  public TrainingConfig(String loss, OptimizerConfig optimizer, int batchSize, int epochs, long seed, boolean shuffle,
                        int threads, double validationSplit, EarlyStopping earlyStopping, GradientClipping clipping,
                        String classWeight) {
    this(LossKind.parse(loss), optimizer, batchSize, epochs, seed, shuffle, threads, validationSplit, earlyStopping,
        clipping, ClassWeight.parse(classWeight));
  }

  /** Defaults a Keras user expects: batch 32, 10 epochs, seed 1, shuffling, one thread, no validation. */
  public static TrainingConfig of(LossKind loss, OptimizerConfig optimizer) {
    return new TrainingConfig(loss, optimizer, 32, 10, 1, true, 1, 0, null, GradientClipping.NONE, ClassWeight.NONE);
  }

  /** {@link #of(LossKind, OptimizerConfig)} with the loss by name. */
  public static TrainingConfig of(String loss, OptimizerConfig optimizer) {
    return of(LossKind.parse(loss), optimizer);
  }

  public Loss createLoss() {
    return loss.create();
  }

  public TrainingConfig withBatchSize(int batchSize) {
    return edit(d -> d.batchSize = batchSize);
  }

  public TrainingConfig withEpochs(int epochs) {
    return edit(d -> d.epochs = epochs);
  }

  public TrainingConfig withSeed(long seed) {
    return edit(d -> d.seed = seed);
  }

  public TrainingConfig withThreads(int threads) {
    return edit(d -> d.threads = threads);
  }

  public TrainingConfig withShuffle(boolean shuffle) {
    return edit(d -> d.shuffle = shuffle);
  }

  public TrainingConfig withValidationSplit(double validationSplit) {
    return edit(d -> d.validationSplit = validationSplit);
  }

  public TrainingConfig withEarlyStopping(EarlyStopping earlyStopping) {
    return edit(d -> d.earlyStopping = earlyStopping);
  }

  public TrainingConfig withClipping(GradientClipping clipping) {
    return edit(d -> d.clipping = clipping);
  }

  public TrainingConfig withClassWeight(String classWeight) {
    return withClassWeight(ClassWeight.parse(classWeight));
  }

  public TrainingConfig withClassWeight(ClassWeight classWeight) {
    return edit(d -> d.classWeight = classWeight);
  }

  /** A copy with {@code change} applied to its fields (validated again by the constructor). */
  private TrainingConfig edit(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new TrainingConfig(d.loss, d.optimizer, d.batchSize, d.epochs, d.seed, d.shuffle, d.threads,
        d.validationSplit, d.earlyStopping, d.clipping, d.classWeight);
  }

  /** The fields of a config being edited by a {@code with} method. */
  private static final class Draft {
    LossKind loss;
    OptimizerConfig optimizer;
    int batchSize;
    int epochs;
    long seed;
    boolean shuffle;
    int threads;
    double validationSplit;
    EarlyStopping earlyStopping;
    GradientClipping clipping;
    ClassWeight classWeight;

    Draft(TrainingConfig c) {
      loss = c.loss;
      optimizer = c.optimizer;
      batchSize = c.batchSize;
      epochs = c.epochs;
      seed = c.seed;
      shuffle = c.shuffle;
      threads = c.threads;
      validationSplit = c.validationSplit;
      earlyStopping = c.earlyStopping;
      clipping = c.clipping;
      classWeight = c.classWeight;
    }
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", loss.key());
    m.put("optimizer", optimizer.toMap());
    m.put("batch_size", batchSize);
    m.put("epochs", epochs);
    m.put("seed", seed);
    m.put("shuffle", shuffle);
    m.put("threads", threads);
    m.put("validation_split", validationSplit);
    if (earlyStopping != null) {
      m.put("early_stopping", earlyStopping.toMap());
    }
    m.put("clipping", clipping.toMap());
    m.put("class_weight", classWeight.key());
    return m;
  }

  /** Reads the form {@link #toMap()} writes; unknown keys and bad values fail naming the key. */
  public static TrainingConfig read(ConfigMap m) {
    LossKind loss;
    try {
      loss = LossKind.parse(m.string("loss"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(m.key("loss"), e.getMessage());
    }
    OptimizerConfig optimizer = OptimizerConfig.read(m.section("optimizer"));
    TrainingConfig d = of(loss, optimizer); // the defaults, written once
    int batch = m.integer("batch_size", d.batchSize, 1, Integer.MAX_VALUE);
    int epochs = m.integer("epochs", d.epochs, 1, 1_000_000);
    long seed = m.integer("seed", d.seed);
    boolean shuffle = m.bool("shuffle", d.shuffle);
    int threads = m.integer("threads", d.threads, 1, 1024);
    double split = m.number("validation_split", d.validationSplit, 0, 0.99);
    EarlyStopping early = m.has("early_stopping") ? EarlyStopping.read(m.section("early_stopping")) : null;
    GradientClipping clipping = m.has("clipping") ? GradientClipping.read(m.section("clipping")) : d.clipping;
    ClassWeight classWeight = ClassWeight.parse(m.choice("class_weight", d.classWeight.key(), CLASS_WEIGHTS));
    m.finish();
    return new TrainingConfig(loss, optimizer, batch, epochs, seed, shuffle, threads, split, early, clipping,
        classWeight);
  }
}
