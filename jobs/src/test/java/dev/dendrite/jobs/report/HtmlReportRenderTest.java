package dev.dendrite.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dendrite.core.io.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens reports in headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs) and checks
 * that every chart is laid out and drawn: a probe script, added to a copy of the page only, measures each
 * SVG and its drawn marks; a screenshot must show the charts' colours.
 */
class HtmlReportRenderTest {

  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final long TIMEOUT_SECONDS = 60;

  /** Measures every chart after layout and writes the result as JSON into {@code <pre id="render-check">}. */
  private static final String PROBE = """
      <script>
      (function () {
        var out = {charts: 0, rendered: 0, details: []};
        document.querySelectorAll('svg.chart').forEach(function (svg) {
          out.charts++;
          var box = svg.getBoundingClientRect();
          function drawn(selector) {
            var n = 0;
            svg.querySelectorAll(selector).forEach(function (e) {
              var b = e.getBBox();
              if (b.width > 0 || b.height > 0) { n++; }
            });
            return n;
          }
          var d = {id: svg.id, width: box.width, height: box.height,
                   data: drawn('.series path, .series circle, rect.cell'), text: drawn('text')};
          if (d.width > 0 && d.height > 0 && d.data > 0) { out.rendered++; }
          out.details.push(d);
        });
        var pre = document.createElement('pre');
        pre.id = 'render-check';
        pre.textContent = JSON.stringify(out);
        document.body.appendChild(pre);
      })();
      window.addEventListener('load', function () {
        // images (inline PNG grids) decode asynchronously: measure them once the page has loaded
        var images = [];
        document.querySelectorAll('img.image-grid').forEach(function (img) {
          var box = img.getBoundingClientRect();
          images.push({id: img.id, complete: img.complete, naturalWidth: img.naturalWidth,
                       naturalHeight: img.naturalHeight, width: box.width, height: box.height});
        });
        var pre = document.createElement('pre');
        pre.id = 'image-check';
        pre.textContent = JSON.stringify({images: images});
        document.body.appendChild(pre);
      });
      </script>
      """;

