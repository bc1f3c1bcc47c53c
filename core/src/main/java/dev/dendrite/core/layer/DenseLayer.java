package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.activation.ElementwiseActivation;
import dev.dendrite.core.activation.Identity;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code y = g(x Wᵀ + b)} with {@code W [out, in]} (row-major, as PyTorch stores it) and {@code b [out]}.
 * Backward: {@code dZ = g'(z) ⊙ dY}, {@code dW += dZᵀ x}, {@code db += Σ_rows dZ}, {@code dX = dZ W} (with
 * {@code =} for dW and db once the owning network lets it overwrite its gradient slice).
 */
public final class DenseLayer extends AbstractLayer<DenseConfig> implements ActivatedLayer {

  private final Shape outputShape;
  private final int in;
  private final int out;
  private final Activation activation;
  private final boolean linear;
  private final Gemm gemm;

  private float[] params;
  private float[] grads;
  private int wOffset;
  private int bOffset;
  private float[] z = new float[0]; // [batch, out] pre-activation; aliases y's role when linear
  private boolean overwrite; // backward writes dW and db instead of adding (the network stopped zeroing them)

  DenseLayer(String name, DenseConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, inputShape);
    this.in = inputShape.size();
    this.out = config.units();
    this.outputShape = Shape.of(out);
    this.activation = Activations.parse(config.activation());
    this.linear = activation instanceof Identity;
    this.gemm = gemm;
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
    return Affine.parameters(in, out, config.kernelInit(), config.biasInit(), config.l1(), config.l2());
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    this.params = params;
    this.grads = grads;
    this.wOffset = offset;
    this.bOffset = offset + out * in;
  }

  @Override
  public void allocate(int maxBatch) {
    if (!linear && z.length < maxBatch * out) {
      z = new float[maxBatch * out];
    }
  }

  @Override
  public float[] preActivation() {
    return z;
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    if (linear) {
      z = y; // the output is the pre-activation
    }
    forwardUnits(gemm, x, xOffset, y, batch, 0, out, false);
    activate(y, batch);
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    activation.backward(linear ? y : z, y, dY, dY, batch, out); // dY becomes dZ in place
    backwardPreActivation(x, xOffset, dY, dX, batch);
  }

  @Override
  public boolean overwriteGradients() {
    overwrite = true;
    return true;
  }

  @Override
  public void backwardPreActivation(float[] x, int xOffset, float[] dZ, float[] dX, int batch) {
    if (overwrite) {
      backwardUnits(gemm, x, xOffset, null, dZ, batch, 0, out, false);
    } else {
      // dW [out, in] += dZᵀ [out, batch] · x [batch, in]; db [out] += column sums of dZ
      gemm.gemm(true, false, out, in, batch, 1f, dZ, 0, out, x, xOffset, in, 1f, grads, wOffset, in);
      for (int r = 0; r < batch; r++) {
        int row = r * out;
        for (int j = 0; j < out; j++) {
          grads[bOffset + j] += dZ[row + j];
        }
      }
    }
    if (dX != null) {
      backwardInputs(gemm, dZ, dX, batch, 0, in);
    }
  }

  /**
   * Units {@code [from, to)} of {@link #forward}: columns {@code [from, to)} of the pre-activation for every
   * row, and of the output too when {@code activate} (for an elementwise activation only; otherwise
   * {@link #activate} applies the activation to whole rows afterwards). Threads that each compute
   * disjoint units with their own {@code gemm} together compute what {@link #forward} computes.
   */
  public void forwardUnits(Gemm gemm, float[] x, int xOffset, float[] y, int batch, int from, int to,
                           boolean activate) {
    if (from == to) {
      return;
    }
    float[] pre = preActivation(y);
    int units = to - from;
    // pre [batch, from:to] = x [batch, in] · W[from:to, in]ᵀ, after broadcasting b[from:to] into every row
    for (int r = 0; r < batch; r++) {
      System.arraycopy(params, bOffset + from, pre, r * out + from, units);
    }
    gemm.gemm(false, true, batch, units, in, 1f, x, xOffset, in, params, wOffset + from * in, in, 1f, pre, from,
        out);
    if (activate && !linear) {
      ElementwiseActivation g = (ElementwiseActivation) activation;
      for (int r = 0; r < batch; r++) {
        g.forwardRange(pre, y, r * out + from, r * out + to);
      }
    }
  }

  /** The activation over whole rows of a pre-activation that {@link #forwardUnits} left unactivated. */
  public void activate(float[] y, int batch) {
    if (!linear) {
      activation.forward(z, y, batch, out);
    }
  }

  /** The pre-activation buffer of the last forward pass whose output went to {@code y}. */
  public float[] preActivation(float[] y) {
    return linear ? y : z;
  }

  /**
   * Units {@code [from, to)} of {@link #backward}, without the input gradient: for every row, columns
   * {@code [from, to)} of {@code dY} become dZ in place (unless {@code activated} is false, when they hold
   * dZ already), then rows {@code [from, to)} of dW and elements {@code [from, to)} of db are written
   * (the network owns the gradient slice: {@link #overwriteGradients}).
   */
  public void backwardUnits(Gemm gemm, float[] x, int xOffset, float[] y, float[] dY, int batch, int from,
                            int to, boolean activated) {
    if (from == to) {
      return;
    }
    if (!overwrite) {
      throw new IllegalStateException(name() + ": backwardUnits writes its gradient, but the layer adds into it");
    }
    if (activated) {
      backwardActivation(y, dY, batch, from, to);
    }
    int units = to - from;
    // dW [from:to, in] = dZ[:, from:to]ᵀ · x
    gemm.gemm(true, false, units, in, batch, 1f, dY, from, out, x, xOffset, in, 0f, grads, wOffset + from * in, in);
    // db [from:to] = column sums of dZ, from +0 as if added into a zeroed slice
    Kernels.columnSums(dY, out, batch, from, to, grads, bOffset + from);
  }

  /**
   * Units {@code [from, to)} of the activation's backward pass: on every row, columns {@code [from, to)} of
   * {@code dY}, the gradient with respect to the output {@code y} of the last forward pass, become dZ in
   * place. A linear layer leaves them as they are.
   */
  public void backwardActivation(float[] y, float[] dY, int batch, int from, int to) {
    if (!linear && from < to) {
      ElementwiseActivation g = (ElementwiseActivation) activation;
      for (int r = 0; r < batch; r++) {
        g.backwardRange(z, y, dY, dY, r * out + from, r * out + to);
      }
    }
  }

  /**
   * Columns {@code [from, to)} (input features) of the input gradient {@code dX = dZ · W}, once every unit's
   * dZ is in {@code dZ}.
   */
  public void backwardInputs(Gemm gemm, float[] dZ, float[] dX, int batch, int from, int to) {
    if (from < to) { // dX [batch, from:to] = dZ [batch, out] · W [out, from:to]
      gemm.gemm(false, false, batch, to - from, out, 1f, dZ, 0, out, params, wOffset + from, in, 0f, dX, from, in);
    }
  }

  /** The weight matrix's first index and the bias's first index in the bound parameter vector. */
  public int weightOffset() {
    return wOffset;
  }

  public int biasOffset() {
    return bOffset;
  }
}
