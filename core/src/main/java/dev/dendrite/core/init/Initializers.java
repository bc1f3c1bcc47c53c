package dev.dendrite.core.init;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The initializers of the lectures, by name: {@code zeros}, {@code constant(v)}, {@code uniform(a)}
 * (U[-a, a]), {@code normal(s)} (N(0, s²)), {@code glorot_uniform}, {@code glorot_normal},
 * {@code he_uniform}, {@code he_normal}, {@code lecun_uniform}, {@code lecun_normal}.
 * Normal variants of Glorot/He/LeCun are untruncated Gaussians with the stated variance.
 */
public final class Initializers {

  private Initializers() {
  }

  public static Initializer zeros() {
    return constant(0f);
  }

  public static Initializer constant(float value) {
    return new Simple(value == 0f ? "zeros" : "constant(" + value + ")", (v, o, n, fi, fo, r) -> {
      java.util.Arrays.fill(v, o, o + n, value);
    });
  }

  /** Uniform on [-limit, limit]. */
  public static Initializer uniform(float limit) {
    return new Simple("uniform(" + limit + ")", (v, o, n, fi, fo, r) -> fillUniform(v, o, n, limit, r));
  }

  /** Gaussian with mean 0 and the given standard deviation. */
  public static Initializer normal(float stddev) {
    return new Simple("normal(" + stddev + ")", (v, o, n, fi, fo, r) -> fillNormal(v, o, n, stddev, r));
  }

  /** Glorot/Xavier uniform: limit sqrt(6 / (fanIn + fanOut)). */
  public static Initializer glorotUniform() {
    return new Simple("glorot_uniform",
        (v, o, n, fi, fo, r) -> fillUniform(v, o, n, (float) Math.sqrt(6.0 / (fi + fo)), r));
  }

  /** Glorot/Xavier normal: stddev sqrt(2 / (fanIn + fanOut)). */
  public static Initializer glorotNormal() {
    return new Simple("glorot_normal",
        (v, o, n, fi, fo, r) -> fillNormal(v, o, n, (float) Math.sqrt(2.0 / (fi + fo)), r));
  }

  /** He uniform: limit sqrt(6 / fanIn), for ReLU layers. */
  public static Initializer heUniform() {
    return new Simple("he_uniform",
        (v, o, n, fi, fo, r) -> fillUniform(v, o, n, (float) Math.sqrt(6.0 / fi), r));
  }

  /** He normal: stddev sqrt(2 / fanIn), for ReLU layers. */
  public static Initializer heNormal() {
    return new Simple("he_normal",
        (v, o, n, fi, fo, r) -> fillNormal(v, o, n, (float) Math.sqrt(2.0 / fi), r));
  }

  /** LeCun uniform: limit sqrt(3 / fanIn). */
  public static Initializer lecunUniform() {
    return new Simple("lecun_uniform",
        (v, o, n, fi, fo, r) -> fillUniform(v, o, n, (float) Math.sqrt(3.0 / fi), r));
  }

  /** LeCun normal: stddev sqrt(1 / fanIn), for SELU/tanh layers. */
  public static Initializer lecunNormal() {
    return new Simple("lecun_normal",
        (v, o, n, fi, fo, r) -> fillNormal(v, o, n, (float) Math.sqrt(1.0 / fi), r));
  }

  /** Parses a name as written by {@link Initializer#name()}. */
  public static Initializer parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    int open = s.indexOf('(');
    String name = open < 0 ? s : s.substring(0, open);
    Float arg = null;
    if (open >= 0) {
      if (!s.endsWith(")")) {
        throw new IllegalArgumentException("initializer '" + spec + "': missing ')'");
      }
      try {
        arg = Float.parseFloat(s.substring(open + 1, s.length() - 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("initializer '" + spec + "': argument is not a number");
      }
    }
    switch (name) {
      case "zeros":
        return zeros();
      case "ones":
        return constant(1f);
      case "constant":
        return constant(required(spec, arg));
      case "uniform":
        return uniform(arg == null ? 0.05f : arg);
      case "normal":
        return normal(arg == null ? 0.05f : arg);
      case "glorot_uniform":
      case "xavier_uniform":
        return glorotUniform();
      case "glorot_normal":
      case "xavier_normal":
        return glorotNormal();
      case "he_uniform":
        return heUniform();
      case "he_normal":
        return heNormal();
      case "lecun_uniform":
        return lecunUniform();
      case "lecun_normal":
        return lecunNormal();
      default:
        throw new IllegalArgumentException("unknown initializer '" + spec + "'; expected one of zeros, ones, "
            + "constant(v), uniform(limit), normal(stddev), glorot_uniform, glorot_normal, he_uniform, "
            + "he_normal, lecun_uniform, lecun_normal");
    }
  }

  private static float required(String spec, Float arg) {
    if (arg == null) {
      throw new IllegalArgumentException("initializer '" + spec + "' needs a value, e.g. constant(0.1)");
    }
    return arg;
  }

  static void fillUniform(float[] v, int offset, int n, float limit, RandomGenerator rng) {
    for (int i = offset; i < offset + n; i++) {
      v[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
    }
  }

  static void fillNormal(float[] v, int offset, int n, float stddev, RandomGenerator rng) {
    for (int i = offset; i < offset + n; i++) {
      v[i] = (float) (rng.nextGaussian() * stddev);
    }
  }

  @FunctionalInterface
  private interface Filler {
    void fill(float[] v, int offset, int n, int fanIn, int fanOut, RandomGenerator rng);
  }

  private record Simple(String name, Filler filler) implements Initializer {
    @Override
    public void fill(float[] values, int offset, int length, int fanIn, int fanOut, RandomGenerator rng) {
      filler.fill(values, offset, length, fanIn, fanOut, rng);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
