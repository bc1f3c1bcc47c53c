package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.FashionMnist;
import dev.dendrite.core.data.PixelScaler;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.layer.AvgPool2DConfig;
import dev.dendrite.core.layer.Conv2DConfig;
import dev.dendrite.core.layer.MaxPool2DConfig;
import dev.dendrite.core.network.Network;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Convolutions with strides and both paddings, max and average pooling with {@code same} padding (windows
 * that overlap it), batch norm per channel, softmax over a whole [C, H, W] example, flatten: on raw
 * Fashion-MNIST test images with pixel scaling.
 */
class ConvExportTest {

  @Test
  void convolutionsAndPoolingWithStridesAndPaddingScoreRawImagesAsDendriteDoes() throws Exception {
    Dataset test = FashionMnist.test();
    int rows = 2000;
    Preprocessor pixels = new PixelScaler().fit(test);
    Network net = Network.builder(1, 28, 28)
        .conv2d(8, 3, 2, "same", "relu")                               // -> [8, 14, 14]
        .batchNorm()
        .add(new MaxPool2DConfig(3, 3, 2, 2, "same"))                  // -> [8, 7, 7], windows over the pad
        .add(new Conv2DConfig(6, 5, 3, 1, 2, "same", "elu", "glorot_uniform", "zeros", 0, 0)) // -> [6, 7, 4]
        .add(new AvgPool2DConfig(2, 3, 1, 2, "same"))                  // -> [6, 7, 2], count excludes the pad
        .conv2d(4, 2, 1, "valid", "softmax")                           // -> [4, 6, 1], softmax over all 24
        .flatten()
        .dense(10, "softmax")
        .seed(3).build();
    ExportFixtures.perturbBatchNorm(net, 4);
    SavedModel model = SavedModel.of(net).withPreprocessing(pixels.toMap());
    OnnxRuntimeCheck.assertAgrees("conv, pooling, batch norm", model, Arrays.copyOf(test.features(), rows * 784),
        rows);
  }

  @Test
  void validPoolingThatLeavesRowsOutScoresAsDendriteDoes() throws Exception {
    Dataset test = FashionMnist.test();
    int rows = 500;
    // 28 = 3·9 + 1: a 3×3 max pool of stride 3 and a 2×2 average pool of stride 2 skip the last row/column
    Network net = Network.builder(1, 28, 28).add(new MaxPool2DConfig(3, 3, 3, 3, "valid"))
        .add(new AvgPool2DConfig(2, 2, 2, 2, "valid")).flatten().build();
    OnnxRuntimeCheck.assertAgrees("valid pooling", SavedModel.of(net), Arrays.copyOf(test.features(), rows * 784),
        rows);
  }
}
