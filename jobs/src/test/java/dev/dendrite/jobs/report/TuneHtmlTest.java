package dev.dendrite.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.jobs.tune.Search;
import dev.dendrite.jobs.tune.SearchSpace;
import dev.dendrite.jobs.tune.Trial;
import dev.dendrite.jobs.tune.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** tune.html's structure: a slice chart per searched key, the best trials' curves, the leaderboard. */
class TuneHtmlTest {

  /** A random search of 8 trials over a log-scale learning rate and an optimizer choice. */
  static SearchSpace space() {
    Map<String, Object> lr = new LinkedHashMap<>(Map.of("low", 0.0001, "high", 0.1, "log", true));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("training.optimizer.learning_rate", lr);
    params.put("training.optimizer.type", Map.of("values", List.of("adam", "sgd <b>")));
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("method", "random");
    tree.put("trials", 8);
    tree.put("parameters", params);
    return SearchSpace.read(tree);
  }

  /** Trials whose val_loss is lowest near a learning rate of 0.003; trial 5 diverged. */
  static List<TrialResult> results() {
    List<TrialResult> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      double lr = 1e-4 * Math.pow(1000, i / 7.0);
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("training.optimizer.learning_rate", lr);
      settings.put("training.optimizer.type", i % 2 == 0 ? "adam" : "sgd <b>");
      double floor = 0.1 + 0.05 * Math.pow(Math.log10(lr / 0.003), 2);
      List<Object> epochs = new ArrayList<>();
      int n = i == 0 ? 12 : 8; // curves of different lengths
      for (int e = 1; e <= n; e++) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", floor + 0.6 * Math.exp(-e / 2.0));
        m.put("val_loss", floor + 0.05 + 0.6 * Math.exp(-e / 2.0));
        epochs.add(new EpochRecord(e, m, 0.1, 1000, (float) lr).toMap());
      }
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("stop_reason", i == 5 ? "diverged: the loss is NaN" : "completed");
      h.put("best_epoch", -1);
      h.put("steps", 10L * n);
      h.put("epochs", epochs);
      out.add(TrialResult.of(new Trial(i, settings, 0, 20), History.fromMap(h), 1.5, "0", "val_loss"));
    }
    return out;
  }

  static String page() {
    SearchSpace space = space();
    List<TrialResult> results = results();
    return TuneHtml.write("small <search>", space, results, Search.ranked(results, space).get(0),
        "in parallel as Spark tasks", 12.5);
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void aSliceChartPerKeyTheBestTrialsCurvesAndTheLeaderboard() {
    String html = page();
    assertEquals(2, count(html, "<svg class=\"chart scatter-chart\""), "a slice chart per searched key");
    assertEquals(2, count(html, "<svg class=\"chart line-chart\""), "val_loss and loss curves of the best trials");
    // 7 measured trials: 6 ordinary points and the best one apart, per slice chart; the diverged one has no point
    assertEquals(2, count(html, "<g class=\"series best-trial\" data-name=\"best\"><circle"));
    assertEquals(2 * 7, count(html, "<circle cx=\"[0-9.]+\" cy=\"[0-9.]+\" r=\"[46]\" fill=\"#[0-9a-f]+\" "
        + "fill-opacity"), "points");
    assertTrue(html.contains("(log scale)"), "the learning rate's axis is logarithmic");
    assertEquals(2 * 3, count(html, "data-name=\"trial \\d\">"), "three trials' curves in each of the two charts");
    assertTrue(html.contains("<tr class=\"best\"><th>1</th><td>3</td>"), "trial 3 (learning rate near 0.003) wins");
    assertTrue(html.contains("sgd &lt;b&gt;") && !html.contains("sgd <b>"), "values are escaped");
    assertTrue(html.contains("small &lt;search&gt;"));
    assertFalse(html.contains("<script"), "no script");
  }
}
