package dev.dendrite.core.data;

import java.util.random.RandomGenerator;

/** Seeded re-sampling against class imbalance. */
public final class Resampling {

  private Resampling() {
  }

  /**
   * Over-samples every class up to the largest class's count: all rows are kept and each smaller class
   * gets extra copies of its rows drawn uniformly with replacement; the result is shuffled. Classes with
   * no example stay empty. Needs class-index or one-hot targets; copies.
   */
  public static Dataset oversample(Dataset data, RandomGenerator rng) {
    int[] labels = data.labels();
    int[] counts = data.classCounts();
    int largest = 0;
    long total = 0;
    for (int c : counts) {
      largest = Math.max(largest, c);
    }
    for (int c : counts) {
      total += c > 0 ? largest : 0;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("over-sampling to " + largest + " per class gives " + total
          + " rows, too many for one dataset");
    }
    int[][] byClass = new int[counts.length][];
    int[] fill = new int[counts.length];
    for (int c = 0; c < counts.length; c++) {
      byClass[c] = new int[counts[c]];
    }
    for (int r = 0; r < labels.length; r++) {
      byClass[labels[r]][fill[labels[r]]++] = r;
    }
    int[] rows = new int[(int) total];
    int k = 0;
    for (int r = 0; r < labels.length; r++) {
      rows[k++] = r;
    }
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 0) {
        continue;
      }
      for (int extra = counts[c]; extra < largest; extra++) {
        rows[k++] = byClass[c][rng.nextInt(counts[c])];
      }
    }
    Splits.shuffle(rows, rng);
    return data.subset(rows, data.description() + " [over-sampled to " + largest + " per class]");
  }
}
