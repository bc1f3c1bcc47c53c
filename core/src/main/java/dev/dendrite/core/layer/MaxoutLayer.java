package dev.dendrite.core.layer;

import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Maxout with u units of k pieces: {@code z = x Wᵀ + b} with {@code W [u·k, in]}, {@code b [u·k]}, and
 * {@code y_j = max_p z_{j·k+p}}. Pieces are unit-major: row {@code j·k + p} of W is piece p of unit j,
 * so a unit's pieces are adjacent in z. Backward sends {@code dY_j} to the winning piece only (ties go
 * to the lowest piece index): {@code dZ} is sparse, then {@code dW += dZᵀ x}, {@code db += Σ_rows dZ},
 * {@code dX = dZ W}.
 */
public final class MaxoutLayer extends AbstractLayer<MaxoutConfig> {

  private final Shape outputShape;
  private final int in;
  private final int units;
  private final int pieces;
  private final int width; // u·k, the columns of z
  private final Gemm gemm;

  private float[] params;
  private float[] grads;
  private int wOffset;
  private int bOffset;
  private float[] z = new float[0];   // [batch, u·k] pre-activations of the last forward
  private float[] dZ = new float[0];  // [batch, u·k] scratch for backward
  private int[] argmax = new int[0];  // [batch, u] the winning piece p of each unit

  MaxoutLayer(String name, MaxoutConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, inputShape);
    this.in = inputShape.size();
    this.units = config.units();
    this.pieces = config.pieces();
    this.width = Math.multiplyExact(units, pieces);
    this.outputShape = Shape.of(units);
    this.gemm = gemm;
  }

  @Override
  public Shape outputShape() {
    return outputShape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return Affine.parameters(in, width, config.kernelInit(), config.biasInit(), config.l1(), config.l2());
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.wOffset = offset;
    this.bOffset = offset + width * in;
  }

  @Override
  public void allocate(int maxBatch) {
    if (z.length < maxBatch * width) {
      z = new float[maxBatch * width];
      dZ = new float[maxBatch * width];
    }
    if (argmax.length < maxBatch * units) {
      argmax = new int[maxBatch * units];
    }
  }

  /** The pre-activations z of the last forward, {@code [batch, u·k]} unit-major: for tests. */
  public float[] preActivation() {
    return z;
  }

  /** The winning piece per (row, unit) of the last forward, {@code [batch, u]}: for tests. */
  public int[] argmax() {
    return argmax;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    // z [batch, u·k] = x [batch, in] · Wᵀ [in, u·k], after broadcasting b into every row
    for (int r = 0; r < batch; r++) {
      System.arraycopy(params, bOffset, z, r * width, width);
    }
    gemm.gemm(false, true, batch, width, in, 1f, x, xOffset, in, params, wOffset, in, 1f, z, 0, width);
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < units; j++) {
        int base = r * width + j * pieces;
        int best = 0;
        float max = z[base];
        for (int p = 1; p < pieces; p++) {
          if (z[base + p] > max) {
            max = z[base + p];
            best = p;
          }
        }
        y[r * units + j] = max;
        argmax[r * units + j] = best;
      }
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    // dZ [batch, u·k]: dY_j at the winning piece of unit j, 0 elsewhere
    Arrays.fill(dZ, 0, batch * width, 0f);
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < units; j++) {
        dZ[r * width + j * pieces + argmax[r * units + j]] = dY[r * units + j];
      }
    }
    // dW [u·k, in] += dZᵀ [u·k, batch] · x [batch, in]
    gemm.gemm(true, false, width, in, batch, 1f, dZ, 0, width, x, xOffset, in, 1f, grads, wOffset, in);
    // db [u·k] += column sums of dZ (only winners are non-zero)
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < units; j++) {
        grads[bOffset + j * pieces + argmax[r * units + j]] += dY[r * units + j];
      }
    }
    if (dX != null) {
      // dX [batch, in] = dZ [batch, u·k] · W [u·k, in]
      gemm.gemm(false, false, batch, in, width, 1f, dZ, 0, width, params, wOffset, in, 0f, dX, 0, in);
    }
  }
}
