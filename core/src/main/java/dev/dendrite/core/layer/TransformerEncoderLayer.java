package dev.dendrite.core.layer;

import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A transformer encoder block on {@code x [T, d]}, built from the layers it is made of: a
 * {@link MultiHeadAttentionLayer}, two {@link LayerNormLayer}s and a position-wise feed-forward network of two
 * {@link DenseLayer}s ({@code d → f} with the activation, {@code f → d} linear) run over all
 * {@code batch·T} rows at once.
 * <pre>
 *   post-norm (default):  h = LN1(x + MHA(x));        y = LN2(h + FF(h))
 *   pre-norm:             h = x + MHA(LN1(x));        y = h + FF(LN2(h))
 * </pre>
 * Backward follows the same graph in reverse; at each residual sum the gradient goes both ways and adds
 * where the paths meet. Parameters, in layout order: {@code attention/W_in, attention/b_in, attention/W_out,
 * attention/b_out, norm1/gamma, norm1/beta, ff1/W, ff1/b, ff2/W, ff2/b, norm2/gamma, norm2/beta} — the
 * tensors of PyTorch's {@code nn.TransformerEncoderLayer} ({@code self_attn.in_proj_weight}, ...,
 * {@code linear1}, {@code linear2}, {@code norm1}, {@code norm2}).
 */
public final class TransformerEncoderLayer extends AbstractLayer<TransformerEncoderConfig> {

  private final int steps;
  private final int model;
  private final int hidden;
  private final boolean preNorm;
  private final MultiHeadAttentionLayer attention;
  private final LayerNormLayer norm1;
  private final LayerNormLayer norm2;
  private final DenseLayer ff1;
  private final DenseLayer ff2;
  private final List<Layer> parts;
  private final List<String> partNames = List.of("attention", "norm1", "ff1", "ff2", "norm2");

  // [batch·T, d] unless noted; the roles of the post- and pre-norm graphs are named in forward()
  private float[] n1 = new float[0];   // pre: LN1(x)
  private float[] att = new float[0];  // MHA output
  private float[] r1 = new float[0];   // x + MHA(·)
  private float[] h = new float[0];    // post: LN1(r1); pre: LN2(r1)
  private float[] f1 = new float[0];   // [batch·T, f] the feed-forward's hidden layer
  private float[] f2 = new float[0];   // FF(h)
  private float[] r2 = new float[0];   // post: h + FF(h)
  private float[] dA = new float[0];
  private float[] dB = new float[0];
  private float[] dC = new float[0];
  private float[] dF1 = new float[0];  // [batch·T, f]

  TransformerEncoderLayer(String name, TransformerEncoderConfig config, Shape inputShape, Gemm gemm) {
    super(name, config, sequenceInput(TransformerEncoderConfig.TYPE, inputShape, "; e.g. an embedding's output [10, 32]"));
    this.steps = inputShape.dim(0);
    this.model = inputShape.dim(1);
    this.hidden = config.feedForward();
    this.preNorm = config.preNorm();
    MultiHeadAttentionConfig mha = MultiHeadAttentionConfig.of(config.heads(), config.causal());
    this.attention = new MultiHeadAttentionLayer(name + "/attention", mha, inputShape, gemm);
    LayerNormConfig ln = new LayerNormConfig(config.epsilon());
    this.norm1 = new LayerNormLayer(name + "/norm1", ln, inputShape);
    this.norm2 = new LayerNormLayer(name + "/norm2", ln, inputShape);
    // PyTorch initializes linear1/linear2 as nn.Linear does; Glorot/He per activation is Dendrite's dense default
    this.ff1 = new DenseLayer(name + "/ff1", DenseConfig.of(hidden, config.activation()), Shape.of(model), gemm);
    this.ff2 = new DenseLayer(name + "/ff2", DenseConfig.of(model, "identity"), Shape.of(hidden), gemm);
    this.parts = List.of(attention, norm1, ff1, ff2, norm2);
  }

