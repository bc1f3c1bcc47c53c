package dev.dendrite.jobs.report;

import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.ConfusionMatrix;
import dev.dendrite.core.metrics.RegressionMetrics;
import dev.dendrite.core.train.EpochRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Report} as one self-contained HTML page: run summary, loss and metric curves per epoch,
 * the test set's confusion matrix and per-class metrics (or regression metrics), an autoencoder's image
 * grids, timings, Spark settings and the configuration. Charts are inline SVG and images inline PNG
 * ({@code data:} URIs); the page loads nothing and runs no script, so it reads the same offline.
 */
public final class HtmlReport {

  /** Per-epoch tables longer than this start collapsed. */
  private static final int OPEN_TABLE_EPOCHS = 30;

  private HtmlReport() {
  }

  /** The report as an HTML document. */
  public static String write(Report r) {
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"Dendrite\">\n")
        .append("<title>").append(esc(r.title())).append(" \u2014 Dendrite training report</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    header(sb, r);
    summary(sb, r);
    curves(sb, r);
    if (r.classification() != null) {
      classification(sb, r);
    }
    if (r.regression() != null) {
      regression(sb, r.regression());
    }
    if (!r.images().isEmpty()) {
      images(sb, r.images());
    }
    timings(sb, r);
    spark(sb, r.spark());
    if (!r.config().isEmpty()) {
      sb.append("<section id=\"config\">\n<h2>Configuration</h2>\n<pre class=\"config\">").append(esc(r.config()))
          .append("</pre>\n</section>\n");
    }
    sb.append("<footer>Written by Dendrite. A self-contained page: no scripts, no external resources.</footer>\n");
    sb.append("</main>\n</body>\n</html>\n");
    return sb.toString();
  }

  // ---- sections

