package dev.dendrite.jobs.tune;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.random.Rng;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trials a space gives, fixed before any of them runs, so the same space and seed always give the
 * same trials: grid search walks the grid with the last key changing fastest; random search draws trial
 * {@code i}'s values from a generator derived from {@code (seed, i)} alone (adding trials keeps the first
 * ones); successive halving draws as random search does, then trains every configuration for the first
 * rung's epochs, keeps the best {@code 1/factor}, and trains those {@code factor} times longer, up to
 * {@code training.epochs} (the budget of Hyperband's inner loop, Li et al. 2018). A survivor trains again
 * from its initial weights (the same seed), so each rung's result is that of a plain run of its epochs.
 */
public final class Search {

  private Search() {
  }

  /** The configurations to try (for halving: those of the first rung), in trial order. */
  public static List<Map<String, Object>> configurations(SearchSpace space, long seed) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (space.method().equals("grid")) {
      long size = 1;
      for (Hyperparameter p : space.parameters()) {
        size *= p.grid().size();
        if (size > SearchSpace.MAX_TRIALS) {
          throw new ConfigException("parameters", "the grid has more than " + SearchSpace.MAX_TRIALS
              + " points; use fewer values or steps, or method: random");
        }
      }
      grid(space.parameters(), 0, new LinkedHashMap<>(), out);
      return out;
    }
    for (int i = 0; i < space.trials(); i++) {
      Rng rng = Rng.derive(seed, 0x7E7E, i);
      Map<String, Object> settings = new LinkedHashMap<>();
      for (Hyperparameter p : space.parameters()) {
        settings.put(p.key(), p.sample(rng));
      }
      out.add(settings);
    }
    return out;
  }

  private static void grid(List<Hyperparameter> params, int at, Map<String, Object> prefix,
                           List<Map<String, Object>> out) {
    if (at == params.size()) {
      out.add(new LinkedHashMap<>(prefix));
      return;
    }
    for (Object v : params.get(at).grid()) {
      prefix.put(params.get(at).key(), v);
      grid(params, at + 1, prefix, out);
    }
    prefix.remove(params.get(at).key());
  }

  /**
   * The epochs of each rung of successive halving: {@code maxEpochs} for the last rung, divided by
   * {@code factor} for each rung before it while that stays at or above the first rung's epochs
   * ({@code minEpochs}, or 0 for {@code maxEpochs / factor²}, at least 1): 60 epochs with factor 3 give
   * 6, 20, 60.
   */
  public static List<Integer> rungEpochs(int minEpochs, int maxEpochs, int factor) {
    int first = minEpochs > 0 ? Math.min(minEpochs, maxEpochs) : Math.max(1, maxEpochs / (factor * factor));
    List<Integer> rungs = new ArrayList<>();
    int e = maxEpochs;
    rungs.add(e);
    while (e / factor >= first) {
      e /= factor;
      rungs.add(0, e);
    }
    return rungs;
  }

  /** How many of {@code n} trials go on to the next rung: the best {@code n / factor}, at least one. */
  public static int survivors(int n, int factor) {
    return Math.max(1, n / factor);
  }

  /** Best first: by the metric in the space's direction, a NaN (diverged, not measured) last, ties by index. */
  public static List<TrialResult> ranked(List<TrialResult> results, SearchSpace space) {
    List<TrialResult> sorted = new ArrayList<>(results);
    Comparator<TrialResult> byValue = (a, b) -> {
      boolean an = Double.isNaN(a.value());
      boolean bn = Double.isNaN(b.value());
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      return space.maximize() ? Double.compare(b.value(), a.value()) : Double.compare(a.value(), b.value());
    };
    sorted.sort(byValue.thenComparingInt(r -> r.trial().index()).thenComparingInt(r -> r.trial().rung()));
    return sorted;
  }
}
