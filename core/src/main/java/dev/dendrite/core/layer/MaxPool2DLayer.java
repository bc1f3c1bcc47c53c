package dev.dendrite.core.layer;

import dev.dendrite.core.network.ParameterSpec;
import dev.dendrite.core.network.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Max pooling: {@code y[n, c, oh, ow] = max} of x over the window's cells inside the input. Forward
 * records the winner's index within the example ({@code argmax [batch, C, outH, outW]}; ties go to the
 * first cell in row-major order); backward adds {@code dY} to the winner: {@code dX[n, argmax] += dY}.
 */
public final class MaxPool2DLayer implements Layer {

  private final String name;
  private final MaxPool2DConfig config;
  private final Shape inputShape;
  private final Shape outputShape;
  private final Window2D g;
  private final int inSize;
  private final int outSize;
  private int[] argmax = new int[0]; // [batch, C, outH, outW] index of the winner within its example

  MaxPool2DLayer(String name, MaxPool2DConfig config, Shape inputShape) {
    this.name = name;
    this.config = config;
    this.inputShape = inputShape;
    this.g = new Window2D(MaxPool2DConfig.TYPE, "pool_size", inputShape, config.poolHeight(), config.poolWidth(),
        config.strideHeight(), config.strideWidth(), config.padding());
    this.outputShape = g.outputShape(g.channels);
    this.inSize = inputShape.size();
    this.outSize = outputShape.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape inputShape() {
    return inputShape;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public LayerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
  }

  @Override
  public void allocate(int maxBatch) {
    if (argmax.length < maxBatch * outSize) {
      argmax = new int[maxBatch * outSize];
    }
  }

  /** The winners of the last forward, {@code [batch, C, outH, outW]}, as indices within the example. */
  public int[] argmax() {
    return argmax;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int plane = g.height * g.width;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      int xBase = xOffset + n * inSize;
      for (int c = 0; c < g.channels; c++) {
        int cBase = c * plane;
        for (int oh = 0; oh < g.outH; oh++) {
          int top = oh * g.sh - g.padTop;
          int ihLo = Math.max(top, 0);
          int ihHi = Math.min(top + g.kh, g.height);
          for (int ow = 0; ow < g.outW; ow++, o++) {
            int left = ow * g.sw - g.padLeft;
            int iwLo = Math.max(left, 0);
            int iwHi = Math.min(left + g.kw, g.width);
            int best = cBase + ihLo * g.width + iwLo; // every window holds at least one input cell
            float max = x[xBase + best];
            for (int ih = ihLo; ih < ihHi; ih++) {
              int rowIndex = cBase + ih * g.width;
              for (int iw = iwLo; iw < iwHi; iw++) {
                float v = x[xBase + rowIndex + iw];
                if (v > max) {
                  max = v;
                  best = rowIndex + iw;
                }
              }
            }
            y[o] = max;
            argmax[o] = best;
          }
        }
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (dX == null) {
      return;
    }
    Arrays.fill(dX, 0, batch * inSize, 0f);
    for (int n = 0; n < batch; n++) {
      int base = n * inSize;
      int o = n * outSize;
      for (int i = 0; i < outSize; i++, o++) {
        dX[base + argmax[o]] += dY[o]; // dX [batch, C, H, W]: overlapping windows may share a winner
      }
    }
  }
}
