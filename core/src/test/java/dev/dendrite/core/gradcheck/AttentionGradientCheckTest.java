package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static dev.dendrite.core.gradcheck.RecurrentGradientCheckTest.assertChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.LayerNormConfig;
import dev.dendrite.core.layer.MultiHeadAttentionConfig;
import dev.dendrite.core.layer.MultiHeadAttentionLayer;
import dev.dendrite.core.layer.PositionalEmbeddingConfig;
import dev.dendrite.core.layer.TimeDistributedDenseConfig;
import dev.dendrite.core.layer.TransformerEncoderConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attention layers pass the numerical gradient check on sequences of T = 4 positions of d = 4 features:
 * each behind a position-wise tanh layer (so its dX is checked too) and before a dense output over all
 * positions with MSE, or a position-wise softmax with per-position cross-entropy.
 */
class AttentionGradientCheckTest {

  private static final int BATCH = 3;
  private static final int T = 4;
  private static final int D = 4;
  private static final float[] X = uniform(41, BATCH * T * D, -2, 2);
  private static final float[] T3 = uniform(42, BATCH * 3, -2, 2);

  private static Gemm gemm(String backend) {
    return Gemms.factory(backend).get();
  }

  /** A position-wise tanh layer with random biases, so the layer under test sees varied rows. */
  private static TimeDistributedDenseConfig front() {
    return new TimeDistributedDenseConfig(D, "tanh", "glorot_uniform", "uniform(0.5)", 0, 0);
  }

  private static void check(Network net) {
    assertChecked(new GradientCheck(net, new MeanSquaredError()).batch(X, T3, null, BATCH).run());
  }

  @Test
  void layerNormalization() {
    check(Network.builder(T, D).add(front()).add(new LayerNormConfig(1e-5)).dense(3)
        .gemm(new EjmlGemm()).seed(1).build());
  }

  @Test
  void layerNormalizationAsTheFirstLayer() {
    check(Network.builder(T, D).layerNorm().add(front()).dense(3).gemm(new EjmlGemm()).seed(2).build());
  }

  @Test
  void learnedPositionalEmbedding() {
    check(Network.builder(T, D).add(front()).add(new PositionalEmbeddingConfig("uniform(0.5)")).add(front())
        .dense(3).gemm(new EjmlGemm()).seed(3).build());
  }

  @ParameterizedTest
  @CsvSource({"ejml, false", "ejml, true", "blas, false", "blas, true"})
  void multiHeadSelfAttention(String backend, boolean causal) {
    MultiHeadAttentionConfig mha = MultiHeadAttentionConfig.of(2, causal).withInit("glorot_uniform", "uniform(0.3)");
    check(Network.builder(T, D).add(front()).add(mha).dense(3).gemm(gemm(backend)).seed(4).build());
  }

  @Test
  void oneHeadAndFourHeads() {
    for (int heads : new int[] {1, 4}) {
      check(Network.builder(T, D).add(front()).add(MultiHeadAttentionConfig.of(heads, false)).dense(3)
          .gemm(new EjmlGemm()).seed(5).build());
    }
  }

  @Test
  void theCausalMaskHidesLaterPositions() {
    Network net = Network.builder(T, D).add(MultiHeadAttentionConfig.of(2, true)).gemm(new EjmlGemm()).seed(6)
        .build();
    float[] x = X.clone();
    float[] before = net.forward(x, 0, 1, false, null).clone();
    for (int j = 0; j < D; j++) {
      x[(T - 1) * D + j] += 1f; // change only the last position of example 0
    }
    float[] after = net.forward(x, 0, 1, false, null);
    for (int i = 0; i < (T - 1) * D; i++) {
      assertEquals(before[i], after[i], 0f, "output " + i + " (position " + i / D + ") saw the last position");
    }
    boolean lastChanged = false;
    for (int i = (T - 1) * D; i < T * D; i++) {
      lastChanged |= before[i] != after[i];
    }
    assertTrue(lastChanged, "the last position's output ignores its own input");
    float[] p = ((MultiHeadAttentionLayer) net.layers().get(0)).attentionWeights();
    for (int i = 0; i < T; i++) {
      double row = 0;
      for (int j = 0; j < T; j++) {
        row += p[i * T + j];
        if (j > i) {
          assertEquals(0f, p[i * T + j], "weight of position " + j + " seen from " + i);
        }
      }
      assertEquals(1.0, row, 1e-6, "attention weights of row " + i);
    }
  }

  @ParameterizedTest
  @CsvSource({"post, false, ejml", "pre, false, ejml", "post, true, ejml", "pre, true, blas"})
  void transformerEncoderBlock(String norm, boolean causal, String backend) {
    // tanh in the feed-forward: ReLU's kink is the dense layer's, checked elsewhere with a margin
    TransformerEncoderConfig block = TransformerEncoderConfig.of(2, 8).withNorm(norm).withCausal(causal)
        .withActivation("tanh");
    check(Network.builder(T, D).add(front()).add(block).dense(3).gemm(gemm(backend)).seed(7).build());
  }

  @Test
  void twoStackedBlocksBehindAnEmbedding() {
    float[] ids = new float[BATCH * T];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 7) % 5;
    }
    Network net = Network.builder(T).embedding(5, D).add(new PositionalEmbeddingConfig("uniform(0.5)"))
        .add(TransformerEncoderConfig.of(2, 6).withActivation("tanh"))
        .add(TransformerEncoderConfig.of(1, 6).withActivation("tanh").withNorm("pre"))
        .dense(3).gemm(new EjmlGemm()).seed(8).build();
    assertChecked(new GradientCheck(net, new MeanSquaredError()).batch(ids, T3, null, BATCH).run());
  }

  @Test
  void positionWiseSoftmaxWithPerPositionCrossEntropy() {
    float[] labels = new float[BATCH * T]; // one class in [0, 3) per position
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (i * 5) % 3;
    }
    Network net = Network.builder(T, D)
        .add(MultiHeadAttentionConfig.of(2, false).withInit("glorot_uniform", "uniform(0.3)"))
        .add(TimeDistributedDenseConfig.of(3, "softmax")).gemm(new EjmlGemm()).seed(9).build();
    assertEquals(T, net.outputPositions());
    assertEquals(T, net.targetWidth(new SparseCategoricalCrossEntropy()));
    assertChecked(new GradientCheck(net, new SparseCategoricalCrossEntropy()).batch(X, labels, null, BATCH).run());
    float[] weights = {0.5f, 2f, 1f};
    assertChecked(new GradientCheck(net, new SparseCategoricalCrossEntropy()).batch(X, labels, weights, BATCH)
        .run());
  }
}
