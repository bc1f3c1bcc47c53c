package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preprocessors applied one after another; each is fitted on the output of the ones before it. Fitting
 * a step after the first works on a copy of the training features, which stay unchanged.
 */
public final class Pipeline implements Preprocessor {

  public static final String TYPE = "pipeline";

  private final List<Preprocessor> steps;

  public Pipeline(List<Preprocessor> steps) {
    if (steps == null || steps.isEmpty()) {
      throw new ConfigException("steps", "a pipeline needs at least one step");
    }
    this.steps = List.copyOf(steps);
    boolean fitted = this.steps.get(0).isFitted();
    for (Preprocessor p : this.steps) {
      if (p.isFitted() != fitted || (fitted && p.width() != this.steps.get(0).width())) {
        throw new IllegalArgumentException("pipeline steps must be all unfitted, or all fitted on the same width;"
            + " got " + this.steps.stream().map(s -> s.type() + "(width " + s.width() + ")").toList());
      }
    }
  }

  public static Pipeline of(Preprocessor... steps) {
    return new Pipeline(List.of(steps));
  }

  public List<Preprocessor> steps() {
    return steps;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean isFitted() {
    return steps.get(0).isFitted();
  }

  @Override
  public int width() {
    return steps.get(0).width();
  }

  @Override
  public Pipeline fit(Dataset train) {
    List<Preprocessor> fitted = new ArrayList<>(steps.size());
    Dataset current = train;
    for (int i = 0; i < steps.size(); i++) {
      Preprocessor f = steps.get(i).fit(current);
      fitted.add(f);
      if (i + 1 < steps.size()) {
        if (current == train) {
          current = train.copy();
        }
        f.transform(current);
      }
    }
    return new Pipeline(fitted);
  }

  @Override
  public void transform(float[] features, int offset, int rows) {
    for (Preprocessor p : steps) {
      p.transform(features, offset, rows);
    }
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", TYPE);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Preprocessor p : steps) {
      list.add(p.toMap());
    }
    m.put("steps", list);
    return m;
  }

  static Pipeline read(ConfigMap m) {
    List<Preprocessor> list = new ArrayList<>();
    for (ConfigMap step : m.sections("steps")) {
      list.add(Preprocessor.read(step));
    }
    m.finish();
    return new Pipeline(list);
  }
}
