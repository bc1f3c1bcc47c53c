package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.FashionMnist;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code layer_norm} as ONNX LayerNormalization over the last axis, on vectors, sequences and images.
 *
 * <p>ONNX Runtime's CPU kernel takes the variance as {@code E[x²] - μ²} in float, where Dendrite (and PyTorch)
 * subtract the mean first: on rows whose mean is large beside their spread the two differ by more than the
 * tolerance. Measured once on Fashion-MNIST image rows after pixel scaling (values in [0, 1], many rows
 * almost constant): 11 of 2000 images beyond 1e-5 of the row scale, the worst 1.1e-4; after standardization,
 * which centres every pixel, the worst was 3.5e-6. The image test therefore standardizes.
 */
class LayerNormExportTest {

  @Test
  void layerNormOfVectorsScoresRawRowsAsDendriteDoes() throws Exception {
    Dataset test = ExportFixtures.breastCancerTest();
    Network net = Network.builder(30).layerNorm().dense(12, "tanh").layerNorm().dense(2, "softmax").seed(2).build();
    ExportFixtures.perturbBatchNorm(net, 3);
    SavedModel model = SavedModel.of(net).withPreprocessing(new StandardScaler().fit(test).toMap());
    OnnxRuntimeCheck.assertAgrees("layer norm of vectors", model, test.features(), test.size());
  }

  @Test
  void layerNormOfSequencesNormalizesEachPositionAsDendriteDoes() throws Exception {
    int rows = 400;
    Network net = Network.builder(6, 16).layerNorm().seed(4).build(); // alone: [6, 16] in and out
    ExportFixtures.perturbBatchNorm(net, 5);
    OnnxRuntimeCheck.assertAgrees("layer norm of sequences", SavedModel.of(net), ExportFixtures.gaussian(6, rows * 96),
        rows);
  }

  @Test
  void layerNormOfImagesNormalizesEachRowOfPixelsAsDendriteDoes() throws Exception {
    Dataset test = FashionMnist.test();
    int rows = 500;
    // [1, 28, 28]: every image row of 28 pixels is normalized on its own
    Network net = Network.builder(1, 28, 28).layerNorm().seed(7).build();
    ExportFixtures.perturbBatchNorm(net, 8);
    SavedModel model = SavedModel.of(net).withPreprocessing(new StandardScaler().fit(test).toMap());
    OnnxRuntimeCheck.assertAgrees("layer norm of images", model, Arrays.copyOf(test.features(), rows * 784), rows);
  }
}
