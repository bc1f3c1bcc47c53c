package dev.dendrite.core.data;

import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sequence-to-sequence tasks on short digit sequences, generated from a seed: the input is {@code length}
 * digits drawn uniformly from {@code [0, digits)} (ids for an embedding layer, shape {@code [length]}); the
 * target is one digit per position ({@code length} class indices, for a position-wise softmax):
 * <ul>
 *   <li>{@code reverse_digits}: the sequence backwards, {@code y[t] = x[length-1-t]};</li>
 *   <li>{@code sort_digits}: the digits in ascending order.</li>
 * </ul>
 * A spec names the task and its settings, e.g. {@code reverse_digits(length=8, digits=10, examples=20000,
 * seed=1)}; the same spec always gives the same examples.
 */
public final class DigitSequences {

  public static final List<String> TASKS = List.of("reverse_digits", "sort_digits");
  private static final List<String> KEYS = List.of("length", "digits", "examples", "seed");

  private DigitSequences() {
  }

  /** {@code examples} sequences of the task, targets stored as class indices (one per position). */
  public static Dataset generate(String task, int length, int digits, int examples, long seed) {
    if (!TASKS.contains(task)) {
      throw new IllegalArgumentException("unknown sequence task '" + task + "'; expected one of " + TASKS);
    }
    check("length", length, 1, 1 << 16);
    check("digits", digits, 2, 1 << 16);
    check("examples", examples, 1, Integer.MAX_VALUE / length);
    Rng rng = new Rng(Rng.mix(seed, 0x5E9));
    float[] x = new float[examples * length];
    float[] y = new float[examples * length];
    float[] row = new float[length];
    for (int i = 0; i < examples; i++) {
      int o = i * length;
      for (int t = 0; t < length; t++) {
        x[o + t] = rng.nextInt(digits);
      }
      if (task.equals("reverse_digits")) {
        for (int t = 0; t < length; t++) {
          y[o + t] = x[o + length - 1 - t];
        }
      } else {
        System.arraycopy(x, o, row, 0, length);
        Arrays.sort(row);
        System.arraycopy(row, 0, y, o, length);
      }
    }
    String description = String.format(Locale.ROOT, "%s(length=%d, digits=%d, examples=%d, seed=%d)", task,
        length, digits, examples, seed);
    return new Dataset(x, Shape.of(length), y, length, Dataset.TargetKind.REGRESSION, 0, null, description);
  }

  /**
   * The dataset of a spec {@code task(key=value, ...)} with keys {@code length} (default 8), {@code digits}
   * (10), {@code examples} (required) and {@code seed} (required); a bad spec fails naming the part at fault.
   */
  public static Dataset parse(String spec) {
    String s = spec.strip();
    int open = s.indexOf('(');
    if (open < 0 || !s.endsWith(")")) {
      throw new IllegalArgumentException("generated data '" + spec + "': expected task(key=value, ...), e.g. "
          + "reverse_digits(length=8, examples=20000, seed=1); tasks: " + TASKS);
    }
    String task = s.substring(0, open).strip();
    if (!TASKS.contains(task)) {
      throw new IllegalArgumentException("generated data '" + spec + "': unknown task '" + task + "'; expected one of "
          + TASKS);
    }
    Map<String, Long> values = new LinkedHashMap<>();
    String args = s.substring(open + 1, s.length() - 1).strip();
    if (!args.isEmpty()) {
      for (String part : args.split(",")) {
        String[] kv = part.split("=", 2);
        String key = kv[0].strip();
        if (kv.length != 2 || !KEYS.contains(key)) {
          throw new IllegalArgumentException("generated data '" + spec + "': '" + part.strip() + "' is not one of "
              + "key=value with key in " + KEYS);
        }
        try {
          values.put(key, Long.parseLong(kv[1].strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("generated data '" + spec + "': " + key + " = '" + kv[1].strip()
              + "' is not an integer");
        }
      }
    }
    for (String required : List.of("examples", "seed")) {
      if (!values.containsKey(required)) {
        throw new IllegalArgumentException("generated data '" + spec + "': " + required + " is required");
      }
    }
    try {
      return generate(task, Math.toIntExact(values.getOrDefault("length", 8L)),
          Math.toIntExact(values.getOrDefault("digits", 10L)), Math.toIntExact(values.get("examples")),
          values.get("seed"));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("generated data '" + spec + "': a value is out of range");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("generated data '" + spec + "': " + e.getMessage());
    }
  }

  private static void check(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
    }
  }
}
