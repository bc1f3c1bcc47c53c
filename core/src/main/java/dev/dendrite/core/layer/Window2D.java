package dev.dendrite.core.layer;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.Map;

/**
 * The geometry of a 2-D sliding window (a convolution kernel or a pooling window) over an input of shape
 * {@code [channels, height, width]}: output size and padding. {@code valid} uses only whole windows,
 * {@code out = (in - k) / s + 1}; {@code same} is Keras' rule, {@code out = ceil(in / s)} with
 * {@code max((out - 1)·s + k - in, 0)} zeros split between the sides, the odd one on the bottom/right.
 */
final class Window2D {

  static final List<String> PADDINGS = List.of("valid", "same");

  final int channels;
  final int height;
  final int width;
  final int kh;
  final int kw;
  final int sh;
  final int sw;
  final int outH;
  final int outW;
  final int padTop;
  final int padLeft;

  /**
   * @param type the layer type, for messages
   * @param windowKey the config key of the window size, for messages ({@code kernel_size}, {@code pool_size})
   */
  Window2D(String type, String windowKey, Shape input, int kh, int kw, int sh, int sw, String padding) {
    if (input.rank() != 3) {
      throw new IllegalArgumentException(type + " needs inputs of shape [channels, height, width], got "
          + input + " (declare the network input as e.g. Network.builder(1, 28, 28), or input_shape "
          + "[1, 28, 28] in a config)");
    }
    this.channels = input.dim(0);
    this.height = input.dim(1);
    this.width = input.dim(2);
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    if (padding.equals("valid")) {
      if (kh > height || kw > width) {
        throw new IllegalArgumentException(windowKey + " [" + kh + ", " + kw + "] is larger than the input's "
            + "height × width " + height + " × " + width + " with padding 'valid'; use padding 'same' or a "
            + "smaller window");
      }
      outH = (height - kh) / sh + 1;
      outW = (width - kw) / sw + 1;
      padTop = 0;
      padLeft = 0;
    } else {
      outH = (height + sh - 1) / sh;
      outW = (width + sw - 1) / sw;
      padTop = Math.max((outH - 1) * sh + kh - height, 0) / 2;
      padLeft = Math.max((outW - 1) * sw + kw - width, 0) / 2;
    }
  }

  Shape outputShape(int outChannels) {
    return Shape.of(outChannels, outH, outW);
  }

  /** The first output column whose window column {@code kj} lies inside the input. */
  int firstColumn(int kj) {
    int need = padLeft - kj; // ow·sw ≥ padLeft - kj
    return need <= 0 ? 0 : Math.min(outW, (need + sw - 1) / sw);
  }

  /** One past the last output column whose window column {@code kj} lies inside the input. */
  int endColumn(int kj) {
    int last = width - 1 + padLeft - kj; // ow·sw ≤ width - 1 + padLeft - kj
    return last < 0 ? 0 : Math.min(outW, last / sw + 1);
  }

  static void checkPositive(String key, int a, int b) {
    if (a <= 0 || b <= 0) {
      throw new ConfigException(key, "must be positive, got [" + a + ", " + b + "]");
    }
  }

  static void checkPadding(String padding) {
    if (!PADDINGS.contains(padding)) {
      throw new ConfigException("padding", "'" + padding + "' is not allowed; expected one of " + PADDINGS);
    }
  }

  /** A window size or stride written as one integer (square) or as {@code [height, width]}. */
  static int[] pair(ConfigMap m, String key, int[] fallback) {
    if (!m.has(key)) {
      if (fallback == null) {
        m.integer(key); // throws "is required"
      }
      return fallback;
    }
    Object v = m.value(key);
    if (v instanceof Number) {
      int n = (int) m.integer(key);
      return new int[] {n, n};
    }
    int[] pair = m.integers(key);
    if (pair.length != 2) {
      throw new ConfigException(m.key(key), "expected one integer or [height, width], got " + pair.length
          + " values");
    }
    return pair;
  }

  static List<Integer> list(int a, int b) {
    return List.of(a, b);
  }

  static void putPair(Map<String, Object> m, String key, int a, int b) {
    m.put(key, list(a, b));
  }
}
