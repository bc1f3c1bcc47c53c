package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.activation.Identity;
import dev.dendrite.core.activation.Relu;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution (cross-correlation, as PyTorch and Keras compute it) by im2col and GEMM:
 * {@code y = g(W ⋆ x + b)} with {@code W [F, C, kh, kw]} (PyTorch's layout) and {@code b [F]}; inputs
 * {@code [batch, C, H, W]}, outputs {@code [batch, F, outH, outW]}.
 *
 * <p>The batch is processed in chunks of a few examples (as many as keep {@code cols} and {@code Z'} near
 * {@value #CHUNK_FLOATS} floats, so they stay in cache between being written and read). Per chunk of
 * {@code m} examples, forward: {@code cols [C·kh·kw, m·P]} (P = outH·outW; column {@code n·P + p} holds
 * the window of output pixel p of example n, zeros where it overlaps the padding), then
 * {@code Z' [F, m·P] = W [F, C·kh·kw] · cols}, and Z' is permuted to {@code z [batch, F, P]} (runs of P
 * contiguous floats) while b is added and, for ReLU, the activation applied.
 *
 * <p>With stride 1 and no padding, cols is built on a <em>wide</em> grid: output columns {@code ow} run over
 * the whole input width W instead of outW, so row (c, ki, kj) of an example is one contiguous run of
 * {@code outH·W} input floats (one copy instead of outH copies of outW floats, whose call overhead was
 * the cost of im2col), and col2im is one contiguous add. The {@code W - outW} extra columns per output
 * row cost that much more GEMM work; their outputs are dropped, and their dZ' is 0, so they add nothing
 * to dW or dX.
 *
 * <p>Backward, per chunk: {@code dZ} is permuted back to {@code dZ' [F, m·P]} (masked by {@code z > 0}
 * for ReLU); {@code db += Σ_columns dZ'}; cols is rebuilt from x (cheaper than keeping the whole batch's
 * cols, which for the second layer of the Fashion-MNIST CNN is 18 MB and never in cache);
 * {@code dW += dZ' · colsᵀ}, {@code dCols = Wᵀ · dZ'} (written over cols), and col2im adds every column
 * back onto the input pixels it came from to give dX.
 */
public final class Conv2DLayer extends AbstractLayer<Conv2DConfig> implements ActivatedLayer {

  /** Target size of a chunk's cols or Z' in floats (256 KiB): GEMMs stay large, buffers stay in L2. */
  static final int CHUNK_FLOATS = 64 * 1024;

  private final Shape outputShape;
  private final Window2D g;
  private final int filters;
  private final int patch;   // C·kh·kw: rows of cols, columns of W
  private final int pixels;  // P = outH·outW
  private final boolean wide; // stride 1, no padding: cols on the wide grid outH × W (see the class comment)
  private final int gridW;   // W when wide, else outW: columns per output row in cols and Z'
  private final int gridP;   // outH·gridW: columns per example in cols and Z'
  private final int inSize;  // C·H·W
  private final int outSize; // F·P
  private final int chunk;   // examples per im2col + GEMM
  private final int[] firstColumn; // per kernel column kj: output columns whose input column is inside
  private final int[] endColumn;
  private final Activation activation;
  private final boolean linear;
  private final boolean relu; // ReLU is fused into the permutations of forward and backward
  private final Gemm gemm;
  private final double[] dbSum; // [F] bias gradient over the chunks of one backward

  private float[] params;
  private float[] grads;
  private int wOffset;
  private int bOffset;
  private float[] cols = new float[0]; // [C·kh·kw, chunk·P] im2col; dCols in backward
  private float[] zt = new float[0];   // [F, chunk·P] GEMM output in forward; dZ' in backward
  private float[] z = new float[0];    // [batch, F, P] pre-activation; y itself when linear

  Conv2DLayer(String name, Conv2DConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, inputShape);
    this.g = new Window2D(Conv2DConfig.TYPE, "kernel_size", inputShape, config.kernelHeight(),
        config.kernelWidth(), config.strideHeight(), config.strideWidth(), config.padding());
    this.filters = config.filters();
    this.patch = Math.multiplyExact(g.channels, g.kh * g.kw);
    this.pixels = g.outH * g.outW;
    this.inSize = inputShape.size();
    this.outputShape = g.outputShape(filters);
    this.outSize = outputShape.size();
    this.wide = g.sh == 1 && g.sw == 1 && g.outH == g.height - g.kh + 1 && g.outW == g.width - g.kw + 1;
    this.gridW = wide ? g.width : g.outW;
    this.gridP = g.outH * gridW;
    this.chunk = (int) Math.max(1, CHUNK_FLOATS / ((long) Math.max(patch, filters) * gridP));
    this.firstColumn = new int[g.kw];
    this.endColumn = new int[g.kw];
    for (int kj = 0; kj < g.kw; kj++) {
      firstColumn[kj] = g.firstColumn(kj);
      endColumn[kj] = Math.max(firstColumn[kj], g.endColumn(kj));
    }
    this.activation = Activations.parse(config.activation());
    this.linear = activation instanceof Identity;
    this.relu = activation instanceof Relu;
    this.gemm = gemm;
    this.dbSum = new double[filters];
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public Activation activation() {
    return activation;
  }

  @Override
  public List<ParameterSpec> parameters() {
    int window = g.kh * g.kw;
    return List.of(
        new ParameterSpec("W", Shape.of(filters, g.channels, g.kh, g.kw), Initializers.parse(config.kernelInit()),
            patch, filters * window, config.l1(), config.l2()),
        new ParameterSpec("b", Shape.of(filters), Initializers.parse(config.biasInit()), patch,
            filters * window, 0, 0));
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.wOffset = offset;
    this.bOffset = offset + filters * patch;
  }

  @Override
  public void allocate(int maxBatch) {
    int columns = Math.multiplyExact(Math.min(chunk, maxBatch), gridP);
    if (cols.length < Math.multiplyExact(patch, columns)) {
      cols = new float[patch * columns];
    }
    if (zt.length < Math.multiplyExact(filters, columns)) {
      zt = new float[filters * columns];
    }
    if (!linear && z.length < Math.multiplyExact(maxBatch, outSize)) {
      z = new float[maxBatch * outSize];
    }
  }

  @Override
  public float[] preActivation() {
    return z;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    float[] pre = linear ? y : z;
    if (linear) {
      z = y; // the output is the pre-activation
    }
    for (int n0 = 0; n0 < batch; n0 += chunk) {
      int m = Math.min(chunk, batch - n0);
      int columns = m * gridP;
      im2col(x, xOffset + n0 * inSize, m);
      // Z' [F, m·P] = W [F, C·kh·kw] · cols [C·kh·kw, m·P]
      gemm.gemm(false, false, filters, columns, patch, 1f, params, wOffset, patch, cols, 0, columns, 0f, zt, 0,
          columns);
      // pre [n0..n0+m, F, P] = permute(Z') + b; for ReLU, y = max(pre, 0) in the same pass
      int outW = g.outW;
      for (int f = 0; f < filters; f++) {
        float bias = params[bOffset + f];
        for (int n = 0; n < m; n++) {
          int src = f * columns + n * gridP;
          int dst = ((n0 + n) * filters + f) * pixels;
          for (int oh = 0; oh < g.outH; oh++, src += gridW, dst += outW) {
            if (relu) {
              for (int ow = 0; ow < outW; ow++) {
                float v = zt[src + ow] + bias;
                pre[dst + ow] = v;
                y[dst + ow] = Math.max(v, 0f);
              }
            } else {
              for (int ow = 0; ow < outW; ow++) {
                pre[dst + ow] = zt[src + ow] + bias;
              }
            }
          }
        }
      }
    }
    if (!linear && !relu) {
      activation.forward(pre, y, batch, outSize);
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    if (relu) {
      backwardChunks(x, xOffset, dY, dX, batch, true); // dZ = dY where z > 0, formed while permuting
      return;
    }
    activation.backward(linear ? y : z, y, dY, dY, batch, outSize); // dY becomes dZ in place
    backwardChunks(x, xOffset, dY, dX, batch, false);
  }

  @Override
  public void backwardPreActivation(float[] x, int xOffset, float[] dZ, float[] dX, int batch) {
    backwardChunks(x, xOffset, dZ, dX, batch, false);
  }

  /** dW, db and dX chunk by chunk; with {@code reluMask}, {@code dZ} is dY and masked by {@code z > 0}. */
  private void backwardChunks(float[] x, int xOffset, float[] dZ, float[] dX, int batch, boolean reluMask) {
    Arrays.fill(dbSum, 0);
    for (int n0 = 0; n0 < batch; n0 += chunk) {
      int m = Math.min(chunk, batch - n0);
      int columns = m * gridP;
      permuteGradient(dZ, n0, m, reluMask);
      im2col(x, xOffset + n0 * inSize, m);
      // dW [F, C·kh·kw] += dZ' [F, m·P] · colsᵀ [m·P, C·kh·kw]
      gemm.gemm(false, true, filters, patch, columns, 1f, zt, 0, columns, cols, 0, columns, 1f, grads, wOffset,
          patch);
      if (dX != null) {
        // dCols [C·kh·kw, m·P] = Wᵀ [C·kh·kw, F] · dZ' [F, m·P], over cols
        gemm.gemm(true, false, patch, columns, filters, 1f, params, wOffset, patch, zt, 0, columns, 0f, cols, 0,
            columns);
        col2im(dX, n0 * inSize, m);
      }
    }
    for (int f = 0; f < filters; f++) {
      grads[bOffset + f] += (float) dbSum[f];
    }
  }

  /**
   * dZ' [F, m·P] = permute(dZ [n0..n0+m, F, P]), masked by {@code z > 0} when {@code reluMask}, and
   * db [F] += row sums of dZ'. Four partial sums keep the additions independent (one running double sum
   * is a chain of dependent adds, a quarter of the speed), each a double.
   */
  private void permuteGradient(float[] dZ, int n0, int m, boolean reluMask) {
    int columns = m * gridP;
    int outW = g.outW;
    int body = outW & ~3;
    for (int f = 0; f < filters; f++) {
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int n = 0; n < m; n++) {
        int src = ((n0 + n) * filters + f) * pixels;
        int dst = f * columns + n * gridP;
        for (int oh = 0; oh < g.outH; oh++, src += outW, dst += gridW) {
          if (reluMask) {
            for (int ow = 0; ow < outW; ow++) {
              // select int bits: the JIT turns this into a conditional move, a float select into a branch
              int bits = Float.floatToRawIntBits(dZ[src + ow]);
              zt[dst + ow] = Float.intBitsToFloat(z[src + ow] > 0f ? bits : 0);
            }
          } else {
            for (int ow = 0; ow < outW; ow++) {
              zt[dst + ow] = dZ[src + ow];
            }
          }
          for (int ow = outW; ow < gridW; ow++) {
            zt[dst + ow] = 0f; // the wide grid's extra columns: no gradient
          }
          int ow = 0;
          for (; ow < body; ow += 4) {
            s0 += zt[dst + ow];
            s1 += zt[dst + ow + 1];
            s2 += zt[dst + ow + 2];
            s3 += zt[dst + ow + 3];
          }
          for (; ow < outW; ow++) {
            s0 += zt[dst + ow];
          }
        }
      }
      dbSum[f] += (s0 + s1) + (s2 + s3);
    }
  }

  /** cols [C·kh·kw, m·P]: row (c, ki, kj), column (n, oh, ow) = x[n, c, oh·sh - top + ki, ow·sw - left + kj]. */
  private void im2col(float[] x, int xOffset, int m) {
    if (wide) {
      im2colWide(x, xOffset, m);
      return;
    }
    int columns = m * pixels;
    int plane = g.height * g.width;
    int outW = g.outW;
    for (int c = 0; c < g.channels; c++) {
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++) {
          int row = ((c * g.kh + ki) * g.kw + kj) * columns;
          int lo = firstColumn[kj];
          int hi = endColumn[kj];
          for (int n = 0; n < m; n++) {
            int xBase = xOffset + n * inSize + c * plane;
            int dst = row + n * pixels;
            for (int oh = 0; oh < g.outH; oh++, dst += outW) {
              int ih = oh * g.sh - g.padTop + ki;
              if (ih < 0 || ih >= g.height) {
                Arrays.fill(cols, dst, dst + outW, 0f);
                continue;
              }
              int src = xBase + ih * g.width - g.padLeft + kj; // input column of ow is src + ow·sw
              for (int ow = 0; ow < lo; ow++) {
                cols[dst + ow] = 0f;
              }
              if (g.sw == 1) {
                // a loop, not System.arraycopy: runs are outW long (11 floats in the second layer of the
                // Fashion-MNIST CNN), and the call overhead of arraycopy was the cost of im2col
                for (int ow = lo; ow < hi; ow++) {
                  cols[dst + ow] = x[src + ow];
                }
              } else {
                for (int ow = lo; ow < hi; ow++) {
                  cols[dst + ow] = x[src + ow * g.sw];
                }
              }
              for (int ow = hi; ow < outW; ow++) {
                cols[dst + ow] = 0f;
              }
            }
          }
        }
      }
    }
  }

  /**
   * dX [n0.., C, H, W] (from {@code dxOffset}) = Σ of the columns of dCols over the pixels they were copied
   * from (im2col's adjoint), for the m examples of the chunk.
   */
  private void col2im(float[] dX, int dxOffset, int m) {
    Arrays.fill(dX, dxOffset, dxOffset + m * inSize, 0f);
    if (wide) {
      col2imWide(dX, dxOffset, m);
      return;
    }
    int columns = m * pixels;
    int plane = g.height * g.width;
    int outW = g.outW;
    for (int c = 0; c < g.channels; c++) {
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++) {
          int row = ((c * g.kh + ki) * g.kw + kj) * columns;
          int lo = firstColumn[kj];
          int hi = endColumn[kj];
          for (int n = 0; n < m; n++) {
            int xBase = dxOffset + n * inSize + c * plane;
            int src = row + n * pixels;
            for (int oh = 0; oh < g.outH; oh++, src += outW) {
              int ih = oh * g.sh - g.padTop + ki;
              if (ih < 0 || ih >= g.height) {
                continue;
              }
              int dst = xBase + ih * g.width - g.padLeft + kj;
              if (g.sw == 1) {
                for (int ow = lo; ow < hi; ow++) { // unit stride: the JIT vectorizes it
                  dX[dst + ow] += cols[src + ow];
                }
              } else {
                for (int ow = lo; ow < hi; ow++) {
                  dX[dst + ow * g.sw] += cols[src + ow];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * cols on the wide grid: row (c, ki, kj), columns (n, oh, ow < W) = x[n, c, ki + oh, kj + ow] read as
   * one run of the plane from (ki, kj); columns with ow ≥ outW wrap into the next input row, and the last
   * ones, past the end of the plane, are zeros.
   */
  private void im2colWide(float[] x, int xOffset, int m) {
    int columns = m * gridP;
    int plane = g.height * g.width;
    for (int c = 0; c < g.channels; c++) {
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++) {
          int row = ((c * g.kh + ki) * g.kw + kj) * columns;
          int start = ki * g.width + kj;
          int run = Math.min(gridP, plane - start);
          for (int n = 0; n < m; n++) {
            int dst = row + n * gridP;
            System.arraycopy(x, xOffset + n * inSize + c * plane + start, cols, dst, run);
            for (int t = run; t < gridP; t++) {
              cols[dst + t] = 0f;
            }
          }
        }
      }
    }
  }

  /** col2im's wide-grid form: one contiguous add per (c, ki, kj, example); dX is zeroed by the caller. */
  private void col2imWide(float[] dX, int dxOffset, int m) {
    int columns = m * gridP;
    int plane = g.height * g.width;
    for (int c = 0; c < g.channels; c++) {
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++) {
          int row = ((c * g.kh + ki) * g.kw + kj) * columns;
          int start = ki * g.width + kj;
          int run = Math.min(gridP, plane - start); // columns past the plane are extra ones: dCols = 0
          for (int n = 0; n < m; n++) {
            int src = row + n * gridP;
            int dst = dxOffset + n * inSize + c * plane + start;
            for (int t = 0; t < run; t++) {
              dX[dst + t] += cols[src + t];
            }
          }
        }
      }
    }
  }
}
