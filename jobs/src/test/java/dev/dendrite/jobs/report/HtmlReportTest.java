package dev.dendrite.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.metrics.ClassificationMetrics;
import dev.dendrite.core.metrics.ConfusionMatrix;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.EarlyStopping;
import dev.dendrite.core.train.EpochRecord;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.jobs.Redaction;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The training report's HTML: what it shows, that it escapes, that it needs nothing from outside. */
class HtmlReportTest {

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /** Every {@code <svg>...</svg>} of the page, each parsed as XML (so it must be well-formed). */
  private static List<Document> svgs(String html) throws Exception {
    List<Document> out = new ArrayList<>();
    Matcher m = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL).matcher(html);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    while (m.find()) {
      out.add(f.newDocumentBuilder().parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8))));
    }
    return out;
  }

  private static Document svg(List<Document> svgs, String id) {
    for (Document d : svgs) {
      if (id.equals(d.getDocumentElement().getAttribute("id"))) {
        return d;
      }
    }
    throw new AssertionError("no chart with id " + id);
  }

  @Test
  void classificationReportHasCurvesHeatMapAndPerClassMetrics() throws Exception {
    Report r = ReportSamples.fashion();
    String html = HtmlReport.write(r);
    List<Document> svgs = svgs(html);
    // loss, accuracy, learning rate (it changes at epoch 9), time per epoch, throughput, the heat map
    assertEquals(6, svgs.size(), "charts");
    Document loss = svg(svgs, "chart-1-loss");
    Document accuracy = svg(svgs, "chart-2-accuracy");
    for (Document d : List.of(loss, accuracy)) {
      NodeList series = d.getElementsByTagName("g");
      int lines = 0;
      for (int i = 0; i < series.getLength(); i++) {
        Element g = (Element) series.item(i);
        if (g.getAttribute("class").equals("series")) {
          lines++;
          assertEquals(12, g.getElementsByTagName("circle").getLength(), "one marker per epoch");
          String path = ((Element) g.getElementsByTagName("path").item(0)).getAttribute("d");
          assertEquals(11, count(path, "L"), "12 points joined by 11 segments: " + path);
        }
      }
      assertEquals(2, lines, "train and validation lines");
    }
    assertTrue(html.contains(">best</text>"), "the best epoch is marked");

    // the heat map: k² cells, the counts of the confusion matrix as their text
    ConfusionMatrix cm = r.classification().confusionMatrix();
    Document heat = svg(svgs, "confusion-matrix");
    NodeList rects = heat.getElementsByTagName("rect");
    int cells = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      if (((Element) rects.item(i)).getAttribute("class").equals("cell")) {
        cells++;
      }
    }
    assertEquals(100, cells);
    String cellsText = heat.getElementsByTagName("g").item(0).getTextContent();
    assertTrue(cellsText.contains("true Shirt, predicted Shirt: " + cm.count(6, 6) + " ("), cellsText);
    assertTrue(html.contains("share of true class"), "a colour scale");
    assertTrue(heat.getElementsByTagName("linearGradient").getLength() == 1);

    // the per-class table has one row per class with precision, recall, F1 and support
    String table = html.substring(html.indexOf("<table class=\"metrics\" id=\"per-class\">"));
    table = table.substring(0, table.indexOf("</table>"));
    for (int c = 0; c < 10; c++) {
      String name = HtmlReport.esc(ReportSamples.FASHION.get(c));
      String row = table.substring(table.indexOf("<tr><th>" + name + "</th>"));
      row = row.substring(0, row.indexOf("</tr>"));
      assertTrue(row.contains(">" + HtmlReport.fixed(cm.precision(c)) + "<"), row);
      assertTrue(row.contains(">" + HtmlReport.fixed(cm.recall(c)) + "<"), row);
      assertTrue(row.contains(">" + HtmlReport.fixed(cm.f1(c)) + "<"), row);
      assertTrue(row.endsWith("<td>" + cm.support(c) + "</td>"), row);
    }
    assertTrue(table.contains("<th>macro avg</th><td>" + HtmlReport.fixed(cm.macroPrecision())), table);

    // header, timings, Spark settings, configuration
    assertTrue(html.contains(">Test accuracy<") && html.contains(">" + HtmlReport.num(cm.accuracy()) + "<"));
    assertTrue(html.contains("stopped: <span class=\"stop\">early_stopping</span>"));
    assertTrue(html.contains("<td>41.7 s</td>"), "the summary's seconds as a duration");
    assertTrue(html.contains("id=\"chart-epoch-seconds\"") && html.contains("id=\"chart-throughput\""));
    assertTrue(html.contains("<tr class=\"best\" title=\"best epoch\"><th>9</th>"));
    assertTrue(html.contains("<tr><th>spark.executor.memory</th><td>2g</td></tr>"));
    assertTrue(html.contains("<pre class=\"config\">data:\n  format: idx\n"));
    assertTrue(html.contains("<th>final_metrics</th>") || html.contains("<caption>final_metrics</caption>"));
  }

  @Test
  void escapesClassNamesConfigAndSettingsAndRedactsSecrets() throws Exception {
    String evil = "<script>alert('x')</script> & \"friends\"";
    Report r = Report.of("run <1> & \"two\"", ReportSamples.classificationEpochs(3))
        .withClassification(ReportSamples.classification(2, 50, 1), List.of(evil, "plain"))
        .withSpark(Report.sparkSettings(new SparkConf(false).set("spark.app.name", evil)
            .set("spark.ssl.keyPassword", "pw-123").set("spark.hadoop.fs.s3a.access.key", "AKIA-XYZ")))
        .withConfig("name: " + evil + "\n")
        .withSummary(Map.of("data", evil));
    String html = HtmlReport.write(r);
    assertFalse(html.contains("<script"), "no markup from the input survives");
    assertFalse(html.contains("'x'"));
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;"));
    assertTrue(html.contains("<h1>run &lt;1&gt; &amp; &quot;two&quot;</h1>"));
    assertFalse(html.contains("pw-123"));
    assertFalse(html.contains("AKIA-XYZ"));
    assertEquals(2, count(html, Redaction.REPLACEMENT));
    svgs(html); // still well-formed with the names inside SVG text and titles
    assertEquals("a\ufffdb", HtmlReport.esc("a\u0001b"), "control characters are not allowed in SVG");
  }

  @Test
  void needsNoScriptAndNoExternalResource() {
    String html = HtmlReport.write(ReportSamples.fashion()) + HtmlReport.write(ReportSamples.regression());
    assertFalse(html.contains("<script"), "charts are drawn without JavaScript");
    assertFalse(html.contains("<link"));
    assertFalse(html.contains("<img"));
    assertFalse(html.contains("@import"));
    assertFalse(Pattern.compile("\\b(src|href)\\s*=").matcher(html).find());
    // the only URL is the SVG namespace name, which is never fetched; url() only points into the page
    String rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assertFalse(rest.contains("http:") || rest.contains("https:") || rest.contains("//cdn"), "a URL in the page");
    Matcher url = Pattern.compile("url\\(([^)]*)\\)").matcher(html);
    while (url.find()) {
      assertTrue(url.group(1).startsWith("#"), "url(" + url.group(1) + ")");
    }
    assertTrue(html.contains("<meta charset=\"utf-8\">"));
  }

  @Test
  void regressionReportPlotsEachMetricPairAndNoConfusionMatrix() throws Exception {
    Report r = ReportSamples.regression();
    String html = HtmlReport.write(r);
    List<Document> svgs = svgs(html);
    assertFalse(html.contains("confusion-matrix"));
    assertFalse(html.contains("per-class"));
    svg(svgs, "chart-1-loss");
    svg(svgs, "chart-2-mae");
    svg(svgs, "chart-3-r2"); // only a validation series
    assertEquals(5, svgs.size(), "loss, mae, r2, time per epoch, throughput");
    assertTrue(html.contains(">Test RMSE<") && html.contains(">" + HtmlReport.num(r.regression().rmse()) + "<"));
    assertTrue(html.contains("<caption>R\u00b2 per output</caption>"));
    assertTrue(html.contains("<th>output 1</th><td>" + HtmlReport.num(r.regression().r2(1)) + "</td>"));
    assertTrue(html.contains(">R\u00b2</text>"), "the r2 chart's title");
  }

  @Test
  void metricGroupsPairTrainingWithValidationLossFirst() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", 0.5);
    m.put("loss", 1.0);
    m.put("val_top_5_accuracy", 0.9);
    m.put("val_loss", 1.1);
    m.put("val_accuracy", 0.4);
    m.put("mae", 0.3);
    Map<String, List<String>> groups = HtmlReport.metricGroups(List.of(new EpochRecord(1, m, 1, 1, 0.1f)));
    assertEquals(List.of("loss", "accuracy", "top_5_accuracy", "mae"), new ArrayList<>(groups.keySet()));
    assertEquals(List.of("loss", "val_loss"), groups.get("loss"));
    assertEquals(List.of("accuracy", "val_accuracy"), groups.get("accuracy"));
    assertEquals(List.of("val_top_5_accuracy"), groups.get("top_5_accuracy"));
    assertEquals(List.of("mae"), groups.get("mae"));
    assertEquals("Top 5 accuracy", HtmlReport.pretty("top_5_accuracy"));
    assertEquals("Macro F1", HtmlReport.pretty("macro_f1"));
    assertEquals("RMSE", HtmlReport.pretty("rmse"));
  }

  @Test
  void missingValuesLeaveGapsAndEmptyMetricsNoChart() throws Exception {
    List<EpochRecord> epochs = new ArrayList<>();
    for (int e = 1; e <= 6; e++) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("loss", 1.0 / e);
      m.put("val_loss", e == 3 ? Double.NaN : 1.2 / e); // e.g. no validation that epoch
      m.put("roc_auc", Double.NaN);                     // never measured
      epochs.add(new EpochRecord(e, m, 1, 100, 0.1f));
    }
    String html = HtmlReport.write(Report.of("gaps", epochs));
    List<Document> svgs = svgs(html);
    assertEquals(3, svgs.size(), "loss, time per epoch, throughput; no chart of the all-NaN metric");
    assertFalse(html.contains("chart-2-roc_auc"));
    Document loss = svg(svgs, "chart-1-loss");
    NodeList paths = loss.getElementsByTagName("path");
    String val = ((Element) paths.item(1)).getAttribute("d");
    assertEquals(2, count(val, "M"), "the validation line breaks at epoch 3: " + val);
    assertEquals(3, count(val, "L"), val);
    assertTrue(html.contains("<td>\u2013</td>"), "the missing value in the per-epoch table");
  }

  @Test
  void oneEpochAndNoEpochsStillRender() throws Exception {
    String one = HtmlReport.write(Report.of("one", ReportSamples.classificationEpochs(1)));
    List<Document> svgs = svgs(one);
    Document loss = svg(svgs, "chart-1-loss");
    assertEquals(2, loss.getElementsByTagName("circle").getLength(), "a single point shows as a marker");
    String none = HtmlReport.write(Report.of("none", List.of()));
    assertTrue(none.contains("No epoch was completed."));
    assertEquals(0, svgs(none).size());
    assertTrue(none.contains("<p class=\"muted\">Not recorded.</p>"), "no Spark settings given");
  }

  @Test
  void largeClassCountsDropCellTextButKeepTooltips() throws Exception {
    ClassificationMetrics m = ReportSamples.classification(40, 4000, 5);
    String html = HtmlReport.write(Report.of("many", ReportSamples.classificationEpochs(2)).withClassification(m,
        null));
    Document heat = svg(svgs(html), "confusion-matrix");
    assertEquals(1600, heat.getElementsByTagName("title").getLength() - 1, "a tooltip per cell");
    Element cells = (Element) heat.getElementsByTagName("g").item(0);
    assertEquals(0, cells.getElementsByTagName("text").getLength(), "cells of 13 px are too small for counts");
    assertThrows(IllegalArgumentException.class, () -> Report.of("x", List.of()).withClassification(m,
        List.of("a", "b")));
  }

  @Test
  void reportOfARealRunShowsItsStopAndBestEpoch() throws Exception {
    Rng rng = new Rng(11);
    int n = 200;
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) rng.nextGaussian();
      x[2 * i + 1] = (float) rng.nextGaussian();
      y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
    }
    Dataset all = Dataset.ofClasses(x, Shape.of(2), y, 2, "two blobs");
    Dataset train = all.range(0, 150);
    Dataset val = all.range(150, 200);
    Network net = Network.builder(2).dense(4, "tanh").dense(2, "softmax").seed(3).build();
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.05))
        .withBatchSize(25).withEpochs(8).withSeed(3)
        .withEarlyStopping(new EarlyStopping("val_loss", 2, 0, true));
    History history = new LocalTrainer(config).fit(net, train, val);
    String html = HtmlReport.write(Report.of("blobs", history));
    assertTrue(html.contains(history.epochs().size() + " epochs"));
    assertTrue(html.contains("stopped: <span class=\"stop\">" + history.stopReason() + "</span>"));
    assertTrue(html.contains(history.steps() + " optimizer steps"));
    assertTrue(history.bestEpoch() > 0, "early stopping keeps a best epoch");
    assertTrue(html.contains("best epoch " + history.bestEpoch()));
    assertTrue(html.contains("<tr class=\"best\" title=\"best epoch\"><th>" + history.bestEpoch() + "</th>"));
    List<Document> svgs = svgs(html);
    assertNotNull(svg(svgs, "chart-1-loss"));
    Document accuracy = svg(svgs, "chart-2-accuracy");
    List<String> lines = new ArrayList<>();
    NodeList groups = accuracy.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("class").equals("series")) {
        lines.add(g.getAttribute("data-name"));
      }
    }
    assertEquals(List.of("train", "validation"), lines, "the accuracy chart of a real run has both lines");
  }

  @Test
  void numbersAxesAndDurationsReadWell() {
    assertEquals("0.9123", HtmlReport.num(0.91234));
    assertEquals("0.5", HtmlReport.num(0.5));
    assertEquals("12", HtmlReport.num(12.0));
    assertEquals("1.235e-04", HtmlReport.num(0.00012345));
    assertEquals("\u2013", HtmlReport.num(Double.NaN));
    assertEquals("1234.6", HtmlReport.num(1234.56));
    assertEquals("127.88", HtmlReport.num(127.8788));
    assertEquals("5e-04", HtmlReport.num(0.0005));
    assertEquals("0.8210", HtmlReport.fixed(0.821));
    assertEquals("4.20 s", HtmlReport.duration(4.2));
    assertEquals("2 min 05 s", HtmlReport.duration(125));
    assertEquals("1 h 02 min", HtmlReport.duration(3720));

    Svg.Axis a = Svg.Axis.of(0.31, 1.27, 5);
    assertEquals(0.2, a.step, 1e-12);
    assertEquals(0.2, a.lo, 1e-12);
    assertEquals(1.4, a.hi, 1e-12);
    assertEquals("0.6", a.label(a.ticks[2]));
    Svg.Axis e = Svg.Axis.integers(1, 100, 8);
    assertEquals(20, e.step, 0);
    assertEquals(0, e.lo, 0);
    assertEquals(100, e.hi, 0);
    assertEquals("40", e.label(40));
    Svg.Axis twenty = Svg.Axis.integers(1, 20, 8); // 19 / 8 rounds to a step of 2.5: epochs are whole
    assertEquals(5, twenty.step, 0);
    assertEquals(20, twenty.hi, 0);
    assertEquals(1, Svg.Axis.integers(1, 6, 8).step, 0);
    Svg.Axis flat = Svg.Axis.of(2, 2, 5);
    assertTrue(flat.lo < 2 && flat.hi > 2, "a constant series gets a range around it");
    assertEquals("#f7fbff", Svg.color(0));
    assertEquals("#08306b", Svg.color(1));
    assertEquals("12.3k", Svg.compact(12_345));
  }
}