  private static void header(StringBuilder sb, Report r) {
    List<EpochRecord> epochs = r.epochs();
    sb.append("<header>\n<div class=\"kicker\">Dendrite training report</div>\n<h1>").append(esc(r.title()))
        .append("</h1>\n<p class=\"subtitle\">");
    List<String> facts = new ArrayList<>();
    facts.add(epochs.size() + (epochs.size() == 1 ? " epoch" : " epochs"));
    facts.add("stopped: <span class=\"stop\">" + esc(r.stopReason()) + "</span>");
    if (r.bestEpoch() > 0) {
      facts.add("best epoch " + r.bestEpoch());
    }
    if (r.steps() > 0) {
      facts.add(r.steps() + " optimizer steps");
    }
    Object master = r.summary().get("spark_master");
    if (master != null) {
      facts.add("Spark <code>" + esc(master.toString()) + "</code>");
    }
    sb.append(String.join(" \u00b7 ", facts)).append("</p>\n<div class=\"cards\">\n");
    if (r.classification() != null) {
      ClassificationMetrics m = r.classification();
      card(sb, "Test accuracy", num(m.accuracy()), m.examples() + " examples");
      card(sb, "Test macro F1", num(m.confusionMatrix().macroF1()), m.numClasses() + " classes");
    }
    if (r.regression() != null) {
      RegressionMetrics m = r.regression();
      card(sb, "Test RMSE", num(m.rmse()), m.examples() + " examples");
      card(sb, "Test R\u00b2", num(m.r2()), m.outputs() + (m.outputs() == 1 ? " output" : " outputs"));
    }
    if (r.summary().get("test_metrics") instanceof Map<?, ?> test && test.get("test_elbo") instanceof Number elbo) {
      card(sb, "Test ELBO", num(elbo.doubleValue()), "reconstruction " + num(number(test.get("test_reconstruction")))
          + ", KL " + num(number(test.get("test_kl"))) + " per example");
    }
    if (!epochs.isEmpty()) {
      EpochRecord last = epochs.get(epochs.size() - 1);
      String key = last.metrics().containsKey("val_loss") ? "val_loss" : "loss";
      if (last.metrics().containsKey(key)) {
        card(sb, "Final " + key.replace('_', ' '), num(last.metric(key)), "epoch " + last.epoch());
      }
    }
    double seconds = trainingSeconds(r);
    if (Double.isFinite(seconds)) {
      card(sb, "Training time", duration(seconds), epochs.isEmpty() ? "" : duration(seconds / epochs.size())
          + " per epoch");
    }
    sb.append("</div>\n</header>\n");
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static void card(StringBuilder sb, String label, String value, String note) {
    sb.append("<div class=\"card\"><div class=\"card-label\">").append(esc(label))
        .append("</div><div class=\"card-value\">").append(esc(value)).append("</div><div class=\"card-note\">")
        .append(esc(note)).append("</div></div>\n");
  }

  /** The run's wall time: the summary's {@code seconds}, else the epochs' sum; NaN when neither is known. */
  private static double trainingSeconds(Report r) {
    if (r.summary().get("seconds") instanceof Number n) {
      return n.doubleValue();
    }
    if (r.epochs().isEmpty()) {
      return Double.NaN;
    }
    double s = 0;
    for (EpochRecord e : r.epochs()) {
      s += e.seconds();
    }
    return s;
  }

  private static void summary(StringBuilder sb, Report r) {
    if (r.summary().isEmpty()) {
      return;
    }
    sb.append("<section id=\"summary\">\n<h2>Run summary</h2>\n<div class=\"tables\">\n");
    Map<String, Object> scalars = new LinkedHashMap<>();
    Map<String, Map<?, ?>> nested = new LinkedHashMap<>();
    r.summary().forEach((k, v) -> {
      if (v instanceof Map<?, ?> m) {
        nested.put(k, m);
      } else {
        scalars.put(k, v);
      }
    });
    if (!scalars.isEmpty()) {
      keyValueTable(sb, "run", scalars);
    }
    nested.forEach((k, m) -> {
      Map<String, Object> flat = new LinkedHashMap<>();
      m.forEach((a, b) -> flat.put(String.valueOf(a), b));
      keyValueTable(sb, k, flat);
    });
    sb.append("</div>\n</section>\n");
  }

  private static void keyValueTable(StringBuilder sb, String caption, Map<String, ?> m) {
    sb.append("<table class=\"kv\"><caption>").append(esc(caption)).append("</caption>\n");
    if (m.isEmpty()) {
      sb.append("<tr><td class=\"muted\" colspan=\"2\">none</td></tr>\n");
    }
    m.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(value(k, v)))
        .append("</td></tr>\n"));
    sb.append("</table>\n");
  }

  private static void curves(StringBuilder sb, Report r) {
    List<EpochRecord> epochs = r.epochs();
    sb.append("<section id=\"curves\">\n<h2>Training curves</h2>\n");
    if (epochs.isEmpty()) {
      sb.append("<p class=\"muted\">No epoch was completed.</p>\n</section>\n");
      return;
    }
    double[] x = new double[epochs.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = epochs.get(i).epoch();
    }
    sb.append("<div class=\"grid\">\n");
    int n = 0;
    for (Map.Entry<String, List<String>> g : metricGroups(epochs).entrySet()) {
      List<Svg.Series> series = new ArrayList<>();
      for (String name : g.getValue()) {
        boolean val = name.startsWith("val_");
        series.add(new Svg.Series(val ? "validation" : "train", metric(epochs, name),
            val ? Svg.VALIDATION_COLOR : Svg.TRAIN_COLOR, false));
      }
      String label = pretty(g.getKey());
      String svg = Svg.lineChart("chart-" + (n + 1) + "-" + slug(g.getKey()), label, "Epoch", label, x, series,
          r.bestEpoch());
      if (svg != null) {
        panel(sb, svg);
        n++;
      }
    }
    double[] lr = new double[epochs.size()];
    double lrMin = Double.POSITIVE_INFINITY;
    double lrMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < lr.length; i++) {
      lr[i] = epochs.get(i).learningRate();
      lrMin = Math.min(lrMin, lr[i]);
      lrMax = Math.max(lrMax, lr[i]);
    }
    if (lrMax > lrMin) { // a schedule: worth a chart
      String svg = Svg.lineChart("chart-learning-rate", "Learning rate", "Epoch", "learning rate", x,
          List.of(new Svg.Series("learning rate", lr, "#6639ba", false)), r.bestEpoch(), true);
      if (svg != null) {
        panel(sb, svg);
        n++;
      }
    }
    sb.append("</div>\n");
    if (n == 0) {
      sb.append("<p class=\"muted\">No finite metric was recorded.</p>\n");
    }
    sb.append("</section>\n");
  }

  /**
   * Metric names grouped for one chart each: {@code x} with {@code val_x}, loss first, then in the order
   * the history first shows them; a {@code val_} metric without a training twin gets a chart of its own.
   */
  static Map<String, List<String>> metricGroups(List<EpochRecord> epochs) {
    Set<String> names = new LinkedHashSet<>();
    for (EpochRecord e : epochs) {
      names.addAll(e.metrics().keySet());
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    if (names.contains("loss") || names.contains("val_loss")) {
      groups.put("loss", new ArrayList<>());
    }
    for (String name : names) {
      String base = name.startsWith("val_") ? name.substring(4) : name;
      groups.computeIfAbsent(base, b -> new ArrayList<>());
    }
    groups.forEach((base, list) -> {
      if (names.contains(base)) {
        list.add(base);
      }
      if (names.contains("val_" + base)) {
        list.add("val_" + base);
      }
    });
    groups.values().removeIf(List::isEmpty);
    return groups;
  }

  private static double[] metric(List<EpochRecord> epochs, String name) {
    double[] v = new double[epochs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = epochs.get(i).metric(name);
    }
    return v;
  }

  private static void panel(StringBuilder sb, String svg) {
    sb.append("<figure class=\"panel\">\n").append(svg).append("</figure>\n");
  }

  private static void classification(StringBuilder sb, Report r) {
    ClassificationMetrics m = r.classification();
    ConfusionMatrix cm = m.confusionMatrix();
    int k = cm.numClasses();
    String[] names = new String[k];
    for (int c = 0; c < k; c++) {
      names[c] = r.classNames().isEmpty() ? Integer.toString(c) : r.classNames().get(c);
    }
    long[][] counts = new long[k][k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        counts[t][p] = cm.count(t, p);
      }
    }
    sb.append("<section id=\"test\">\n<h2>Test set</h2>\n");
    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("examples", m.examples());
    headline.putAll(m.metrics(""));
    sb.append("<div class=\"tables\">\n");
    keyValueTable(sb, "test metrics", headline);
    sb.append("</div>\n<div class=\"split\">\n<figure class=\"panel heat-map-panel\">\n<figcaption>Confusion matrix"
        + "</figcaption>\n");
    sb.append(Svg.heatMap("confusion-matrix", counts, names));
    sb.append("</figure>\n<div class=\"panel\">\n<table class=\"metrics\" id=\"per-class\">\n<caption>Per-class "
        + "metrics</caption>\n<thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>"
        + "<th>support</th></tr></thead>\n<tbody>\n");
    for (int c = 0; c < k; c++) {
      sb.append("<tr><th>").append(esc(names[c])).append("</th>");
      barCell(sb, cm.precision(c));
      barCell(sb, cm.recall(c));
      barCell(sb, cm.f1(c));
      sb.append("<td>").append(cm.support(c)).append("</td></tr>\n");
    }
    sb.append("</tbody>\n<tfoot>\n");
    long n = cm.total();
    sb.append("<tr><th>accuracy</th><td></td><td></td><td>").append(fixed(cm.accuracy())).append("</td><td>")
        .append(n).append("</td></tr>\n");
    sb.append("<tr><th>macro avg</th><td>").append(fixed(cm.macroPrecision())).append("</td><td>")
        .append(fixed(cm.macroRecall())).append("</td><td>").append(fixed(cm.macroF1())).append("</td><td>").append(n)
        .append("</td></tr>\n");
    sb.append("<tr><th>weighted avg</th><td>").append(fixed(cm.weightedPrecision())).append("</td><td>")
        .append(fixed(cm.weightedRecall())).append("</td><td>").append(fixed(cm.weightedF1())).append("</td><td>")
        .append(n).append("</td></tr>\n");
    sb.append("</tfoot>\n</table>\n</div>\n</div>\n</section>\n");
  }

  private static void barCell(StringBuilder sb, double v) {
    double w = Double.isFinite(v) ? Math.max(0, Math.min(1, v)) * 100 : 0;
    sb.append(String.format(Locale.ROOT, "<td class=\"bar\" style=\"--w:%.1f%%\">", w)).append(fixed(v))
        .append("</td>");
  }

  private static void regression(StringBuilder sb, RegressionMetrics m) {
    sb.append("<section id=\"test\">\n<h2>Test set</h2>\n<div class=\"tables\">\n");
    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("examples", m.examples());
    headline.putAll(m.metrics(""));
    keyValueTable(sb, "test metrics", headline);
    if (m.outputs() > 1) {
      Map<String, Object> perOutput = new LinkedHashMap<>();
      for (int j = 0; j < m.outputs(); j++) {
        perOutput.put("output " + j, m.r2(j));
      }
      keyValueTable(sb, "R\u00b2 per output", perOutput);
    }
    sb.append("</div>\n</section>\n");
  }

  /** Image grids as inline PNGs, each in a figure with its caption. */
  private static void images(StringBuilder sb, List<ImageGrid> grids) {
    sb.append("<section id=\"images\">\n<h2>Images</h2>\n<div class=\"image-grids\">\n");
    for (ImageGrid g : grids) {
      sb.append("<figure class=\"panel image-panel\"><figcaption>").append(esc(g.title()))
          .append(" <span class=\"muted\">").append(esc(g.caption())).append("</span></figcaption>\n")
          .append("<img class=\"image-grid\" id=\"").append(esc(g.id())).append("\" width=\"").append(g.width())
          .append("\" height=\"").append(g.height()).append("\" alt=\"").append(esc(g.title())).append("\" src=\"")
          .append(g.dataUri()).append("\">\n</figure>\n");
    }
    sb.append("</div>\n</section>\n");
  }

  private static void timings(StringBuilder sb, Report r) {
    List<EpochRecord> epochs = r.epochs();
    sb.append("<section id=\"timings\">\n<h2>Timings</h2>\n");
    Map<String, Object> t = new LinkedHashMap<>();
    if (r.summary().get("seconds") instanceof Number s) {
      t.put("wall time (training)", duration(s.doubleValue()));
    }
    double sum = 0;
    double samples = 0;
    for (EpochRecord e : epochs) {
      sum += e.seconds();
      samples += e.seconds() * e.samplesPerSecond();
    }
    if (!epochs.isEmpty()) {
      t.put("time in epochs", duration(sum));
      t.put("mean per epoch", duration(sum / epochs.size()));
      t.put("mean throughput", sum > 0 ? num(samples / sum) + " samples/s" : "\u2013");
    }
    if (r.steps() > 0) {
      t.put("optimizer steps", r.steps());
      if (sum > 0) {
        t.put("steps per second", num(r.steps() / sum));
      }
    }
    sb.append("<div class=\"tables\">\n");
    keyValueTable(sb, "timings", t);
    sb.append("</div>\n");
    if (!epochs.isEmpty()) {
      double[] x = new double[epochs.size()];
      double[] seconds = new double[x.length];
      double[] rate = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        EpochRecord e = epochs.get(i);
        x[i] = e.epoch();
        seconds[i] = e.seconds();
        rate[i] = e.samplesPerSecond();
      }
      sb.append("<div class=\"grid\">\n");
      String a = Svg.lineChart("chart-epoch-seconds", "Time per epoch", "Epoch", "seconds", x,
          List.of(new Svg.Series("seconds", seconds, "#1a7f37", false)), -1, true);
      String b = Svg.lineChart("chart-throughput", "Throughput", "Epoch", "samples / s", x,
          List.of(new Svg.Series("samples/s", rate, "#6639ba", false)), -1, true);
      for (String svg : new String[] {a, b}) {
        if (svg != null) {
          panel(sb, svg);
        }
      }
      sb.append("</div>\n");
      epochTable(sb, r);
    }
    sb.append("</section>\n");
  }

  private static void epochTable(StringBuilder sb, Report r) {
    List<EpochRecord> epochs = r.epochs();
    Set<String> names = new LinkedHashSet<>();
    for (EpochRecord e : epochs) {
      names.addAll(e.metrics().keySet());
    }
    sb.append("<details").append(epochs.size() <= OPEN_TABLE_EPOCHS ? " open" : "")
        .append("><summary>Per-epoch table (").append(epochs.size()).append(epochs.size() == 1 ? " epoch" : " epochs")
        .append(")</summary>\n<div class=\"scroll\"><table class=\"metrics\" id=\"epochs\">\n<thead><tr><th>epoch</th>");
    for (String name : names) {
      sb.append("<th>").append(esc(name)).append("</th>");
    }
    sb.append("<th>seconds</th><th>samples/s</th><th>learning rate</th></tr></thead>\n<tbody>\n");
    for (EpochRecord e : epochs) {
      sb.append(e.epoch() == r.bestEpoch() ? "<tr class=\"best\" title=\"best epoch\">" : "<tr>").append("<th>")
          .append(e.epoch()).append("</th>");
      for (String name : names) {
        sb.append("<td>").append(fixed(e.metric(name))).append("</td>");
      }
      sb.append("<td>").append(String.format(Locale.ROOT, "%.2f", e.seconds())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.0f", e.samplesPerSecond())).append("</td><td>")
          .append(num(Double.parseDouble(Float.toString(e.learningRate())))).append("</td></tr>\n");
    }
    sb.append("</tbody>\n</table></div>\n</details>\n");
  }

  private static void spark(StringBuilder sb, Map<String, String> settings) {
    sb.append("<section id=\"spark\">\n<h2>Spark settings</h2>\n");
    if (settings.isEmpty()) {
      sb.append("<p class=\"muted\">Not recorded.</p>\n</section>\n");
      return;
    }
    sb.append("<table class=\"kv wide\" id=\"spark-settings\">\n");
    settings.forEach((k, v) -> sb.append("<tr><th>").append(esc(k)).append("</th><td>")
        .append(esc(v)).append("</td></tr>\n")); // redacted when captured: Report.sparkSettings
    sb.append("</table>\n</section>\n");
  }

  // ---- formatting

  /** Text made safe for HTML and SVG element content and double- or single-quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? "\ufffd" : null; // not allowed in XML
      };
      if (rep != null && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (rep != null) {
          sb.append(rep);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** A number for people: integers whole, others to 4 decimals (trailing zeros dropped) or in e-notation. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "\u2013";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "\u221e" : "\u2212\u221e";
    }
    double a = Math.abs(v);
    if (v == Math.rint(v) && a < 1e15) {
      return Long.toString((long) v);
    }
    if (a >= 1e6 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.3e", v).replaceAll("\\.?0+e", "e"); // 5.000e-04 → 5e-04
    }
    String s = String.format(Locale.ROOT, a >= 1000 ? "%.1f" : a >= 100 ? "%.2f" : "%.4f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** A ratio or metric in a table column: 4 decimals always, so the column lines up. */
  static String fixed(double v) {
    if (!Double.isFinite(v) || v == 0) {
      return num(v);
    }
    double a = Math.abs(v);
    return a >= 1e6 || a < 1e-3 ? num(v) : String.format(Locale.ROOT, "%.4f", v);
  }

  /** Seconds as {@code 12.3 s}, {@code 4 min 05 s} or {@code 1 h 02 min}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return num(seconds);
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  private static String value(String key, Object v) {
    if (v == null) {
      return "\u2013";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return key.equals("seconds") || key.endsWith("_seconds") ? duration(d) : num(d);
    }
    if (v instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>();
      for (Object o : c) {
        parts.add(value("", o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((a, b) -> parts.add(a + ": " + value(String.valueOf(a), b)));
      return "{" + String.join(", ", parts) + "}";
    }
    return v.toString();
  }

  /** A metric's name as a chart title: {@code val_top_5_accuracy} → {@code Top 5 accuracy}, mse → MSE. */
  static String pretty(String name) {
    String[] words = name.split("_");
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      String shown = switch (w) {
        case "mse", "rmse", "mae", "auc", "roc", "f1", "iou" -> w.toUpperCase(Locale.ROOT);
        case "r2" -> "R\u00b2";
        default -> w;
      };
      sb.append(sb.length() == 0 ? "" : " ");
      sb.append(sb.length() == 0 ? Character.toUpperCase(shown.charAt(0)) + shown.substring(1) : shown);
    }
    return sb.length() == 0 ? name : sb.toString();
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  static final String CSS = """
      :root { color-scheme: light; }
      * { box-sizing: border-box; }
      body { margin: 0; background: #f6f8fa; color: #24292f;
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
      main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; }
      header { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px; padding: 20px 24px;
        margin-bottom: 20px; }
      .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; color: #57606a; }
      h1 { margin: 2px 0 6px; font-size: 24px; }
      h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 6px; border-bottom: 1px solid #d0d7de; }
      .subtitle { margin: 0 0 14px; color: #57606a; }
      .stop { font-weight: 600; color: #24292f; }
      code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
        font-size: 12.5px; }
      .cards { display: flex; flex-wrap: wrap; gap: 12px; }
      .card { flex: 1 1 160px; background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 8px;
        padding: 10px 14px; }
      .card-label { font-size: 12px; color: #57606a; }
      .card-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
      .card-note { font-size: 11px; color: #6e7781; min-height: 1em; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px; }
      .panel { margin: 0; background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px; }
      .panel svg { display: block; width: 100%; height: auto; }
      figcaption, caption { font-weight: 600; text-align: left; padding: 2px 4px 8px; font-size: 13px; }
      .split { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap: 16px;
        align-items: start; margin-top: 16px; }
      @media (max-width: 900px) { .split { grid-template-columns: 1fr; } }
      .heat-map-panel svg { margin: 0 auto; }
      .image-grids { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
      .image-panel img { display: block; image-rendering: pixelated; max-width: 100%; height: auto; }
      .tables { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
      table { border-collapse: collapse; background: #ffffff; font-variant-numeric: tabular-nums; }
      .tables table, table.wide { border: 1px solid #d0d7de; border-radius: 8px; }
      table.kv th, table.kv td { padding: 4px 12px; border-top: 1px solid #eaeef2; text-align: left;
        vertical-align: top; }
      table.kv th { font-weight: 500; color: #57606a; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
        font-size: 12.5px; white-space: nowrap; }
      table.kv caption { padding-left: 12px; }
      table.wide { width: 100%; }
      table.wide td { word-break: break-all; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
        font-size: 12.5px; }
      table.metrics { width: 100%; }
      table.metrics th, table.metrics td { padding: 4px 10px; text-align: right; border-top: 1px solid #eaeef2; }
      table.metrics thead th { color: #57606a; font-weight: 600; border-top: none;
        border-bottom: 1px solid #d0d7de; }
      table.metrics thead th:first-child { text-align: left; }
      table.metrics tbody th, table.metrics tfoot th { text-align: left; font-weight: 500; }
      table.metrics tfoot { border-top: 2px solid #d0d7de; }
      table.metrics tfoot th, table.metrics tfoot td { color: #57606a; }
      td.bar { background: linear-gradient(90deg, #54aeff var(--w), #eaeef2 var(--w)) no-repeat left 10px bottom 3px
        / calc(100% - 20px) 3px; }
      tr.best { background: #fff8c5; }
      details { margin-top: 16px; background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px;
        padding: 8px 12px; }
      summary { cursor: pointer; font-weight: 600; }
      .scroll { overflow-x: auto; margin-top: 8px; }
      pre.config { background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 16px;
        overflow-x: auto; white-space: pre; }
      .muted { color: #6e7781; }
      footer { margin-top: 32px; color: #6e7781; font-size: 12px; }
      @media print { body { background: #ffffff; } .panel, header, details { break-inside: avoid; } }
      """;
}
