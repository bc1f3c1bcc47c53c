package dev.dendrite.jobs.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The results table of a search, one row per trial (per rung, for successive halving) with its settings,
 * its metrics at the kept epoch, its epochs and its seconds: as JSON (with each trial's history, for the
 * learning curves) and as CSV (flat, for a spreadsheet or pandas).
 */
public final class ResultsTable {

  private ResultsTable() {
  }

  /** Rows in run order: by rung, then trial. */
  static List<TrialResult> rows(List<TrialResult> results) {
    List<TrialResult> rows = new ArrayList<>(results);
    rows.sort(java.util.Comparator.comparingInt((TrialResult r) -> r.trial().rung())
        .thenComparingInt(r -> r.trial().index()));
    return rows;
  }

  /** The metric names of all rows, in the order the trials first measured them. */
  static List<String> metricNames(List<TrialResult> results) {
    Set<String> names = new LinkedHashSet<>();
    for (TrialResult r : rows(results)) {
      names.addAll(r.metrics().keySet());
    }
    return new ArrayList<>(names);
  }

  /** One row as JSON: trial, rung, epochs budget, settings, value, metrics, epochs, seconds, stop, executor, history. */
  public static Map<String, Object> row(TrialResult r, boolean withHistory) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trial", r.trial().index());
    m.put("rung", r.trial().rung());
    m.put("epochs_budget", r.trial().epochs());
    m.put("settings", new LinkedHashMap<>(r.trial().settings()));
    m.put("value", finite(r.value()));
    Map<String, Object> metrics = new LinkedHashMap<>();
    r.metrics().forEach((k, v) -> metrics.put(k, finite(v)));
    m.put("metrics", metrics);
    m.put("epochs", r.epochsRun());
    m.put("kept_epoch", r.scoredEpoch());
    m.put("seconds", r.seconds());
    m.put("stop_reason", r.stopReason());
    m.put("executor", r.executor());
    if (withHistory) {
      m.put("history", r.history().toJsonMap().get("epochs"));
    }
    return m;
  }

  /** The whole table as CSV: trial, rung, each searched key, each metric, epochs, kept_epoch, seconds, stop, executor. */
  public static String csv(SearchSpace space, List<TrialResult> results) {
    List<String> metrics = metricNames(results);
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("trial", "rung", "epochs_budget"));
    space.parameters().forEach(p -> header.add(p.key()));
    header.addAll(metrics);
    header.addAll(List.of("epochs", "kept_epoch", "seconds", "stop_reason", "executor"));
    line(sb, header);
    for (TrialResult r : rows(results)) {
      List<String> cells = new ArrayList<>();
      cells.add(Integer.toString(r.trial().index()));
      cells.add(Integer.toString(r.trial().rung()));
      cells.add(Integer.toString(r.trial().epochs()));
      space.parameters().forEach(p -> cells.add(value(r.trial().settings().get(p.key()))));
      for (String name : metrics) {
        Double v = r.metrics().get(name);
        cells.add(v == null || !Double.isFinite(v) ? "" : number(v));
      }
      cells.add(Integer.toString(r.epochsRun()));
      cells.add(Integer.toString(r.scoredEpoch()));
      cells.add(String.format(Locale.ROOT, "%.3f", r.seconds()));
      cells.add(r.stopReason());
      cells.add(r.executor());
      line(sb, cells);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String c = cells.get(i);
      if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
        c = "\"" + c.replace("\"", "\"\"") + "\"";
      }
      sb.append(c);
    }
    sb.append('\n');
  }

  private static String value(Object v) {
    return v instanceof Double d ? number(d) : String.valueOf(v);
  }

  private static String number(double v) {
    return Double.toString(v);
  }

  static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
