package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Average pooling: {@code y[n, c, oh, ow] = (1/count) Σ x} over the window's cells inside the input
 * (padding is not counted, as Keras and PyTorch's {@code count_include_pad=False}); backward spreads
 * {@code dY/count} over the same cells.
 */
public final class AvgPool2DLayer extends Pool2DLayer {

  AvgPool2DLayer(String name, AvgPool2DConfig config, Shape inputShape) {
    super(name, config, inputShape);
  }

  /** The number of input cells window (oh, ow) covers. */
  private int count(int oh, int ow) {
    return (rowHi[oh] - rowLo[oh]) * (colHi[ow] - colLo[ow]);
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int plane = g.height * g.width;
    int o = 0;
    for (int p = 0; p < batch * g.channels; p++) { // p = n·C + c: one channel of one example
      int base = xOffset + p * plane;
      for (int oh = 0; oh < g.outH; oh++) {
        for (int ow = 0; ow < g.outW; ow++, o++) {
          double sum = 0;
          for (int ih = rowLo[oh]; ih < rowHi[oh]; ih++) {
            for (int iw = colLo[ow]; iw < colHi[ow]; iw++) {
              sum += x[base + ih * g.width + iw];
            }
          }
          y[o] = (float) (sum / count(oh, ow));
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
    for (int p = 0; p < batch * g.channels; p++) {
      int base = p * plane;
      for (int oh = 0; oh < g.outH; oh++) {
        for (int ow = 0; ow < g.outW; ow++, o++) {
          float share = dY[o] / count(oh, ow); // dX += dY / count on every counted cell
          for (int ih = rowLo[oh]; ih < rowHi[oh]; ih++) {
            for (int iw = colLo[ow]; iw < colHi[ow]; iw++) {
              dX[base + ih * g.width + iw] += share;
            }
          }
        }
      }
    }
  }
}
