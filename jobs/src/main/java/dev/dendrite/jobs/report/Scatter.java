package dev.dendrite.jobs.report;

import java.util.List;
import java.util.Locale;

/**
 * A scatter plot as inline SVG, in the look of {@link Svg}'s charts: a metric (y) against one
 * hyperparameter (x) on a linear axis, a log axis (log-scale ranges) or evenly spaced categories
 * (choices). The best point is drawn apart, in the validation colour, so it stands out.
 */
final class Scatter {

  private static final int WIDTH = 560;
  private static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 18;
  private static final int TOP = 34;
  private static final int BOTTOM = 46;

  private Scatter() {
  }

  /**
   * @param x          the values (for categories: the category's index)
   * @param categories the category names for a choice axis, or null
   * @param log        a log axis (x must then be positive)
   * @param titles     a tooltip per point
   * @param best       the index of the point to draw as the best, or -1
   * @return the SVG, or null when no point has finite coordinates
   */
  static String chart(String id, String title, String xLabel, String yLabel, double[] x, double[] y,
                      List<String> categories, boolean log, String[] titles, int best) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    int points = 0;
    for (int i = 0; i < x.length; i++) {
      double px = log ? Math.log10(x[i]) : x[i];
      if (Double.isFinite(px) && Double.isFinite(y[i])) {
        xMin = Math.min(xMin, px);
        xMax = Math.max(xMax, px);
        yMin = Math.min(yMin, y[i]);
        yMax = Math.max(yMax, y[i]);
        points++;
      }
    }
    if (points == 0) {
      return null;
    }
    Svg.Axis ya = Svg.Axis.of(yMin, yMax, 5);
    double xLo;
    double xHi;
    Svg.Axis xa = null;
    if (categories != null) {
      xLo = -0.5;
      xHi = categories.size() - 0.5;
    } else {
      xa = Svg.Axis.of(xMin, xMax, log ? 4 : 6);
      xLo = xa.lo;
      xHi = xa.hi;
    }
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"chart scatter-chart\" id=\"").append(HtmlReport.esc(id))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(HtmlReport.esc(title))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    sb.append("<title>").append(HtmlReport.esc(title)).append("</title>\n");
    sb.append(String.format(Locale.ROOT, "<rect class=\"plot-area\" x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" "
        + "fill=\"#ffffff\" stroke=\"#d0d7de\"/>\n", LEFT, TOP, plotW, plotH));
    sb.append("<g class=\"y-axis\" font-size=\"11\" fill=\"#57606a\" text-anchor=\"end\">\n");
    for (double t : ya.ticks) {
      double py = TOP + plotH - (t - ya.lo) / (ya.hi - ya.lo) * plotH;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eaeef2\"/>",
          LEFT, LEFT + plotW, py, py));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" dy=\"0.32em\">%s</text>\n", LEFT - 6, py,
          ya.label(t)));
    }
    sb.append("</g>\n<g class=\"x-axis\" font-size=\"11\" fill=\"#57606a\" text-anchor=\"middle\">\n");
    if (categories != null) {
      for (int c = 0; c < categories.size(); c++) {
        tick(sb, LEFT + (c - xLo) / (xHi - xLo) * plotW, TOP + plotH, HtmlReport.esc(shorten(categories.get(c))));
      }
    } else {
      for (double t : xa.ticks) {
        String label = log ? String.format(Locale.ROOT, "%.2g", Math.pow(10, t)).replace("e-0", "e-")
            .replace("e+0", "e") : xa.label(t);
        tick(sb, LEFT + (t - xLo) / (xHi - xLo) * plotW, TOP + plotH, label);
      }
    }
    sb.append("</g>\n");
    sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%d\" font-size=\"12\" "
        + "fill=\"#24292f\" text-anchor=\"middle\">%s</text>\n", LEFT + plotW / 2, HEIGHT - 8,
        HtmlReport.esc(xLabel + (log ? " (log scale)" : ""))));
    sb.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(14 %.1f) rotate(-90)\" "
        + "font-size=\"12\" fill=\"#24292f\" text-anchor=\"middle\">%s</text>\n", TOP + plotH / 2,
        HtmlReport.esc(yLabel)));
    sb.append("<g class=\"series\" data-name=\"trials\">");
    for (int i = 0; i < x.length; i++) {
      if (i != best) {
        point(sb, i, x, y, log, xLo, xHi, ya, plotW, plotH, titles, Svg.TRAIN_COLOR, 4);
      }
    }
    sb.append("</g>\n");
    if (best >= 0) {
      sb.append("<g class=\"series best-trial\" data-name=\"best\">");
      point(sb, best, x, y, log, xLo, xHi, ya, plotW, plotH, titles, Svg.VALIDATION_COLOR, 6);
      sb.append("</g>\n");
    }
    sb.append(String.format(Locale.ROOT, "<text class=\"chart-title\" x=\"%d\" y=\"%d\" font-size=\"13\" "
        + "font-weight=\"600\" fill=\"#24292f\">%s</text>\n", LEFT, TOP - 12, HtmlReport.esc(title)));
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void tick(StringBuilder sb, double px, double bottom, String label) {
    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#8c959f\"/>",
        px, px, bottom, bottom + 4));
    sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", px, bottom + 17, label));
  }

  private static void point(StringBuilder sb, int i, double[] x, double[] y, boolean log, double xLo, double xHi,
                            Svg.Axis ya, double plotW, double plotH, String[] titles, String color, int r) {
    double vx = log ? Math.log10(x[i]) : x[i];
    if (!Double.isFinite(vx) || !Double.isFinite(y[i])) {
      return;
    }
    double px = LEFT + (vx - xLo) / (xHi - xLo) * plotW;
    double py = TOP + plotH - (y[i] - ya.lo) / (ya.hi - ya.lo) * plotH;
    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" fill-opacity=\"0.8\">"
        + "<title>%s</title></circle>", px, py, r, color, HtmlReport.esc(titles[i])));
  }

  private static String shorten(String s) {
    return s.length() > 14 ? s.substring(0, 13) + "\u2026" : s;
  }
}
