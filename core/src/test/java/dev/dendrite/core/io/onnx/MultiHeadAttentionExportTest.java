package dev.dendrite.core.io.onnx;

import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.layer.MultiHeadAttentionConfig;
import dev.dendrite.core.network.Network;
import org.junit.jupiter.api.Test;

/**
 * {@code multi_head_attention} alone on raw {@code [T, d]} sequences of N(0, 1) values: projections, heads,
 * scaled scores, the causal mask, softmax and the output projection, with non-zero biases.
 */
class MultiHeadAttentionExportTest {

  private static final int T = 7;
  private static final int D = 12;

  private static void check(String what, int heads, boolean causal, long seed) throws Exception {
    int rows = 300;
    Network net = Network.builder(T, D)
        .add(MultiHeadAttentionConfig.of(heads, causal).withInit("glorot_uniform", "uniform(0.3)")).seed(seed).build();
    OnnxRuntimeCheck.assertAgrees(what, SavedModel.of(net), ExportFixtures.gaussian(seed + 1, rows * T * D), rows);
  }

  @Test
  void attentionWithoutAMaskScoresAsDendriteDoes() throws Exception {
    check("attention, 3 heads", 3, false, 2);
  }

  @Test
  void causalAttentionMasksLaterPositionsAsDendriteDoes() throws Exception {
    check("causal attention, 4 heads", 4, true, 5);
  }

  @Test
  void oneHeadOverTheWholeModelDimensionScoresAsDendriteDoes() throws Exception {
    check("causal attention, 1 head", 1, true, 8);
  }

  @Test
  void causalAttentionOfTheFirstPositionSeesOnlyItself() throws Exception {
    // with T = 1 the mask has nothing to hide: the output is the value projection through W_out
    int rows = 50;
    Network net = Network.builder(1, D).add(MultiHeadAttentionConfig.of(2, true)).seed(9).build();
    OnnxRuntimeCheck.assertAgrees("causal attention, T = 1", SavedModel.of(net), ExportFixtures.gaussian(10, rows * D),
        rows);
  }
}
