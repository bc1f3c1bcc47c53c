package dev.dendrite.core.network;

import dev.dendrite.core.layer.ActivationConfig;
import dev.dendrite.core.layer.AvgPool2DConfig;
import dev.dendrite.core.layer.BatchNormConfig;
import dev.dendrite.core.layer.Conv2DConfig;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.DropoutConfig;
import dev.dendrite.core.layer.EmbeddingConfig;
import dev.dendrite.core.layer.FlattenConfig;
import dev.dendrite.core.layer.GruConfig;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.layer.LayerNormConfig;
import dev.dendrite.core.layer.LstmConfig;
import dev.dendrite.core.layer.MaxPool2DConfig;
import dev.dendrite.core.layer.MaxoutConfig;
import dev.dendrite.core.layer.MultiHeadAttentionConfig;
import dev.dendrite.core.layer.PReluConfig;
import dev.dendrite.core.layer.PositionalEmbeddingConfig;
import dev.dendrite.core.layer.SimpleRnnConfig;
import dev.dendrite.core.layer.TimeDistributedDenseConfig;
import dev.dendrite.core.layer.TransformerEncoderConfig;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a sequential network the way a Keras user writes one:
 * <pre>{@code
 * Network net = Network.builder(784)
 *     .dense(256, "relu")
 *     .dropout(0.2)
 *     .dense(10, "softmax")
 *     .seed(42)
 *     .build();
 * }</pre>
 */
public final class NetworkBuilder {

  private final int[] inputShape;
  private final List<LayerConfig> layers = new ArrayList<>();
  private long seed = 1;
  private Gemm gemm;

  NetworkBuilder(int[] inputShape) {
    this.inputShape = inputShape.clone();
  }

  /** A dense layer with {@code units} outputs and activation g (He init for ReLU-like g, else Glorot). */
  public NetworkBuilder dense(int units, String activation) {
    return add(DenseConfig.of(units, activation));
  }

  /** A linear dense layer. */
  public NetworkBuilder dense(int units) {
    return dense(units, "identity");
  }

  /** A dense layer with L1/L2 penalties on its weights. */
  public NetworkBuilder dense(int units, String activation, double l1, double l2) {
    return add(DenseConfig.of(units, activation).withRegularization(l1, l2));
  }

  public NetworkBuilder activation(String activation) {
    return add(new ActivationConfig(activation));
  }

  public NetworkBuilder dropout(double rate) {
    return add(new DropoutConfig(rate));
  }

  /** A PReLU layer: a learned slope per input element for x ≤ 0, starting at 0.25. */
  public NetworkBuilder prelu() {
    return add(PReluConfig.of());
  }

  /** A PReLU layer whose slopes start from {@code alphaInit}, e.g. {@code constant(0.1)}. */
  public NetworkBuilder prelu(String alphaInit) {
    return add(new PReluConfig(alphaInit));
  }

  /** A maxout layer: {@code units} outputs, each the maximum of {@code pieces} affine functions. */
  public NetworkBuilder maxout(int units, int pieces) {
    return add(MaxoutConfig.of(units, pieces));
  }

  /** A 2-D convolution: {@code filters} square {@code kernel × kernel} filters, stride 1, padding valid. */
  public NetworkBuilder conv2d(int filters, int kernel, String activation) {
    return add(Conv2DConfig.of(filters, kernel, activation));
  }

  /** A 2-D convolution with a square stride and padding {@code valid} or {@code same}. */
  public NetworkBuilder conv2d(int filters, int kernel, int stride, String padding, String activation) {
    return add(Conv2DConfig.of(filters, kernel, stride, padding, activation));
  }

  /** Max pooling over {@code pool × pool} windows, stride = pool, padding valid. */
  public NetworkBuilder maxPool2d(int pool) {
    return add(MaxPool2DConfig.of(pool));
  }

  /** Average pooling over {@code pool × pool} windows, stride = pool, padding valid. */
  public NetworkBuilder avgPool2d(int pool) {
    return add(AvgPool2DConfig.of(pool));
  }

  /** Flattens each example, e.g. {@code [64, 5, 5]} to {@code [1600]}. */
  public NetworkBuilder flatten() {
    return add(new FlattenConfig());
  }

  /** Batch normalization with Keras' defaults (momentum 0.99, epsilon 1e-3). */
  public NetworkBuilder batchNorm() {
    return add(BatchNormConfig.of());
  }

  /** An embedding table of {@code vocabulary} rows of {@code dimension} for integer-id inputs. */
  public NetworkBuilder embedding(int vocabulary, int dimension) {
    return add(EmbeddingConfig.of(vocabulary, dimension));
  }

  /** A tanh recurrent layer on [steps, features] inputs: the last hidden state, or all with returnSequences. */
  public NetworkBuilder simpleRnn(int units, boolean returnSequences) {
    return add(SimpleRnnConfig.of(units, returnSequences));
  }

  /** An LSTM layer on [steps, features] inputs: the last hidden state, or all with returnSequences. */
  public NetworkBuilder lstm(int units, boolean returnSequences) {
    return add(LstmConfig.of(units, returnSequences));
  }

  /** A GRU layer on [steps, features] inputs: the last hidden state, or all with returnSequences. */
  public NetworkBuilder gru(int units, boolean returnSequences) {
    return add(GruConfig.of(units, returnSequences));
  }

  /** Layer normalization over the last axis (epsilon 1e-5). */
  public NetworkBuilder layerNorm() {
    return add(LayerNormConfig.of());
  }

  /** A learned positional embedding added to a [steps, features] sequence. */
  public NetworkBuilder positionalEmbedding() {
    return add(PositionalEmbeddingConfig.of());
  }

  /** Multi-head self-attention on [steps, features] inputs; {@code causal} masks out later positions. */
  public NetworkBuilder multiHeadAttention(int heads, boolean causal) {
    return add(MultiHeadAttentionConfig.of(heads, causal));
  }

  /** A post-norm transformer encoder block with a ReLU feed-forward of {@code feedForward} units. */
  public NetworkBuilder transformerEncoder(int heads, int feedForward) {
    return add(TransformerEncoderConfig.of(heads, feedForward));
  }

  /** A dense layer applied to every position of a [steps, features] sequence: a many-to-many output. */
  public NetworkBuilder timeDistributedDense(int units, String activation) {
    return add(TimeDistributedDenseConfig.of(units, activation));
  }

  /** Any layer, e.g. one built from a config record. */
  public NetworkBuilder add(LayerConfig layer) {
    layers.add(layer);
    return this;
  }

  /** The seed of the initial weights (default 1). */
  public NetworkBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The GEMM backend (default: {@link Gemms#create()}). */
  public NetworkBuilder gemm(Gemm gemm) {
    this.gemm = gemm;
    return this;
  }

  /** The architecture as a config record, for config and model files. */
  public NetworkConfig config() {
    return new NetworkConfig(inputShape, layers);
  }

  /** The network with weights initialized from the seed. */
  public Network build() {
    Network network = new Network(config(), gemm == null ? Gemms.create() : gemm);
    return network.initialize(seed);
  }
}
