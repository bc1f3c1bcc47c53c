package dev.dendrite.core.activation;

import java.util.Locale;

/** Activations by name, as written in configs and model files. */
public final class Activations {

  public static final Activation IDENTITY = new Identity();
  public static final Activation BINARY_STEP = new BinaryStep();
  public static final Activation SIGMOID = new Sigmoid();
  public static final Activation TANH = new Tanh();
  public static final Activation ARCTAN = new Arctan();
  public static final Activation RELU = new Relu();
  public static final Activation SOFTPLUS = new Softplus();
  public static final Activation SOFTMAX = new Softmax();

  private Activations() {
  }

  /**
   * Parses {@code identity} (or {@code linear}), {@code binary_step}, {@code sigmoid}, {@code tanh},
   * {@code arctan}, {@code relu}, {@code leaky_relu} / {@code leaky_relu(slope)} (default 0.01),
   * {@code elu} / {@code elu(alpha)} (default 1), {@code softplus}, {@code softmax}.
   * PReLU and maxout carry parameters and are layers.
   */
  public static Activation parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    int open = s.indexOf('(');
    String name = open < 0 ? s : s.substring(0, open);
    Float arg = null;
    if (open >= 0) {
      if (!s.endsWith(")")) {
        throw new IllegalArgumentException("activation '" + spec + "': missing ')'");
      }
      try {
        arg = Float.parseFloat(s.substring(open + 1, s.length() - 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("activation '" + spec + "': argument is not a number");
      }
    }
    switch (name) {
      case "identity":
      case "linear":
        return noArg(spec, arg, IDENTITY);
      case "binary_step":
      case "step":
        return noArg(spec, arg, BINARY_STEP);
      case "sigmoid":
        return noArg(spec, arg, SIGMOID);
      case "tanh":
        return noArg(spec, arg, TANH);
      case "arctan":
        return noArg(spec, arg, ARCTAN);
      case "relu":
        return noArg(spec, arg, RELU);
      case "softplus":
        return noArg(spec, arg, SOFTPLUS);
      case "softmax":
        return noArg(spec, arg, SOFTMAX);
      case "leaky_relu":
        return new LeakyRelu(arg == null ? 0.01f : arg);
      case "elu":
        return new Elu(arg == null ? 1f : arg);
      case "prelu":
      case "maxout":
        throw new IllegalArgumentException("'" + name + "' has learned parameters: add it as a layer "
            + "(builder ." + name + "(...) or a layer of type " + name + "), not as an activation");
      default:
        throw new IllegalArgumentException("unknown activation '" + spec + "'; expected one of identity, "
            + "binary_step, sigmoid, tanh, arctan, relu, leaky_relu(slope), elu(alpha), softplus, softmax");
    }
  }

  private static Activation noArg(String spec, Float arg, Activation a) {
    if (arg != null) {
      throw new IllegalArgumentException("activation '" + spec + "' takes no argument");
    }
    return a;
  }
}