  private static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      fail(CHROMIUM + " is missing: the report's rendering test needs Debian's chromium package. Install it with "
          + "`sudo apt-get install chromium` (.ci/run installs it).");
    }
  }

  /** Runs headless Chromium on {@code page} with {@code args}; returns its standard output. */
  private static String chromium(Path dir, Path page, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile-");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
        "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    cmd.add(page.toUri().toString());
    Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd) + "\n"
          + Files.readString(err));
    }
    String stdout = Files.readString(out);
    if (p.exitValue() != 0) {
      fail("chromium exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + Files.readString(err));
    }
    return stdout;
  }

  /** The probe's result for the page of {@code report}, keyed by chart id (plus "" for the totals). */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> probe(Path dir, String name, String html) throws Exception {
    Path page = dir.resolve(name + "-probe.html");
    Files.writeString(page, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);
    String dom = chromium(dir, page, "--dump-dom");
    Matcher m = Pattern.compile("<pre id=\"render-check\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "the probe wrote no result; chromium's DOM:\n" + dom.substring(0, Math.min(2000,
        dom.length())));
    String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    Map<String, Object> result = Json.parseObject(json, "render check");
    Map<String, Map<String, Object>> byId = new HashMap<>();
    byId.put("", result);
    for (Object d : (List<Object>) result.get("details")) {
      Map<String, Object> chart = (Map<String, Object>) d;
      byId.put((String) chart.get("id"), chart);
    }
    return byId;
  }

  /** The image probe's result for {@code html}: one entry per {@code img.image-grid}, by id. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> probeImages(Path dir, String name, String html) throws Exception {
    Path page = dir.resolve(name + "-images.html");
    Files.writeString(page, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);
    String dom = chromium(dir, page, "--dump-dom");
    Matcher m = Pattern.compile("<pre id=\"image-check\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "the image probe wrote no result (did the page's load event fire?)");
    String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    Map<String, Map<String, Object>> byId = new HashMap<>();
    for (Object d : (List<Object>) Json.parseObject(json, "image check").get("images")) {
      Map<String, Object> image = (Map<String, Object>) d;
      byId.put((String) image.get("id"), image);
    }
    return byId;
  }

  private static double number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertNotNull(v, key + " in " + m);
    return ((Number) v).doubleValue();
  }

  private static int charts(String html) {
    Matcher m = Pattern.compile("<svg class=\"chart").matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void classificationReportRendersEveryChart(@TempDir Path dir) throws Exception {
    requireChromium();
    String html = HtmlReport.write(ReportSamples.fashion());
    int charts = charts(html);
    assertEquals(6, charts);
    Map<String, Map<String, Object>> result = probe(dir, "fashion", html);
    Map<String, Object> totals = result.get("");
    assertEquals(charts, number(totals, "charts"), "charts laid out: " + totals);
    assertEquals(charts, number(totals, "rendered"), "charts drawn: " + totals);
    for (String id : List.of("chart-1-loss", "chart-2-accuracy", "chart-epoch-seconds", "chart-throughput")) {
      Map<String, Object> c = result.get(id);
      assertNotNull(c, id + " in " + totals);
      assertTrue(number(c, "width") >= 300 && number(c, "height") >= 150, id + " is too small: " + c);
    }
    // 2 lines of 12 markers each (one path each) on the curves; 100 cells in the heat map
    assertEquals(26, number(result.get("chart-1-loss"), "data"), result.get("chart-1-loss").toString());
    assertEquals(100, number(result.get("confusion-matrix"), "data"), result.get("confusion-matrix").toString());
    for (Map.Entry<String, Map<String, Object>> c : result.entrySet()) {
      if (!c.getKey().isEmpty()) {
        assertTrue(number(c.getValue(), "text") >= 10, "no text drawn in " + c.getKey() + " (" + c.getValue()
            + "): is a font installed? Debian's chromium recommends fonts-liberation");
      }
    }
    assertTrue(number(result.get("confusion-matrix"), "text") >= 100 + 20, "counts and class names are drawn");

    // and a screenshot of the page as it is (no probe) shows the charts' colours
    Path page = dir.resolve("report.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Path png = dir.resolve("report.png");
    chromium(dir, page, "--screenshot=" + png, "--window-size=1200,2000");
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "chromium's screenshot " + png + " is not a PNG");
    assertEquals(1200, image.getWidth());
    long inked = 0;
    long coloured = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r < 235 || g < 235 || b < 235) {
          inked++;
        }
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          coloured++; // saturated: chart lines and heat-map cells, not text or borders
        }
      }
    }
    long pixels = (long) image.getWidth() * image.getHeight();
    assertTrue(inked > pixels / 50, "only " + inked + " of " + pixels + " pixels are not white");
    assertTrue(coloured > 20_000, "only " + coloured + " saturated pixels: are the charts drawn?");
  }

  @Test
  void tuneReportRendersEveryChart(@TempDir Path dir) throws Exception {
    requireChromium();
    String html = TuneHtmlTest.page();
    int charts = charts(html);
    assertEquals(4, charts, "two slice charts, two learning-curve charts");
    Map<String, Map<String, Object>> result = probe(dir, "tune", html);
    assertEquals(charts, number(result.get(""), "charts"), result.get("").toString());
    assertEquals(charts, number(result.get(""), "rendered"), result.get("").toString());
    for (String id : List.of("slice-1", "slice-2")) {
      assertEquals(7, number(result.get(id), "data"), "7 measured trials drawn in " + id + ": " + result.get(id));
      assertTrue(number(result.get(id), "width") >= 300, id + " is too small: " + result.get(id));
      assertTrue(number(result.get(id), "text") >= 8, "axis labels drawn in " + id + ": " + result.get(id));
    }
  }

  @Test
  void regressionReportRendersEveryChart(@TempDir Path dir) throws Exception {
    requireChromium();
    String html = HtmlReport.write(ReportSamples.regression());
    int charts = charts(html);
    Map<String, Map<String, Object>> result = probe(dir, "regression", html);
    assertEquals(charts, number(result.get(""), "charts"), result.get("").toString());
    assertEquals(charts, number(result.get(""), "rendered"), result.get("").toString());
    assertEquals(21, number(result.get("chart-3-r2"), "data"), "the validation-only R² line and its 20 markers");
  }

  @Test
  void variationalAutoencoderReportRendersItsImageGrids(@TempDir Path dir) throws Exception {
    requireChromium();
    String html = HtmlReport.write(ReportSamples.vae());
    assertTrue(html.contains("Test ELBO"), "the ELBO card");
    Map<String, Map<String, Object>> images = probeImages(dir, "vae", html);
    assertEquals(2, images.size(), "two grids: " + images);
    for (String id : List.of("reconstructions", "prior-samples")) {
      Map<String, Object> image = images.get(id);
      assertNotNull(image, id + " in " + images);
      assertEquals(Boolean.TRUE, image.get("complete"), id + " decoded: " + image);
      // 8 columns of 28×28 images at 3× with 2-pixel gaps: 8·86 + 2 = 690 wide, 4 rows: 4·86 + 2 = 346 high
      assertEquals(690, number(image, "naturalWidth"), id + ": " + image);
      assertEquals(346, number(image, "naturalHeight"), id + ": " + image);
      assertTrue(number(image, "width") > 300 && number(image, "height") > 150, id + " laid out: " + image);
    }
    // and a screenshot shows them: bright disc pixels on the dark image background
    Path page = dir.resolve("vae.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    Path png = dir.resolve("vae.png");
    chromium(dir, page, "--screenshot=" + png, "--window-size=1200,3000");
    BufferedImage shot = ImageIO.read(png.toFile());
    assertNotNull(shot, "chromium's screenshot " + png + " is not a PNG");
    long dark = 0;
    for (int y = 0; y < shot.getHeight(); y++) {
      for (int x = 0; x < shot.getWidth(); x++) {
        int rgb = shot.getRGB(x, y);
        if (((rgb >> 16) & 0xff) < 30 && ((rgb >> 8) & 0xff) < 30 && (rgb & 0xff) < 30) {
          dark++;
        }
      }
    }
    assertTrue(dark > 100_000, "only " + dark + " near-black pixels: are the image grids drawn?");
  }
}
