package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.MinMaxScaler;
import dev.dendrite.core.data.Pipeline;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import org.junit.jupiter.api.Test;

/**
 * Every activation, PReLU, maxout, dropout and batch norm after a dense layer, behind a pipeline of min-max
 * scaling and standardization, on the raw breast-cancer test rows.
 */
class ActivationExportTest {

  @Test
  void aNetworkUsingEveryActivationScoresRawRowsAsDendriteDoes() throws Exception {
    Dataset test = ExportFixtures.breastCancerTest();
    Preprocessor pre = Pipeline.of(new MinMaxScaler(), new StandardScaler()).fit(test);
    Network net = Network.builder(30)
        .dense(24, "binary_step")   // first, on exactly computed inputs: no sum is near its threshold by rounding
        .dense(20, "sigmoid")
        .dense(20, "tanh")
        .dense(20, "arctan")
        .dense(20, "relu")
        .dense(20, "leaky_relu(0.1)")
        .dense(20, "elu(0.5)")
        .dense(20, "softplus")
        .batchNorm()
        .prelu("uniform(0.5)")
        .maxout(12, 3)
        .dropout(0.3)
        .dense(8)                   // identity
        .activation("tanh")
        .dense(3, "softmax")
        .seed(11).build();
    ExportFixtures.perturbBatchNorm(net, 12);
    SavedModel model = SavedModel.of(net).withPreprocessing(pre.toMap());
    OnnxRuntimeCheck.assertAgrees("every activation", model, test.features(), test.size());
  }

  @Test
  void aLinearOutputAfterStandardizationScoresRawRowsAsDendriteDoes() throws Exception {
    Dataset test = ExportFixtures.breastCancerTest();
    Preprocessor pre = new StandardScaler().fit(test);
    Network net = Network.builder(30).dense(16, "relu").dense(1).seed(5).build();
    SavedModel model = SavedModel.of(net).withPreprocessing(pre.toMap());
    OnnxRuntimeCheck.assertAgrees("standardized, linear output", model, test.features(), test.size());
  }
}
