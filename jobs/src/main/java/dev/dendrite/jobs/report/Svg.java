package dev.dendrite.jobs.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Static SVG charts for the training report: a line chart over epochs with axes, ticks and a legend, and
 * a confusion-matrix heat map with counts and a colour scale. Pure markup, so a browser draws them with
 * no script and no external resource.
 */
final class Svg {

  /** One line of a chart: its legend name, y per x (NaN or infinite values leave a gap), colour, dash. */
  record Series(String name, double[] y, String color, boolean dashed) {
  }

  static final String TRAIN_COLOR = "#1f77b4";
  static final String VALIDATION_COLOR = "#e8710a";

  private static final int WIDTH = 560;
  private static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 18;
  private static final int TOP = 34;
  private static final int BOTTOM = 46;
  /** Markers on every point up to this many points; beyond, only the lines. */
  private static final int MAX_MARKERS = 40;

  /** Sequential blues (light to dark), as in ColorBrewer's "Blues". */
  private static final int[][] BLUES = {
      {0xf7, 0xfb, 0xff}, {0xde, 0xeb, 0xf7}, {0xc6, 0xdb, 0xef}, {0x9e, 0xca, 0xe1}, {0x6b, 0xae, 0xd6},
      {0x42, 0x92, 0xc6}, {0x21, 0x71, 0xb5}, {0x08, 0x51, 0x9c}, {0x08, 0x30, 0x6b}};

  private Svg() {
  }

  /**
   * A line chart of {@code series} over {@code x} (epochs, ascending). Series with no finite value are
   * left out; returns null when none remains.
   *
   * @param id         a document-unique id for the {@code <svg>}
   * @param bestEpoch  an x to mark with a dashed vertical line, or -1
   */
  static String lineChart(String id, String title, String xLabel, String yLabel, double[] x, List<Series> series,
                          int bestEpoch) {
    return lineChart(id, title, xLabel, yLabel, x, series, bestEpoch, false);
  }

