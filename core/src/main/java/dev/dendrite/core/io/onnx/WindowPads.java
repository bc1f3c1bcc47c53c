package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.Layer;

/**
 * ONNX {@code pads} {@code [top, left, bottom, right]} of a 2-D window layer, from its input and output
 * shapes {@code [C, H, W]}: the zeros Keras' {@code same} rule adds, {@code max((out - 1)·s + k - in, 0)}
 * per axis, the odd one at the bottom/right; none for {@code valid}. With these pads ONNX's output size
 * {@code floor((in + pads - k) / s) + 1} is the layer's own.
 */
final class WindowPads {

  private WindowPads() {
  }

  static long[] of(Layer layer, String padding, int kh, int kw, int sh, int sw) {
    if (padding.equals("valid")) {
      return new long[] {0, 0, 0, 0};
    }
    int[] in = layer.inputShape().dims();
    int[] out = layer.outputShape().dims();
    int padH = Math.max((out[1] - 1) * sh + kh - in[1], 0);
    int padW = Math.max((out[2] - 1) * sw + kw - in[2], 0);
    return new long[] {padH / 2, padW / 2, padH - padH / 2, padW - padW / 2};
  }
}
