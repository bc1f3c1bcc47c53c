package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.DigitSequences;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import org.junit.jupiter.api.Test;

/** {@code positional_embedding} as an Add of its table, alone on raw sequences and after an embedding. */
class PositionalEmbeddingExportTest {

  @Test
  void positionalEmbeddingAloneAddsItsTableAsDendriteDoes() throws Exception {
    int rows = 300;
    Network net = Network.builder(7, 5).positionalEmbedding().seed(2).build();
    OnnxRuntimeCheck.assertAgrees("positional embedding", SavedModel.of(net), ExportFixtures.gaussian(3, rows * 35),
        rows);
  }

  @Test
  void positionalEmbeddingAfterAnEmbeddingOfDigitIdsScoresAsDendriteDoes() throws Exception {
    var test = DigitSequences.generate("reverse_digits", 8, 10, 500, 2);
    Network net = Network.builder(8).embedding(10, 6).positionalEmbedding().seed(4).build();
    OnnxRuntimeCheck.assertAgrees("embedding + positions", SavedModel.of(net), test.features(), test.size());
  }
}