  /** As above; with {@code fromZero} the y axis starts at 0 when no value is negative (times, rates). */
  static String lineChart(String id, String title, String xLabel, String yLabel, double[] x, List<Series> series,
                          int bestEpoch, boolean fromZero) {
    List<Series> drawn = new ArrayList<>();
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      if (s.y().length != x.length) {
        throw new IllegalArgumentException("series " + s.name() + " has " + s.y().length + " values for "
            + x.length + " x values");
      }
      boolean any = false;
      for (double v : s.y()) {
        if (Double.isFinite(v)) {
          yMin = Math.min(yMin, v);
          yMax = Math.max(yMax, v);
          any = true;
        }
      }
      if (any) {
        drawn.add(s);
      }
    }
    if (drawn.isEmpty() || x.length == 0) {
      return null;
    }
    if (fromZero && yMin >= 0 && yMax > 0) {
      yMin = 0;
    }
    Axis ya = Axis.of(yMin, yMax, 5);
    double xMin = x[0];
    double xMax = x[x.length - 1];
    if (xMax - xMin < 1) {
      xMin -= 1;
      xMax += 1;
    }
    Axis xa = Axis.integers(xMin, xMax, 8);

    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"chart line-chart\" id=\"").append(HtmlReport.esc(id))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(HtmlReport.esc(title)).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    sb.append("<title>").append(HtmlReport.esc(title)).append("</title>\n");
    sb.append(String.format(Locale.ROOT, "<rect class=\"plot-area\" x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" "
        + "fill=\"#ffffff\" stroke=\"#d0d7de\"/>\n", LEFT, TOP, plotW, plotH));

    // grid and y ticks
    sb.append("<g class=\"y-axis\" font-size=\"11\" fill=\"#57606a\" text-anchor=\"end\">\n");
    for (double t : ya.ticks) {
      double py = TOP + plotH - (t - ya.lo) / (ya.hi - ya.lo) * plotH;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eaeef2\"/>",
          LEFT, LEFT + plotW, py, py));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" dy=\"0.32em\">%s</text>\n", LEFT - 6, py,
          ya.label(t)));
    }
    sb.append("</g>\n");
    // x ticks
    sb.append("<g class=\"x-axis\" font-size=\"11\" fill=\"#57606a\" text-anchor=\"middle\">\n");
    for (double t : xa.ticks) {
      double px = LEFT + (t - xa.lo) / (xa.hi - xa.lo) * plotW;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#8c959f\"/>",
          px, px, TOP + plotH, TOP + plotH + 4));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", px, TOP + plotH + 17,
          xa.label(t)));
    }
    sb.append("</g>\n");
    // axis titles
    sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%d\" font-size=\"12\" "
        + "fill=\"#24292f\" text-anchor=\"middle\">%s</text>\n", LEFT + plotW / 2, HEIGHT - 8, HtmlReport.esc(xLabel)));
    sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(14 %.1f) rotate(-90)\" "
        + "font-size=\"12\" fill=\"#24292f\" text-anchor=\"middle\">%s</text>\n", TOP + plotH / 2,
        HtmlReport.esc(yLabel)));

    if (bestEpoch > 0 && bestEpoch >= xa.lo && bestEpoch <= xa.hi) {
      double px = LEFT + (bestEpoch - xa.lo) / (xa.hi - xa.lo) * plotW;
      sb.append(String.format(Locale.ROOT, "<g class=\"best-epoch\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" "
          + "stroke=\"#6e7781\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#57606a\" "
          + "text-anchor=\"middle\">best</text></g>\n", px, px, TOP, TOP + plotH, px, TOP - 3));
    }

    // the data
    boolean markers = x.length <= MAX_MARKERS;
    for (Series s : drawn) {
      StringBuilder d = new StringBuilder();
      boolean pen = false;
      for (int i = 0; i < x.length; i++) {
        double v = s.y()[i];
        if (!Double.isFinite(v)) {
          pen = false;
          continue;
        }
        double px = LEFT + (x[i] - xa.lo) / (xa.hi - xa.lo) * plotW;
        double py = TOP + plotH - (v - ya.lo) / (ya.hi - ya.lo) * plotH;
        d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
        pen = true;
      }
      sb.append("<g class=\"series\" data-name=\"").append(HtmlReport.esc(s.name())).append("\">");
      sb.append("<path class=\"series-line\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(s.color())
          .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"")
          .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
      for (int i = 0; i < x.length; i++) {
        double v = s.y()[i];
        if (!Double.isFinite(v)) {
          continue;
        }
        double px = LEFT + (x[i] - xa.lo) / (xa.hi - xa.lo) * plotW;
        double py = TOP + plotH - (v - ya.lo) / (ya.hi - ya.lo) * plotH;
        // a point alone (between gaps) gets a marker even on long runs, or it would not show
        boolean alone = (i == 0 || !Double.isFinite(s.y()[i - 1])) && (i == x.length - 1 || !Double.isFinite(s.y()[i + 1]));
        if (markers || alone) {
          sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>epoch %s: "
              + "%s %s</title></circle>", px, py, s.color(), HtmlReport.num(x[i]), HtmlReport.esc(s.name()),
              HtmlReport.num(v)));
        }
      }
      sb.append("</g>\n");
    }

    // legend, right-aligned above the plot
    double lx = LEFT + plotW;
    sb.append("<g class=\"legend\" font-size=\"11\" fill=\"#24292f\">");
    for (int i = drawn.size() - 1; i >= 0; i--) {
      Series s = drawn.get(i);
      double textW = 6.5 * s.name().length();
      lx -= textW;
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", lx, TOP - 12,
          HtmlReport.esc(s.name())));
      lx -= 24;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"2.5\"%s/>", lx, lx + 18, TOP - 16, TOP - 16, s.color(),
          s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
      lx -= 14;
    }
    sb.append("</g>\n");
    sb.append(String.format(Locale.ROOT, "<text class=\"chart-title\" x=\"%d\" y=\"%d\" font-size=\"13\" "
        + "font-weight=\"600\" fill=\"#24292f\">%s</text>\n", LEFT, TOP - 12, HtmlReport.esc(title)));
    sb.append("</svg>\n");
    return sb.toString();
  }

  /**
   * A confusion-matrix heat map: rows are true classes, columns predictions; a cell's colour is its share
   * of the true class (the row), its text the count.
   */
  static String heatMap(String id, long[][] counts, String[] names) {
    int k = names.length;
    int cell = Math.max(10, Math.min(48, 520 / k));
    boolean showCounts = cell >= 22;
    int labelFont = Math.max(8, Math.min(12, cell - 4));
    int longest = 1;
    for (String n : names) {
      longest = Math.max(longest, Math.min(18, n.length()));
    }
    int left = 34 + (int) Math.ceil(longest * labelFont * 0.62);
    int top = 16;
    int grid = cell * k;
    int bottom = 30 + (int) Math.ceil(longest * labelFont * 0.62 * 0.72); // labels at -45°
    int scaleX = left + grid + 22;
    int width = scaleX + 64;
    int height = top + grid + bottom;

    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg class=\"chart heat-map\" id=\"%s\" viewBox=\"0 0 %d %d\" "
        + "style=\"max-width:%dpx\" role=\"img\" aria-label=\"Confusion matrix\" xmlns=\"http://www.w3.org/2000/svg\">\n",
        HtmlReport.esc(id), width, height, Math.max(width, 360)));
    sb.append("<title>Confusion matrix (rows: true class, columns: predicted class)</title>\n");
    String gradient = HtmlReport.esc(id) + "-scale";
    sb.append("<defs><linearGradient id=\"").append(gradient).append("\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
    for (int i = 0; i < BLUES.length; i++) {
      sb.append(String.format(Locale.ROOT, "<stop offset=\"%.3f\" stop-color=\"%s\"/>", i / (BLUES.length - 1.0),
          color((double) i / (BLUES.length - 1))));
    }
    sb.append("</linearGradient></defs>\n");

    sb.append("<g class=\"cells\" font-size=\"").append(Math.max(9, Math.min(13, cell / 3))).append("\" text-anchor=\"middle\">\n");
    for (int t = 0; t < k; t++) {
      long row = 0;
      for (int p = 0; p < k; p++) {
        row += counts[t][p];
      }
      for (int p = 0; p < k; p++) {
        long c = counts[t][p];
        double share = row == 0 ? 0 : (double) c / row;
        int x = left + p * cell;
        int y = top + t * cell;
        sb.append(String.format(Locale.ROOT, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
            + "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"><title>true %s, predicted %s: %d (%s of the true "
            + "class)</title></rect>", x, y, cell, cell, color(share), HtmlReport.esc(names[t]),
            HtmlReport.esc(names[p]), c, percent(share)));
        if (showCounts) {
          String fill = share > 0.55 ? "#ffffff" : c == 0 ? "#afb8c1" : "#24292f";
          sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" fill=\"%s\">%s</text>",
              x + cell / 2.0, y + cell / 2.0, fill, compact(c)));
        }
      }
      sb.append('\n');
    }
    sb.append("</g>\n");
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#8c959f\"/>\n", left, top, grid, grid));

    // class labels: rows on the left, columns below at -45°
    sb.append("<g class=\"row-labels\" font-size=\"").append(labelFont).append("\" fill=\"#24292f\" text-anchor=\"end\">");
    for (int t = 0; t < k; t++) {
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" dy=\"0.32em\">%s</text>", left - 5,
          top + t * cell + cell / 2.0, label(names[t])));
    }
    sb.append("</g>\n");
    sb.append("<g class=\"column-labels\" font-size=\"").append(labelFont).append("\" fill=\"#24292f\" text-anchor=\"end\">");
    for (int p = 0; p < k; p++) {
      double x = left + p * cell + cell / 2.0;
      double y = top + grid + 8;
      sb.append(String.format(Locale.ROOT, "<text transform=\"translate(%.1f %.1f) rotate(-45)\" dy=\"0.32em\">%s</text>",
          x, y, label(names[p])));
    }
    sb.append("</g>\n");
    sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(12 %.1f) rotate(-90)\" "
        + "font-size=\"12\" fill=\"#24292f\" text-anchor=\"middle\">True class</text>\n", top + grid / 2.0));
    sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%d\" font-size=\"12\" "
        + "fill=\"#24292f\" text-anchor=\"middle\">Predicted class</text>\n", left + grid / 2.0, height - 6));

    // colour scale: share of the true class, 0 at the bottom
    int scaleH = Math.max(60, Math.min(grid, 240));
    sb.append(String.format(Locale.ROOT, "<g class=\"color-scale\" font-size=\"10\" fill=\"#57606a\">"
        + "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"%d\" fill=\"url(#%s)\" stroke=\"#8c959f\"/>", scaleX, top,
        scaleH, gradient));
    for (int i = 0; i <= 4; i++) {
      double y = top + scaleH - i * scaleH / 4.0;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#8c959f\"/>"
          + "<text x=\"%d\" y=\"%.1f\" dy=\"0.32em\">%d%%</text>", scaleX + 12, scaleX + 15, y, y, scaleX + 18, y,
          i * 25));
    }
    sb.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %.1f) rotate(-90)\" text-anchor=\"middle\">"
        + "share of true class</text></g>\n", scaleX + 54, top + scaleH / 2.0));
    sb.append("</svg>\n");
    return sb.toString();
  }

  /** The colour of a share in [0, 1] on the blue scale, as {@code #rrggbb}. */
  static String color(double share) {
    double s = Math.max(0, Math.min(1, share)) * (BLUES.length - 1);
    int i = Math.min(BLUES.length - 2, (int) Math.floor(s));
    double f = s - i;
    int[] a = BLUES[i];
    int[] b = BLUES[i + 1];
    return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(a[0] + f * (b[0] - a[0])),
        Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2])));
  }

  private static String label(String name) {
    String shown = name.length() > 18 ? name.substring(0, 17) + "\u2026" : name;
    return HtmlReport.esc(shown);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /** A count short enough for a cell: 1234 → 1234, 12345 → 12.3k, 1234567 → 1.2M. */
  static String compact(long c) {
    if (c < 10_000) {
      return Long.toString(c);
    }
    if (c < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fk", c / 1e3);
    }
    return String.format(Locale.ROOT, "%.1fM", c / 1e6);
  }

  /** An axis range with "nice" ticks (1, 2 or 5 times a power of ten). */
  static final class Axis {
    final double lo;
    final double hi;
    final double step;
    final double[] ticks;

    private Axis(double lo, double hi, double step) {
      this.lo = lo;
      this.hi = hi;
      this.step = step;
      int n = (int) Math.round((hi - lo) / step);
      this.ticks = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        ticks[i] = lo + i * step;
      }
    }

    /** About {@code count} intervals covering [min, max]. */
    static Axis of(double min, double max, int count) {
      if (max - min <= Math.abs(max) * 1e-12) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
      double step = nice((max - min) / count);
      double lo = Math.floor(min / step) * step;
      double hi = Math.ceil(max / step) * step;
      return new Axis(lo, hi, step);
    }

    /** Whole-number ticks (epochs) covering [min, max] exactly. */
    static Axis integers(double min, double max, int count) {
      double step = nice((max - min) / count);
      if (step < 1) {
        step = 1;
      } else if (step % 1 != 0) { // 2.5 → 5: whole epochs only
        step *= 2;
      }
      double lo = Math.floor(min / step) * step;
      double hi = Math.ceil(max / step) * step;
      return new Axis(lo, hi, step);
    }

    private static double nice(double raw) {
      double p = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / p;
      double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
      return n * p;
    }

    /** A tick label with as many decimals as the step needs. */
    String label(double v) {
      if (Math.abs(v) < step * 1e-6) {
        return "0";
      }
      double mag = Math.max(Math.abs(lo), Math.abs(hi));
      if (mag >= 1e6 || step < 1e-4) {
        return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e").replace("e-0", "e-");
      }
      int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
      if (step * Math.pow(10, decimals) % 1 > 1e-6) { // a step such as 0.25
        decimals++;
      }
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
  }
}
