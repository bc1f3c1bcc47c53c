package dev.dendrite.core.layer;

import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Max pooling: {@code y[n, c, oh, ow] = max} of x over the window's cells inside the input. Forward
 * records the winner's index within the example ({@code argmax [batch, C, outH, outW]}; ties go to the
 * first cell in row-major order); backward adds {@code dY} to the winner: {@code dX[n, argmax] += dY}.
 * The 2×2 stride-2 path records no winners at inference ({@code training} false), which runs no backward.
 */
public final class MaxPool2DLayer extends Pool2DLayer {

  private final boolean tiled; // 2×2 windows, stride 2, no padding: the fast path
  private int[] argmax = new int[0]; // [batch, C, outH, outW] index of the winner within its example

  MaxPool2DLayer(String name, MaxPool2DConfig config, Shape inputShape) {
    super(name, config, inputShape);
    this.tiled = g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.padTop == 0 && g.padLeft == 0
        && 2 * g.outH <= g.height && 2 * g.outW <= g.width;
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
    if (tiled) {
      if (training) {
        forward2x2(x, xOffset, y, batch);
      } else {
        forward2x2Values(x, xOffset, y, batch);
      }
      return;
    }
    int plane = g.height * g.width;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      int xBase = xOffset + n * inSize;
      for (int c = 0; c < g.channels; c++) {
        int cBase = c * plane;
        for (int oh = 0; oh < g.outH; oh++) {
          for (int ow = 0; ow < g.outW; ow++, o++) {
            int best = cBase + rowLo[oh] * g.width + colLo[ow]; // every window holds at least one input cell
            float max = x[xBase + best];
            for (int ih = rowLo[oh]; ih < rowHi[oh]; ih++) {
              int rowIndex = cBase + ih * g.width;
              for (int iw = colLo[ow]; iw < colHi[ow]; iw++) {
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

  /**
   * The common 2×2 stride-2 window without padding: a tournament of the two cells of each row, then of
   * the two row winners, in integer arithmetic without branches. Which cell wins is random in training,
   * and a branch on it mispredicted so often that this layer took longer than the convolution after it
   * (7x slower on random than on constant inputs); the JIT keeps float selects as branches. The
   * comparison is the sign bit of the difference, so ties keep the first cell in row-major order, as the
   * general path does (only a tie of −0 before +0 goes to the +0).
   */
  private void forward2x2(float[] x, int xOffset, float[] y, int batch) {
    int width = g.width;
    int plane = g.height * width;
    int outH = g.outH;
    int outW = g.outW;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      int xBase = xOffset + n * inSize;
      for (int c = 0; c < g.channels; c++) {
        int cBase = c * plane;
        for (int oh = 0; oh < outH; oh++) {
          int top = cBase + 2 * oh * width; // index within the example of the window's top-left cell
          int row0 = xBase + top;
          int row1 = row0 + width;
          for (int ow = 0; ow < outW; ow++, o++) {
            int j = 2 * ow;
            float a = x[row0 + j];
            float b = x[row0 + j + 1];
            float c2 = x[row1 + j];
            float d = x[row1 + j + 1];
            int top0 = Float.floatToRawIntBits(a - b) >> 31;  // -1 where b > a, else 0
            int m0 = select(Float.floatToRawIntBits(a), Float.floatToRawIntBits(b), top0);
            int i0 = top + j - top0;
            int bottom1 = Float.floatToRawIntBits(c2 - d) >> 31; // -1 where d > c
            int m1 = select(Float.floatToRawIntBits(c2), Float.floatToRawIntBits(d), bottom1);
            int i1 = top + width + j - bottom1;
            int low = Float.floatToRawIntBits(Float.intBitsToFloat(m0) - Float.intBitsToFloat(m1)) >> 31;
            y[o] = Float.intBitsToFloat(select(m0, m1, low));
            argmax[o] = select(i0, i1, low);
          }
        }
      }
    }
  }

  /**
   * The 2×2 stride-2 maxima without their winners, for inference (scoring, evaluation), which never runs
   * backward: {@code Math.max} of the four cells gives the same values as {@link #forward2x2} for every
   * input without NaN, ±0 ties included (both give +0). On the shipped CNN's two pooling layers, a batch of
   * 512 images: 18.7 ms of CPU against 25.8 ms for the tournament that also records the winners.
   */
  private void forward2x2Values(float[] x, int xOffset, float[] y, int batch) {
    int width = g.width;
    int plane = g.height * width;
    int outH = g.outH;
    int outW = g.outW;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      int xBase = xOffset + n * inSize;
      for (int c = 0; c < g.channels; c++) {
        for (int oh = 0; oh < outH; oh++) {
          int row0 = xBase + c * plane + 2 * oh * width;
          int row1 = row0 + width;
          for (int ow = 0; ow < outW; ow++, o++) {
            int j = 2 * ow;
            y[o] = Math.max(Math.max(x[row0 + j], x[row0 + j + 1]), Math.max(x[row1 + j], x[row1 + j + 1]));
          }
        }
      }
    }
  }

  /** {@code mask == -1 ? b : a} for a mask of -1 or 0. */
  private static int select(int a, int b, int mask) {
    return a ^ ((a ^ b) & mask);
  }

  /** -1 when {@code v == 0}, else 0. */
  private static int isZero(int v) {
    return ~((v | -v) >> 31);
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (dX == null) {
      return;
    }
    if (tiled) {
      backward2x2(dY, dX, batch);
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

  /**
   * dX for disjoint 2×2 windows: every covered cell is written once (dY at the winner, 0 elsewhere), so
   * dX needs no zeroing pass except for the last row/column an odd height/width leaves uncovered.
   */
  private void backward2x2(float[] dY, float[] dX, int batch) {
    int width = g.width;
    int height = g.height;
    int plane = height * width;
    int outH = g.outH;
    int outW = g.outW;
    int o = 0;
    for (int n = 0; n < batch; n++) {
      int base = n * inSize;
      for (int c = 0; c < g.channels; c++) {
        int cBase = c * plane;
        for (int oh = 0; oh < outH; oh++) {
          int top = cBase + 2 * oh * width;
          int row0 = base + top;
          int row1 = row0 + width;
          for (int ow = 0; ow < outW; ow++, o++) {
            int j = 2 * ow;
            int w = argmax[o] - top - j; // 0, 1, width or width + 1
            int d = Float.floatToRawIntBits(dY[o]);
            dX[row0 + j] = Float.intBitsToFloat(d & isZero(w));
            dX[row0 + j + 1] = Float.intBitsToFloat(d & isZero(w - 1));
            dX[row1 + j] = Float.intBitsToFloat(d & isZero(w - width));
            dX[row1 + j + 1] = Float.intBitsToFloat(d & isZero(w - width - 1));
          }
          if (2 * outW < width) {
            Arrays.fill(dX, row0 + 2 * outW, row0 + width, 0f);
            Arrays.fill(dX, row1 + 2 * outW, row1 + width, 0f);
          }
        }
        if (2 * outH < height) {
          int from = base + cBase + 2 * outH * width;
          Arrays.fill(dX, from, base + cBase + plane, 0f);
        }
      }
    }
  }
}
