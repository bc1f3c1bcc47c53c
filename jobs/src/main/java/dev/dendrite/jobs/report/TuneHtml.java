package dev.dendrite.jobs.report;

import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.jobs.tune.Hyperparameter;
import dev.dendrite.jobs.tune.Search;
import dev.dendrite.jobs.tune.SearchSpace;
import dev.dendrite.jobs.tune.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tune.html}: one self-contained page (inline SVG, no script) for a hyperparameter search — the
 * best trial and its settings, the metric against each searched key (Optuna's slice plot), the learning
 * curves of the best trials, and the leading rows of the results table.
 */
public final class TuneHtml {

  /** Learning curves are drawn for this many of the best trials. */
  static final int CURVES = 3;
  /** Rows of the leaderboard shown (the whole table is in results.csv). */
  static final int TABLE_ROWS = 15;

  private static final String[] COLORS = {"#e8710a", "#1f77b4", "#2da44e", "#8250df", "#cf222e"};

  private TuneHtml() {
  }

  /**
   * @param results   every trial (every rung's rows for successive halving)
   * @param best      the winner
   * @param execution how the trials ran, e.g. "in parallel as Spark tasks"
   */
  public static String write(String title, SearchSpace space, List<TrialResult> results, TrialResult best,
                             String execution, double seconds) {
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"Dendrite\">\n")
        .append("<title>").append(HtmlReport.esc(title)).append(" \u2014 Dendrite hyperparameter search</title>\n")
        .append("<style>\n").append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n<main>\n");
    String metric = space.metric();
    sb.append("<header>\n<div class=\"kicker\">Dendrite hyperparameter search</div>\n<h1>")
        .append(HtmlReport.esc(title)).append("</h1>\n<p class=\"subtitle\">")
        .append(HtmlReport.esc(space.method())).append(" search \u00b7 ").append(results.size()).append(" trials \u00b7 ")
        .append(HtmlReport.esc(metric)).append(", ").append(space.maximize() ? "higher" : "lower")
        .append(" is better \u00b7 trials run ").append(HtmlReport.esc(execution)).append("</p>\n<div class=\"cards\">\n");
    card(sb, "Best " + metric.replace('_', ' '), Double.isNaN(best.value()) ? "\u2013" : HtmlReport.num(best.value()),
        "trial " + best.trial().index() + ", epoch " + best.scoredEpoch());
    card(sb, "Trials", Integer.toString(results.size()), space.parameters().size() + " searched keys");
    card(sb, "Search time", HtmlReport.duration(seconds), "");
    sb.append("</div>\n</header>\n");

    sb.append("<section id=\"best\">\n<h2>Best configuration</h2>\n<table class=\"kv\">\n");
    best.trial().settings().forEach((k, v) -> sb.append("<tr><th>").append(HtmlReport.esc(k)).append("</th><td>")
        .append(HtmlReport.esc(show(v))).append("</td></tr>\n"));
    sb.append("</table>\n<p class=\"muted\">In <code>best.yaml</code>: <code>bin/dendrite train best.yaml</code>.</p>\n")
        .append("</section>\n");

    slices(sb, space, results, best);
    curves(sb, space, results);
    table(sb, space, results);
    sb.append("<footer>Written by Dendrite. A self-contained page: no scripts, no external resources.</footer>\n");
    sb.append("</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  /** The metric against each searched key; for halving, the first rung (every configuration, one budget). */
  private static void slices(StringBuilder sb, SearchSpace space, List<TrialResult> results, TrialResult best) {
    List<TrialResult> points = new ArrayList<>();
    for (TrialResult r : results) {
      if (r.trial().rung() == 0) {
        points.add(r);
      }
    }
    int bestPoint = -1;
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).trial().index() == best.trial().index()) {
        bestPoint = i;
      }
    }
    sb.append("<section id=\"slices\">\n<h2>").append(HtmlReport.esc(space.metric()))
        .append(" against each hyperparameter</h2>\n");
    if (space.method().equals("halving")) {
      sb.append("<p class=\"muted\">The first rung: every configuration trained the same epochs.</p>\n");
    }
    sb.append("<div class=\"grid\">\n");
    int n = 0;
    for (Hyperparameter p : space.parameters()) {
      double[] x = new double[points.size()];
      double[] y = new double[points.size()];
      String[] titles = new String[points.size()];
      List<String> categories = null;
      if (p.isChoice() || !(points.isEmpty() || points.get(0).trial().settings().get(p.key()) instanceof Number)) {
        categories = new ArrayList<>();
        for (Object v : p.isChoice() ? p.values() : List.of()) {
          categories.add(show(v));
        }
      }
      for (int i = 0; i < points.size(); i++) {
        TrialResult r = points.get(i);
        Object v = r.trial().settings().get(p.key());
        x[i] = categories != null ? categories.indexOf(show(v)) : ((Number) v).doubleValue();
        y[i] = r.value();
        titles[i] = "trial " + r.trial().index() + ": " + p.key() + " " + show(v) + ", " + space.metric() + " "
            + (Double.isNaN(r.value()) ? "not measured" : HtmlReport.num(r.value()));
      }
      String svg = Scatter.chart("slice-" + (++n), p.key(), p.key(), space.metric(), x, y, categories,
          p.scale().equals("log"), titles, bestPoint);
      if (svg != null) {
        sb.append("<figure class=\"panel\">\n").append(svg).append("</figure>\n");
      }
    }
    sb.append("</div>\n</section>\n");
  }

  /** The metric per epoch of the best trials (their longest run, for halving). */
  private static void curves(StringBuilder sb, SearchSpace space, List<TrialResult> results) {
    Map<Integer, TrialResult> longest = new LinkedHashMap<>();
    for (TrialResult r : results) {
      TrialResult seen = longest.get(r.trial().index());
      if (seen == null || r.trial().rung() > seen.trial().rung()) {
        longest.put(r.trial().index(), r);
      }
    }
    List<TrialResult> ranked = Search.ranked(new ArrayList<>(longest.values()), space);
    List<TrialResult> shown = ranked.subList(0, Math.min(CURVES, ranked.size()));
    int epochs = 0;
    for (TrialResult r : shown) {
      epochs = Math.max(epochs, r.history().epochs().size());
    }
    sb.append("<section id=\"curves\">\n<h2>Learning curves of the best trials</h2>\n<div class=\"grid\">\n");
    double[] x = new double[epochs];
    for (int i = 0; i < epochs; i++) {
      x[i] = i + 1;
    }
    List<String> metrics = new ArrayList<>(List.of(space.metric()));
    String twin = space.metric().startsWith("val_") ? space.metric().substring(4) : null;
    if (twin != null) {
      metrics.add(twin);
    }
    int n = 0;
    for (String metric : metrics) {
      List<Svg.Series> series = new ArrayList<>();
      for (int s = 0; s < shown.size(); s++) {
        TrialResult r = shown.get(s);
        double[] y = new double[epochs];
        java.util.Arrays.fill(y, Double.NaN);
        List<EpochRecord> records = r.history().epochs();
        for (int e = 0; e < records.size(); e++) {
          y[e] = records.get(e).metric(metric);
        }
        series.add(new Svg.Series("trial " + r.trial().index(), y, COLORS[s % COLORS.length], false));
      }
      String svg = epochs == 0 ? null : Svg.lineChart("curves-" + (++n) + "-" + metric, HtmlReport.pretty(metric)
          + (metric.startsWith("val_") ? "" : " (training)"), "Epoch", metric, x, series, -1);
      if (svg != null) {
        sb.append("<figure class=\"panel\">\n").append(svg).append("</figure>\n");
      }
    }
    sb.append("</div>\n</section>\n");
  }

  private static void table(StringBuilder sb, SearchSpace space, List<TrialResult> results) {
    List<TrialResult> ranked = Search.ranked(results, space);
    sb.append("<section id=\"results\">\n<h2>Leaderboard</h2>\n<div class=\"scroll\"><table class=\"metrics\">\n")
        .append("<thead><tr><th>rank</th><th>trial</th>");
    if (space.method().equals("halving")) {
      sb.append("<th>rung</th>");
    }
    for (Hyperparameter p : space.parameters()) {
      sb.append("<th>").append(HtmlReport.esc(p.key())).append("</th>");
    }
    sb.append("<th>").append(HtmlReport.esc(space.metric())).append("</th><th>epochs</th><th>seconds</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (int i = 0; i < Math.min(TABLE_ROWS, ranked.size()); i++) {
      TrialResult r = ranked.get(i);
      sb.append(i == 0 ? "<tr class=\"best\">" : "<tr>").append("<th>").append(i + 1).append("</th><td>")
          .append(r.trial().index()).append("</td>");
      if (space.method().equals("halving")) {
        sb.append("<td>").append(r.trial().rung()).append("</td>");
      }
      for (Hyperparameter p : space.parameters()) {
        sb.append("<td>").append(HtmlReport.esc(show(r.trial().settings().get(p.key())))).append("</td>");
      }
      sb.append("<td>").append(Double.isNaN(r.value()) ? "\u2013" : HtmlReport.num(r.value())).append("</td><td>")
          .append(r.epochsRun()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append("</td></tr>\n");
    }
    sb.append("</tbody>\n</table></div>\n<p class=\"muted\">Every trial is in <code>results.csv</code> and "
        + "<code>results.json</code>.</p>\n</section>\n");
  }

  private static void card(StringBuilder sb, String label, String value, String note) {
    sb.append("<div class=\"card\"><div class=\"card-label\">").append(HtmlReport.esc(label))
        .append("</div><div class=\"card-value\">").append(HtmlReport.esc(value)).append("</div><div class=\"card-note\">")
        .append(HtmlReport.esc(note)).append("</div></div>\n");
  }

  static String show(Object v) {
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.4g", d);
    }
    return String.valueOf(v);
  }
}
