package dev.dendrite.core.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one epoch measured: its number, metrics by name ({@code loss}, {@code accuracy},
 * {@code val_loss}, {@code val_accuracy}, ...), wall time and throughput.
 */
public record EpochRecord(int epoch, Map<String, Double> metrics, double seconds, double samplesPerSecond,
                          float learningRate) {

  public EpochRecord {
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A metric, or NaN when it was not measured. */
  public double metric(String name) {
    Double v = metrics.get(name);
    return v == null ? Double.NaN : v;
  }

  /** One line in Keras' style: {@code Epoch 3/10 - 4.2s - 14000 samples/s - loss 0.31 - val_loss 0.35}. */
  public String summary(int epochs) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %.1fs - %.0f samples/s",
        epoch, epochs, seconds, samplesPerSecond));
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      sb.append(String.format(Locale.ROOT, " - %s %.4f", e.getKey(), e.getValue()));
    }
    return sb.toString();
  }

  /**
   * Reads {@link #toMap()}'s form, where a metric that was not finite may appear as null (as in
   * checkpoints and the messages of collective training) and reads back as NaN.
   */
  public static EpochRecord fromMap(Map<String, Object> map) {
    Map<String, Object> r = new LinkedHashMap<>(map);
    int epoch = ((Number) r.remove("epoch")).intValue();
    double seconds = number(r.remove("seconds"));
    double rate = number(r.remove("samples_per_second"));
    float lr = (float) number(r.remove("learning_rate"));
    Map<String, Double> metrics = new LinkedHashMap<>();
    r.forEach((k, v) -> metrics.put(k, number(v)));
    return new EpochRecord(epoch, metrics, seconds, rate, lr);
  }

  /** {@link #toMap()} with every non-finite number written as null, for JSON. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>(toMap());
    m.replaceAll((k, v) -> v instanceof Double && !Double.isFinite((Double) v) ? null : v);
    return m;
  }

  private static double number(Object v) {
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  /** The JSON form used in history files. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.putAll(metrics);
    m.put("seconds", seconds);
    m.put("samples_per_second", samplesPerSecond);
    m.put("learning_rate", (double) learningRate);
    return m;
  }
}
