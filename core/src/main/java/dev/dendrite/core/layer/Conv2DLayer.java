package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.activation.Identity;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.network.ParameterSpec;
import dev.dendrite.core.network.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution (cross-correlation, as PyTorch and Keras compute it) by im2col and one GEMM per batch:
 * {@code y = g(W ⋆ x + b)} with {@code W [F, C, kh, kw]} (PyTorch's layout) and {@code b [F]}; inputs
 * {@code [batch, C, H, W]}, outputs {@code [batch, F, outH, outW]}.
 *
 * <p>Forward: {@code cols [C·kh·kw, batch·P]} (P = outH·outW; column {@code n·P + p} holds the window of
 * output pixel p of example n, zeros where it overlaps the padding), then
 * {@code Z' [F, batch·P] = W [F, C·kh·kw] · cols}, and Z' is permuted to {@code z [batch, F, P]} (runs of P
 * contiguous floats, so the permutation is P-long copies) while b is added. Keeping the batch inside the
 * GEMM's columns gives one large multiply instead of one per example.
 *
 * <p>Backward: {@code dZ} is permuted back to {@code dZ' [F, batch·P]}; {@code dW += dZ' · colsᵀ},
 * {@code db += Σ_columns dZ'}, {@code dCols = Wᵀ · dZ'} (written over cols, which backward no longer
 * needs), and col2im adds every column back onto the input pixels it came from to give dX.
 */
public final class Conv2DLayer implements ActivatedLayer {

  private final String name;
  private final Conv2DConfig config;
  private final Shape inputShape;
  private final Shape outputShape;
  private final Window2D g;
  private final int filters;
  private final int patch;   // C·kh·kw: rows of cols, columns of W
  private final int pixels;  // P = outH·outW
  private final int inSize;  // C·H·W
  private final int outSize; // F·P
  private final int[] firstColumn; // per kernel column kj: output columns whose input column is inside
  private final int[] endColumn;
  private final Activation activation;
  private final boolean linear;
  private final Gemm gemm;

  private float[] params;
  private float[] grads;
  private int wOffset;
  private int bOffset;
  private float[] cols = new float[0]; // [C·kh·kw, batch·P] im2col; dCols in backward
  private float[] zt = new float[0];   // [F, batch·P] GEMM output in forward; dZ' in backward
  private float[] z = new float[0];    // [batch, F, P] pre-activation; y itself when linear

  Conv2DLayer(String name, Conv2DConfig config, Shape inputShape, Gemm gemm) {
    this.name = name;
    this.config = config;
    this.inputShape = inputShape;
    this.g = new Window2D(Conv2DConfig.TYPE, "kernel_size", inputShape, config.kernelHeight(),
        config.kernelWidth(), config.strideHeight(), config.strideWidth(), config.padding());
    this.filters = config.filters();
    this.patch = Math.multiplyExact(g.channels, g.kh * g.kw);
    this.pixels = g.outH * g.outW;
    this.inSize = inputShape.size();
    this.outputShape = g.outputShape(filters);
    this.outSize = outputShape.size();
    this.firstColumn = new int[g.kw];
    this.endColumn = new int[g.kw];
    for (int kj = 0; kj < g.kw; kj++) {
      firstColumn[kj] = g.firstColumn(kj);
      endColumn[kj] = Math.max(firstColumn[kj], g.endColumn(kj));
    }
    this.activation = Activations.parse(config.activation());
    this.linear = activation instanceof Identity;
    this.gemm = gemm;
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
    int columns = Math.multiplyExact(maxBatch, pixels);
    if (cols.length < Math.multiplyExact(patch, columns)) {
      cols = new float[patch * columns];
    }
    if (zt.length < Math.multiplyExact(filters, columns)) {
      zt = new float[filters * columns];
    }
    if (!linear && z.length < maxBatch * outSize) {
      z = new float[maxBatch * outSize];
    }
  }

  @Override
  public float[] preActivation() {
    return z;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int columns = batch * pixels;
    im2col(x, xOffset, batch);
    // Z' [F, batch·P] = W [F, C·kh·kw] · cols [C·kh·kw, batch·P]
    gemm.gemm(false, false, filters, columns, patch, 1f, params, wOffset, patch, cols, 0, columns, 0f, zt, 0,
        columns);
    float[] pre = linear ? y : z;
    if (linear) {
      z = y; // the output is the pre-activation
    }
    // pre [batch, F, P] = permute(Z') + b
    for (int f = 0; f < filters; f++) {
      float bias = params[bOffset + f];
      for (int n = 0; n < batch; n++) {
        int src = f * columns + n * pixels;
        int dst = (n * filters + f) * pixels;
        for (int p = 0; p < pixels; p++) {
          pre[dst + p] = zt[src + p] + bias;
        }
      }
    }
    if (!linear) {
      activation.forward(pre, y, batch, outSize);
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    activation.backward(linear ? y : z, y, dY, dY, batch, outSize); // dY becomes dZ in place
    backwardPreActivation(x, xOffset, dY, dX, batch);
  }

  @Override
  public void backwardPreActivation(float[] x, int xOffset, float[] dZ, float[] dX, int batch) {
    int columns = batch * pixels;
    // dZ' [F, batch·P] = permute(dZ [batch, F, P]); db [F] += row sums of dZ'
    for (int f = 0; f < filters; f++) {
      double sum = 0;
      for (int n = 0; n < batch; n++) {
        int src = (n * filters + f) * pixels;
        int dst = f * columns + n * pixels;
        System.arraycopy(dZ, src, zt, dst, pixels);
        for (int p = 0; p < pixels; p++) {
          sum += dZ[src + p];
        }
      }
      grads[bOffset + f] += (float) sum;
    }
    // dW [F, C·kh·kw] += dZ' [F, batch·P] · colsᵀ [batch·P, C·kh·kw]
    gemm.gemm(false, true, filters, patch, columns, 1f, zt, 0, columns, cols, 0, columns, 1f, grads, wOffset,
        patch);
    if (dX != null) {
      // dCols [C·kh·kw, batch·P] = Wᵀ [C·kh·kw, F] · dZ' [F, batch·P], over cols
      gemm.gemm(true, false, patch, columns, filters, 1f, params, wOffset, patch, zt, 0, columns, 0f, cols, 0,
          columns);
      col2im(dX, batch);
    }
  }

  /** cols [C·kh·kw, batch·P]: row (c, ki, kj), column (n, oh, ow) = x[n, c, oh·sh - top + ki, ow·sw - left + kj]. */
  private void im2col(float[] x, int xOffset, int batch) {
    int columns = batch * pixels;
    int plane = g.height * g.width;
    int outW = g.outW;
    for (int c = 0; c < g.channels; c++) {
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++) {
          int row = ((c * g.kh + ki) * g.kw + kj) * columns;
          int lo = firstColumn[kj];
          int hi = endColumn[kj];
          for (int n = 0; n < batch; n++) {
            int xBase = xOffset + n * inSize + c * plane;
            int dst = row + n * pixels;
            for (int oh = 0; oh < g.outH; oh++, dst += outW) {
              int ih = oh * g.sh - g.padTop + ki;
              if (ih < 0 || ih >= g.height) {
                Arrays.fill(cols, dst, dst + outW, 0f);
                continue;
              }
              int src = xBase + ih * g.width - g.padLeft + kj; // input column of ow is src + ow·sw
              if (lo > 0) {
                Arrays.fill(cols, dst, dst + lo, 0f);
              }
              if (g.sw == 1) {
                System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
              } else {
                for (int ow = lo; ow < hi; ow++) {
                  cols[dst + ow] = x[src + ow * g.sw];
                }
              }
              if (hi < outW) {
                Arrays.fill(cols, dst + hi, dst + outW, 0f);
              }
            }
          }
        }
      }
    }
  }

  /** dX [batch, C, H, W] = Σ of the columns of dCols over the pixels they were copied from (im2col's adjoint). */
  private void col2im(float[] dX, int batch) {
    Arrays.fill(dX, 0, batch * inSize, 0f);
    int columns = batch * pixels;
    int plane = g.height * g.width;
    int outW = g.outW;
    for (int c = 0; c < g.channels; c++) {
      for (int ki = 0; ki < g.kh; ki++) {
        for (int kj = 0; kj < g.kw; kj++) {
          int row = ((c * g.kh + ki) * g.kw + kj) * columns;
          int lo = firstColumn[kj];
          int hi = endColumn[kj];
          for (int n = 0; n < batch; n++) {
            int xBase = n * inSize + c * plane;
            int src = row + n * pixels;
            for (int oh = 0; oh < g.outH; oh++, src += outW) {
              int ih = oh * g.sh - g.padTop + ki;
              if (ih < 0 || ih >= g.height) {
                continue;
              }
              int dst = xBase + ih * g.width - g.padLeft + kj;
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
