package dev.dendrite.spark.data;

import dev.dendrite.core.data.MinMaxScaler;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.StandardScaler;
import org.apache.spark.api.java.JavaRDD;

/**
 * The configured preprocessing ({@code data.preprocessing}), fitted once on the training split and then
 * applied, unchanged, to every split and saved with the model.
 */
final class Preprocessing {

  private Preprocessing() {
  }

  /** The preprocessing named {@code kind} (see {@link DataConfig#PREPROCESSING}), not yet fitted; null for none. */
  static Preprocessor unfitted(String kind) {
    switch (kind) {
      case "pixel":
        return new PixelScaler();
      case "standard":
        return new StandardScaler();
      case "minmax":
        return new MinMaxScaler();
      default:
        return null;
    }
  }

  /** The preprocessing named {@code kind} fitted on cached training blocks (one pass over the cache), or null. */
  static Preprocessor fitted(String kind, JavaRDD<DataBlock> train, int width) {
    Preprocessor p = unfitted(kind);
    if (p instanceof PixelScaler) {
      return new PixelScaler(255.0, width);
    }
    return p == null ? null : Blocks.statistics(train, width).fit(p);
  }

  /**
   * The blocks with {@code preprocessor} (fitted; null for none) applied and, for an autoencoder, the
   * inputs as targets: new cached blocks, built now, with {@code raw} unpersisted; or {@code raw} itself
   * when there is nothing to do.
   */
  static JavaRDD<DataBlock> applied(JavaRDD<DataBlock> raw, Preprocessor preprocessor, boolean inputs) {
    if (raw == null || (preprocessor == null && !inputs)) {
      return raw;
    }
    JavaRDD<DataBlock> done = Blocks.prepare(raw, preprocessor == null ? null : preprocessor.toMap(), inputs);
    Blocks.tally(done);
    raw.unpersist(false);
    return done;
  }
}
