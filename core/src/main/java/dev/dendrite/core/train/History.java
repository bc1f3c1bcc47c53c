package dev.dendrite.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run measured, epoch by epoch, and how it ended (Keras' History): the records, the
 * best epoch of the monitored metric, whether early stopping or divergence ended it.
 */
public final class History {

  private final List<EpochRecord> epochs = new ArrayList<>();
  private String stopReason = "completed";
  private int bestEpoch = -1;
  private long steps;

  void add(EpochRecord record) {
    epochs.add(record);
  }

  void stop(String reason) {
    this.stopReason = reason;
  }

  void bestEpoch(int epoch) {
    this.bestEpoch = epoch;
  }

  void steps(long steps) {
    this.steps = steps;
  }

  public List<EpochRecord> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** The last epoch's record. */
  public EpochRecord last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch was completed");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** A metric's value per epoch. */
  public double[] metric(String name) {
    double[] v = new double[epochs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = epochs.get(i).metric(name);
    }
    return v;
  }

  /** {@code completed}, {@code early_stopping} or {@code diverged: ...}. */
  public String stopReason() {
    return stopReason;
  }

  /** The 1-based epoch whose parameters were kept as best (or -1 without early stopping). */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Optimizer steps taken in all. */
  public long steps() {
    return steps;
  }

  /** Writes {@link #toMap()} as pretty JSON, through a temporary file and a rename. */
  public void writeJson(java.nio.file.Path file) throws java.io.IOException {
    java.nio.file.Path dir = file.toAbsolutePath().getParent();
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      java.nio.file.Files.writeString(tmp, dev.dendrite.core.io.Json.write(toMap(), true));
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads {@link #toJsonMap()}'s (or {@link #toMap()}'s) form: how a history computed elsewhere (in the
   * tasks of collective training) reaches the driver.
   */
  @SuppressWarnings("unchecked")
  public static History fromMap(Map<String, Object> map) {
    History h = new History();
    h.stop((String) map.get("stop_reason"));
    h.bestEpoch(((Number) map.get("best_epoch")).intValue());
    h.steps(((Number) map.get("steps")).longValue());
    for (Object o : (List<Object>) map.get("epochs")) {
      h.add(EpochRecord.fromMap((Map<String, Object>) o));
    }
    return h;
  }

  /** {@link #toMap()} with every non-finite metric written as null, for JSON that must read back. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = toMap();
    List<Object> list = new ArrayList<>();
    for (EpochRecord r : epochs) {
      list.add(r.toJsonMap());
    }
    m.put("epochs", list);
    return m;
  }

  /** The JSON form: {@code {"stop_reason": ..., "best_epoch": ..., "epochs": [{...}, ...]}}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stop_reason", stopReason);
    m.put("best_epoch", bestEpoch);
    m.put("steps", steps);
    List<Object> list = new ArrayList<>();
    for (EpochRecord r : epochs) {
      list.add(r.toMap());
    }
    m.put("epochs", list);
    return m;
  }
}
