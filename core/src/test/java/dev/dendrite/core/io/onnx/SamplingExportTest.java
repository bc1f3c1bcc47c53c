package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.FashionMnist;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.layer.SamplingConfig;
import dev.dendrite.core.network.Network;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code sampling} at inference (z = μ, the first half of its input) as Slice, alone and inside a VAE. */
class SamplingExportTest {

  @Test
  void samplingAloneGivesTheMeansAsDendriteDoes() throws Exception {
    int rows = 200;
    Network net = Network.builder(10).add(new SamplingConfig(1.0)).build(); // [μ (5), log σ² (5)] → μ
    OnnxRuntimeCheck.assertAgrees("sampling", SavedModel.of(net), ExportFixtures.gaussian(2, rows * 10), rows);
  }

  @Test
  void variationalAutoencoderReconstructsRawImagesAsDendriteDoes() throws Exception {
    Dataset test = FashionMnist.test();
    int rows = 1000;
    // the shipped VAE's shape, narrower: encoder 784-64-(μ, log σ² of 8), decoder 8-64-784
    Network net = Network.builder(1, 28, 28).dense(64, "relu").dense(16).add(new SamplingConfig(1.0))
        .dense(64, "relu").dense(784, "sigmoid").seed(3).build();
    ExportFixtures.perturbBiases(net, 4);
    SavedModel model = SavedModel.of(net).withPreprocessing(new PixelScaler().fit(test).toMap()).withLoss("sse");
    OnnxRuntimeCheck.assertAgrees("VAE", model, Arrays.copyOf(test.features(), rows * 784), rows);
  }
}
