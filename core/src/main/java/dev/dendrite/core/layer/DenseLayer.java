package dev.dendrite.core.layer;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Activations;
import dev.dendrite.core.activation.Identity;
import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code y = g(x Wᵀ + b)} with {@code W [out, in]} (row-major, as PyTorch stores it) and {@code b [out]}.
 * Backward: {@code dZ = g'(z) ⊙ dY}, {@code dW += dZᵀ x}, {@code db += Σ_rows dZ}, {@code dX = dZ W} (with
 * {@code =} for dW and db once the owning network lets it overwrite its gradient slice).
 */
public final class DenseLayer implements ActivatedLayer {

  private final String name;
  private final DenseConfig config;
  private final Shape inputShape;
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
    this.name = name;
    this.config = config;
    this.inputShape = inputShape;
    this.in = inputShape.size();
    this.out = config.units();
    this.outputShape = Shape.of(out);
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
    return List.of(
        new ParameterSpec("W", Shape.of(out, in), Initializers.parse(config.kernelInit()), in, out,
            config.l1(), config.l2()),
        new ParameterSpec("b", Shape.of(out), Initializers.parse(config.biasInit()), in, out, 0, 0));
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
    float[] pre = linear ? y : z;
    if (linear) {
      z = y; // the output is the pre-activation
    }
    // pre [batch, out] = x [batch, in] · Wᵀ [in, out], after broadcasting b into every row
    for (int r = 0; r < batch; r++) {
      System.arraycopy(params, bOffset, pre, r * out, out);
    }
    gemm.gemm(false, true, batch, out, in, 1f, x, xOffset, in, params, wOffset, in, 1f, pre, 0, out);
    if (!linear) {
      activation.forward(pre, y, batch, out);
    }
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
    // dW [out, in] (+)= dZᵀ [out, batch] · x [batch, in]
    gemm.gemm(true, false, out, in, batch, 1f, dZ, 0, out, x, xOffset, in, overwrite ? 0f : 1f, grads, wOffset, in);
    // db [out] (+)= column sums of dZ
    int firstRow = 0;
    if (overwrite) {
      for (int j = 0; j < out; j++) {
        grads[bOffset + j] = 0f + dZ[j]; // as adding into a zeroed slice: -0 becomes +0, all else is kept
      }
      firstRow = 1;
    }
    for (int r = firstRow; r < batch; r++) {
      int row = r * out;
      for (int j = 0; j < out; j++) {
        grads[bOffset + j] += dZ[row + j];
      }
    }
    if (dX != null) {
      // dX [batch, in] = dZ [batch, out] · W [out, in]
      gemm.gemm(false, false, batch, in, out, 1f, dZ, 0, out, params, wOffset, in, 0f, dX, 0, in);
    }
  }
}
