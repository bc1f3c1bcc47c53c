package dev.dendrite.core.io.onnx;

import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import org.junit.jupiter.api.Test;

/**
 * {@code time_distributed_dense} as MatMul + Add over {@code [batch, T, F]}, its activation per position (a
 * softmax normalizes each position's units, not the whole example).
 */
class TimeDistributedDenseExportTest {

  @Test
  void positionWiseSoftmaxOutputScoresEachPositionAsDendriteDoes() throws Exception {
    int rows = 400;
    Network net = Network.builder(9, 6).timeDistributedDense(5, "softmax").seed(3).build(); // alone
    ExportFixtures.perturbBiases(net, 4);
    OnnxRuntimeCheck.assertAgrees("time-distributed softmax", SavedModel.of(net), ExportFixtures.gaussian(5, rows * 54),
        rows);
  }

  @Test
  void stackedPositionWiseLayersWithEveryKindOfActivationScoreAsDendriteDoes() throws Exception {
    int rows = 400;
    Network net = Network.builder(9, 6).timeDistributedDense(12, "relu").timeDistributedDense(7, "elu(0.5)")
        .timeDistributedDense(4, "tanh").timeDistributedDense(3, "identity").seed(6).build();
    ExportFixtures.perturbBiases(net, 7);
    OnnxRuntimeCheck.assertAgrees("time-distributed stack", SavedModel.of(net), ExportFixtures.gaussian(8, rows * 54),
        rows);
  }
}
