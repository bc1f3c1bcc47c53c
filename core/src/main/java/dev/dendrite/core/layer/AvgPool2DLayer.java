package dev.dendrite.core.layer;

import dev.dendrite.core.network.ParameterSpec;
import dev.dendrite.core.network.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Average pooling: {@code y[n, c, oh, ow] = (1/count) Σ x} over the window's cells inside the input
 * (padding is not counted, as Keras and PyTorch's {@code count_include_pad=False}); backward spreads
 * {@code dY/count} over the same cells.
 */
public final class AvgPool2DLayer implements Layer {

  private final String name;
  private final AvgPool2DConfig config;
  private final Shape inputShape;
  private final Shape outputShape;
  private final Window2D g;
  private final int inSize;

  AvgPool2DLayer(String name, AvgPool2DConfig config, Shape inputShape) {
    this.name = name;
    this.config = config;
    this.inputShape = inputShape;
    this.g = new Window2D(AvgPool2DConfig.TYPE, "pool_size", inputShape, config.poolHeight(), config.poolWidth(),
        config.strideHeight(), config.strideWidth(), config.padding());
    this.outputShape = g.outputShape(g.channels);
    this.inSize = inputShape.size();
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
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int plane = g.height * g.width;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < g.channels; c++) {
        int base = xOffset + n * inSize + c * plane;
        for (int oh = 0; oh < g.outH; oh++) {
          int top = oh * g.sh - g.padTop;
          int ihLo = Math.max(top, 0);
          int ihHi = Math.min(top + g.kh, g.height);
          for (int ow = 0; ow < g.outW; ow++, o++) {
            int left = ow * g.sw - g.padLeft;
            int iwLo = Math.max(left, 0);
            int iwHi = Math.min(left + g.kw, g.width);
            double sum = 0;
            for (int ih = ihLo; ih < ihHi; ih++) {
              for (int iw = iwLo; iw < iwHi; iw++) {
                sum += x[base + ih * g.width + iw];
              }
            }
            y[o] = (float) (sum / ((ihHi - ihLo) * (iwHi - iwLo)));
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
    int plane = g.height * g.width;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < g.channels; c++) {
        int base = n * inSize + c * plane;
        for (int oh = 0; oh < g.outH; oh++) {
          int top = oh * g.sh - g.padTop;
          int ihLo = Math.max(top, 0);
          int ihHi = Math.min(top + g.kh, g.height);
          for (int ow = 0; ow < g.outW; ow++, o++) {
            int left = ow * g.sw - g.padLeft;
            int iwLo = Math.max(left, 0);
            int iwHi = Math.min(left + g.kw, g.width);
            float share = dY[o] / ((ihHi - ihLo) * (iwHi - iwLo)); // dX += dY / count on every counted cell
            for (int ih = ihLo; ih < ihHi; ih++) {
              for (int iw = iwLo; iw < iwHi; iw++) {
                dX[base + ih * g.width + iw] += share;
              }
            }
          }
        }
      }
    }
  }
}
