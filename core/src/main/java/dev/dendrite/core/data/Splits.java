package dev.dendrite.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Cuts a dataset into train / validation / test parts: random, stratified by class, or the last rows
 * (Keras' {@code validation_split}). Split sizes come from cumulative rounding, so they add up to the
 * whole; rows keep their original relative order within a part, and every part is a copy.
 */
public final class Splits {

  private Splits() {
  }

  /**
   * A seeded random split into {@code fractions.length} parts of about {@code fraction · n} rows each;
   * the fractions must be > 0 and add up to 1.
   */
  public static List<Dataset> random(Dataset data, RandomGenerator rng, double... fractions) {
    double[] cumulative = cumulative(fractions);
    int n = data.size();
    int[] order = identity(n);
    shuffle(order, rng);
    List<int[]> parts = new ArrayList<>();
    for (int k = 0; k < fractions.length; k++) {
      int from = cut(n, cumulative, k);
      int to = cut(n, cumulative, k + 1);
      int[] part = Arrays.copyOfRange(order, from, to);
      Arrays.sort(part);
      parts.add(part);
    }
    return build(data, parts, fractions, "random");
  }

  /**
   * A seeded split that keeps each class's share in every part: the rows of each class are shuffled and
   * cut by the fractions separately, so a part holds within one example of {@code fraction · count_c}
   * of class c. Needs class-index or one-hot targets.
   */
  public static List<Dataset> stratified(Dataset data, RandomGenerator rng, double... fractions) {
    double[] cumulative = cumulative(fractions);
    int[] labels = data.labels();
    int[] counts = data.classCounts();
    int[][] byClass = new int[counts.length][];
    int[] fill = new int[counts.length];
    for (int c = 0; c < counts.length; c++) {
      byClass[c] = new int[counts[c]];
    }
    for (int r = 0; r < labels.length; r++) {
      byClass[labels[r]][fill[labels[r]]++] = r;
    }
    int[][] parts = new int[fractions.length][];
    int[] partFill = new int[fractions.length];
    for (int k = 0; k < fractions.length; k++) {
      int size = 0;
      for (int c = 0; c < counts.length; c++) {
        size += cut(counts[c], cumulative, k + 1) - cut(counts[c], cumulative, k);
      }
      parts[k] = new int[size];
    }
    for (int c = 0; c < counts.length; c++) {
      int[] rows = byClass[c];
      shuffle(rows, rng);
      for (int k = 0; k < fractions.length; k++) {
        int from = cut(rows.length, cumulative, k);
        int to = cut(rows.length, cumulative, k + 1);
        System.arraycopy(rows, from, parts[k], partFill[k], to - from);
        partFill[k] += to - from;
      }
    }
    List<int[]> list = new ArrayList<>();
    for (int[] p : parts) {
      Arrays.sort(p);
      list.add(p);
    }
    return build(data, list, fractions, "stratified");
  }

  /**
   * The first {@code 1 - fraction} of the rows and the last {@code fraction}, unshuffled, as Keras'
   * {@code validation_split} does.
   */
  public static List<Dataset> tail(Dataset data, double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the held-out fraction must be in (0, 1), got " + fraction);
    }
    int cut = (int) Math.round(data.size() * (1 - fraction));
    return List.of(data.range(0, cut).withDescription(data.description() + " [rows 0.." + (cut - 1) + "]"),
        data.range(cut, data.size()).withDescription(data.description() + " [rows " + cut + ".."
            + (data.size() - 1) + "]"));
  }

  private static List<Dataset> build(Dataset data, List<int[]> parts, double[] fractions, String how) {
    List<Dataset> out = new ArrayList<>();
    for (int k = 0; k < parts.size(); k++) {
      String d = data.description() + " [" + how + " split " + (k + 1) + " of " + parts.size() + ", "
          + String.format(Locale.ROOT, "%.4g", fractions[k] * 100) + "%]";
      out.add(data.subset(parts.get(k), d));
    }
    return out;
  }

  private static double[] cumulative(double[] fractions) {
    if (fractions == null || fractions.length == 0) {
      throw new IllegalArgumentException("give at least one fraction, e.g. 0.8, 0.2");
    }
    double[] c = new double[fractions.length + 1];
    for (int k = 0; k < fractions.length; k++) {
      if (!(fractions[k] > 0 && fractions[k] <= 1)) {
        throw new IllegalArgumentException("fraction " + (k + 1) + " is " + fractions[k] + "; fractions must be in (0, 1]");
      }
      c[k + 1] = c[k] + fractions[k];
    }
    if (Math.abs(c[fractions.length] - 1) > 1e-6) {
      throw new IllegalArgumentException("fractions " + Arrays.toString(fractions) + " add up to "
          + c[fractions.length] + "; they must add up to 1");
    }
    c[fractions.length] = 1;
    return c;
  }

  /** Where part k starts among n rows: the rounded cumulative fraction. */
  private static int cut(int n, double[] cumulative, int k) {
    return (int) Math.round(n * cumulative[k]);
  }

  static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Fisher-Yates, drawing from {@code rng}. */
  static void shuffle(int[] a, RandomGenerator rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
