package dev.dendrite.spark.ml;

import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The number of classes k of a classifier's label column, found on the driver before a network is built:
 * the column's nominal values when its ML attributes say (StringIndexer writes them), else the largest
 * label + 1, and at least 2. A k above the cap is refused naming the column and the value. Rows that are
 * not class indices below k (0.5, -1, NaN, null) are left to the row checks, which name the row.
 */
final class ClassCount {

  private ClassCount() {
  }

  static int of(Dataset<?> dataset, String label, int maxClasses) {
    Attribute attribute = Attribute.fromStructField(dataset.schema().apply(label));
    if (attribute instanceof NominalAttribute && ((NominalAttribute) attribute).numValues().isDefined()) {
      int k = (Integer) ((NominalAttribute) attribute).numValues().get();
      if (k > maxClasses) {
        throw new IllegalArgumentException("column '" + label + "' has " + k + " classes in its ML attributes, "
            + "more than the " + maxClasses + " a classifier accepts");
      }
      return Math.max(2, k);
    }
    // Spark orders NaN above every number: leave NaN out, the row checks report it with its row
    Row stats = dataset.agg(functions.max(functions.when(functions.not(functions.isnan(functions.col(label))),
        functions.col(label)))).head();
    if (stats.isNullAt(0)) {
      return 2;
    }
    double max = ((Number) stats.get(0)).doubleValue();
    if (max >= maxClasses) {
      throw new IllegalArgumentException("column '" + label + "' holds the value " + max + ", but a classifier's "
          + "labels are class indices 0, 1, ..., k-1 with k at most " + maxClasses + " (the network has one "
          + "output per class); index the labels with StringIndexer");
    }
    return Math.max(2, (int) Math.floor(max) + 1);
  }
}
