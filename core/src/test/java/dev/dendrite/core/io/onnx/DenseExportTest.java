package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.FashionMnist;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** Dense networks and their saved preprocessing, exported and run by ONNX Runtime. */
class DenseExportTest {

  @Test
  void fashionMnistMlpWithPixelScalingScoresRawTestImagesAsDendriteDoes() throws Exception {
    Dataset train = FashionMnist.train().subset(java.util.stream.IntStream.range(0, 6400).toArray());
    Dataset test = FashionMnist.test();
    Preprocessor pixels = new PixelScaler().fit(train);
    Dataset scaled = train.copy();
    pixels.transform(scaled);
    // the shipped MLP config's network, trained 100 steps
    Network net = Network.builder(1, 28, 28).dense(256, "relu").dense(128, "relu").dense(10, "softmax").seed(42)
        .build();
    new LocalTrainer(TrainingConfig.of("sparse_categorical_crossentropy", OptimizerConfig.adam(1e-3))
        .withBatchSize(64).withEpochs(1).withSeed(42)).fit(net, scaled);
    SavedModel model = SavedModel.of(net).withPreprocessing(pixels.toMap()).withLoss("sparse_categorical_crossentropy");
    OnnxRuntimeCheck.assertAgrees("Fashion-MNIST MLP", model, test.features(), test.size());
  }
}