  @Override
  public Shape outputShape() {
    return inputShape;
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      for (ParameterSpec s : parts.get(i).parameters()) {
        specs.add(new ParameterSpec(partNames.get(i) + "/" + s.name(), s.shape(), s.initializer(), s.fanIn(),
            s.fanOut(), s.l1(), s.l2(), s.trainable()));
      }
    }
    return specs;
  }

  @Override
  public void bind(float[] params, float[] grads, int offset) {
    for (Layer part : parts) {
      part.bind(params, grads, offset);
      for (ParameterSpec s : part.parameters()) {
        offset += s.shape().size();
      }
    }
  }

  @Override
  public void allocate(int maxBatch) {
    int rows = Math.multiplyExact(maxBatch, steps);
    int size = Math.multiplyExact(rows, model);
    if (att.length < size) {
      n1 = preNorm ? new float[size] : new float[0];
      att = new float[size];
      r1 = new float[size];
      h = new float[size];
      f1 = new float[Math.multiplyExact(rows, hidden)];
      f2 = new float[size];
      r2 = preNorm ? new float[0] : new float[size];
      dA = new float[size];
      dB = new float[size];
      dC = new float[size];
      dF1 = new float[rows * hidden];
    }
    attention.allocate(maxBatch);
    norm1.allocate(maxBatch);
    norm2.allocate(maxBatch);
    ff1.allocate(rows);
    ff2.allocate(rows);
  }

  @Override
  public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
    int rows = batch * steps;
    int size = rows * model;
    if (preNorm) {
      norm1.forward(x, xOffset, n1, batch, training, rng);         // n1 = LN1(x)
      attention.forward(n1, 0, att, batch, training, rng);         // att = MHA(n1)
      add(x, xOffset, att, r1, size);                              // r1 = x + att
      norm2.forward(r1, 0, h, batch, training, rng);               // h = LN2(r1)
      ff1.forward(h, 0, f1, rows, training, rng);
      ff2.forward(f1, 0, f2, rows, training, rng);                 // f2 = FF(h)
      add(r1, 0, f2, y, size);                                     // y = r1 + f2
    } else {
      attention.forward(x, xOffset, att, batch, training, rng);    // att = MHA(x)
      add(x, xOffset, att, r1, size);                              // r1 = x + att
      norm1.forward(r1, 0, h, batch, training, rng);               // h = LN1(r1)
      ff1.forward(h, 0, f1, rows, training, rng);
      ff2.forward(f1, 0, f2, rows, training, rng);                 // f2 = FF(h)
      add(h, 0, f2, r2, size);                                     // r2 = h + f2
      norm2.forward(r2, 0, y, batch, training, rng);               // y = LN2(r2)
    }
  }

  @Override
  public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
    int rows = batch * steps;
    int size = rows * model;
    if (preNorm) {
      // y = r1 + FF(h): dR1 = dY + (through FF and LN2)
      System.arraycopy(dY, 0, dA, 0, size);                        // dA = ∂L/∂f2 (ff2 may overwrite it)
      ff2.backward(f1, 0, f2, dA, dF1, rows);
      ff1.backward(h, 0, f1, dF1, dB, rows);                       // dB = ∂L/∂h
      norm2.backward(r1, 0, h, dB, dC, batch);                     // dC = ∂L/∂r1 through LN2
      addInto(dY, dC, size);                                       // dC = ∂L/∂r1 = dY + that
      System.arraycopy(dC, 0, dA, 0, size);                        // dA = ∂L/∂att
      attention.backward(n1, 0, att, dA, dB, batch);               // dB = ∂L/∂n1
      norm1.backward(x, xOffset, n1, dB, dX, batch);               // dX = ∂L/∂x through LN1 ...
      if (dX != null) {
        addInto(dC, dX, size);                                     // ... + the residual path
      }
    } else {
      norm2.backward(r2, 0, y, dY, dC, batch);                     // dC = ∂L/∂r2
      System.arraycopy(dC, 0, dA, 0, size);                        // dA = ∂L/∂f2
      ff2.backward(f1, 0, f2, dA, dF1, rows);
      ff1.backward(h, 0, f1, dF1, dB, rows);                       // dB = ∂L/∂h through FF ...
      addInto(dC, dB, size);                                       // ... + the residual path
      norm1.backward(r1, 0, h, dB, dC, batch);                     // dC = ∂L/∂r1
      System.arraycopy(dC, 0, dA, 0, size);                        // dA = ∂L/∂att
      attention.backward(x, xOffset, att, dA, dX, batch);          // dX = ∂L/∂x through MHA ...
      if (dX != null) {
        addInto(dC, dX, size);                                     // ... + the residual path
      }
    }
  }

  /** {@code out = a[aOffset..] + b}. */
  private static void add(float[] a, int aOffset, float[] b, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = a[aOffset + i] + b[i];
    }
  }

  /** {@code dst += src}. */
  private static void addInto(float[] src, float[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] += src[i];
    }
  }
}
