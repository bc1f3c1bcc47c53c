package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.DigitSequences;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.layer.TransformerEncoderConfig;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code transformer_encoder} composed of its parts' exports: alone on raw {@code [T, d]} sequences, post- and
 * pre-norm, causal and not (biases and norms perturbed); and a transformer of the shipped config's shape
 * (embedding, positions, two blocks, a position-wise softmax) trained 300 steps on reversing digits, scored
 * on held-out sequences.
 */
class TransformerExportTest {

  private static final int T = 6;
  private static final int D = 16;

  private static void checkBlock(String what, TransformerEncoderConfig block, long seed) throws Exception {
    int rows = 300;
    Network net = Network.builder(T, D).add(block).seed(seed).build();
    ExportFixtures.perturbBiases(net, seed + 1);
    ExportFixtures.perturbBatchNorm(net, seed + 2); // the layer norms' γ and β
    OnnxRuntimeCheck.assertAgrees(what, SavedModel.of(net), ExportFixtures.gaussian(seed + 3, rows * T * D), rows);
  }

  @Test
  void postNormBlockScoresAsDendriteDoes() throws Exception {
    checkBlock("post-norm block", TransformerEncoderConfig.of(4, 24), 1);
  }

  @Test
  void causalPostNormBlockScoresAsDendriteDoes() throws Exception {
    checkBlock("causal post-norm block", TransformerEncoderConfig.of(2, 24).withCausal(true), 11);
  }

  @Test
  void preNormBlockScoresAsDendriteDoes() throws Exception {
    checkBlock("pre-norm block", TransformerEncoderConfig.of(4, 24).withNorm("pre").withActivation("tanh"), 21);
  }

  @Test
  void causalPreNormBlockScoresAsDendriteDoes() throws Exception {
    checkBlock("causal pre-norm block", TransformerEncoderConfig.of(8, 32).withNorm("pre").withCausal(true), 31);
  }

  @Test
  void trainedDigitReversingTransformerScoresHeldOutSequencesAsDendriteDoes() throws Exception {
    Dataset train = DigitSequences.generate("reverse_digits", 8, 10, 19200, 1);
    Dataset test = DigitSequences.generate("reverse_digits", 8, 10, 1000, 2);
    Network net = Network.builder(8).embedding(10, 32).positionalEmbedding()
        .add(TransformerEncoderConfig.of(4, 64)).add(TransformerEncoderConfig.of(4, 64).withNorm("pre"))
        .timeDistributedDense(10, "softmax").seed(3).build();
    TrainingConfig config = TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(0.003))
        .withBatchSize(64).withEpochs(1).withSeed(4).withClipping(GradientClipping.byNorm(1)); // 300 steps
    new LocalTrainer(config).fit(net, train);
    SavedModel model = SavedModel.of(net).withLoss("sparse_categorical_crossentropy");
    OnnxRuntimeCheck.assertAgrees("trained transformer", model, test.features(), test.size());
  }
}
