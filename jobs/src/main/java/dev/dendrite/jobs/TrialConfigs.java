package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.data.DataConfig;
import dev.dendrite.jobs.tune.ConfigPath;
import dev.dendrite.jobs.tune.Search;
import dev.dendrite.jobs.tune.SearchSpace;
import dev.dendrite.jobs.tune.Trial;
import java.util.List;
import java.util.Map;

/**
 * The configurations of a search as whole job configs: the base config with each trial's settings
 * applied. Every one is read and checked as {@code dendrite train} would read it — and its network
 * built — before Spark starts, so a key the config does not know, a value of the wrong type or a
 * network that does not fit the data fails at once, naming the space file, the trial, its settings and
 * the key.
 */
public final class TrialConfigs {

  /** The loss-fits-the-output check of {@code dendrite train} ({@code TrainingData.checkTargets}). */
  public interface TargetCheck {
    int check(DataConfig data, TrainingConfig training, Network network);
  }

  private final Map<String, Object> base;
  private final List<Map<String, Object>> configurations;

  private TrialConfigs(Map<String, Object> base, List<Map<String, Object>> configurations) {
    this.base = base;
    this.configurations = configurations;
  }

  /** Draws the space's configurations and checks each one against {@code base} (the parsed job config). */
  public static TrialConfigs of(Map<String, Object> base, SearchSpace space, long seed, String spaceFile,
                                TargetCheck targets) {
    List<Map<String, Object>> configurations = Search.configurations(space, seed);
    JobConfig baseJob = JobConfig.read(apply(base, Map.of(), null));
    int width = new Network(baseJob.network()).inputSize();
    for (int i = 0; i < configurations.size(); i++) {
      Map<String, Object> settings = configurations.get(i);
      String where = "space file " + spaceFile + ", trial " + i + " ("
          + new Trial(i, settings, 0, 0).label() + ")";
      JobConfig job;
      try {
        job = JobConfig.read(apply(base, settings, where));
      } catch (ConfigException e) {
        throw new ConfigException(where, e.getMessage());
      }
      Network network;
      try {
        network = new Network(job.network());
        targets.check(job.data(), job.training(), network);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where, e.getMessage());
      }
      if (network.inputSize() != width) {
        throw new ConfigException(where, "the network takes " + network.inputSize() + " inputs, the data has "
            + width);
      }
    }
    return new TrialConfigs(base, configurations);
  }

  /** A copy of {@code base} with {@code settings} applied (key paths as {@code --set} spells them). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> apply(Map<String, Object> base, Map<String, Object> settings, String where) {
    Map<String, Object> tree = (Map<String, Object>) ConfigPath.copy(base);
    settings.forEach((k, v) -> ConfigPath.set(tree, k, v, where == null ? "parameters." + k : where));
    return tree;
  }

  public List<Map<String, Object>> configurations() {
    return configurations;
  }

  /** Trial {@code index}'s whole config, training {@code epochs} epochs. */
  public Map<String, Object> tree(int index, int epochs) {
    Map<String, Object> tree = apply(base, configurations.get(index), null);
    ConfigPath.set(tree, "training.epochs", epochs, "training.epochs");
    return tree;
  }
}
