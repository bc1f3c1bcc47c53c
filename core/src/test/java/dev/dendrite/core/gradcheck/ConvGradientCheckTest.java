package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.ActivationConfig;
import dev.dendrite.core.layer.AvgPool2DConfig;
import dev.dendrite.core.layer.BatchNormConfig;
import dev.dendrite.core.layer.Conv2DConfig;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.EmbeddingConfig;
import dev.dendrite.core.layer.FlattenConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.MaxPool2DConfig;
import dev.dendrite.core.layer.MaxPool2DLayer;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Convolution, pooling, flatten, batch norm (training mode) and embedding pass the gradient check. Each
 * convolution or pooling layer sits behind a layer with parameters, so its dX is checked too.
 */
class ConvGradientCheckTest {

  private static final int BATCH = 3;
  private static final float[] T2 = uniform(31, BATCH * 2, -1, 1);

  private static DenseConfig dense(int units, String activation) {
    return new DenseConfig(units, activation, "glorot_uniform", "uniform(0.1)", 0, 0);
  }

  private static Conv2DConfig conv(int filters, int kh, int kw, int sh, int sw, String padding, String activation) {
    return new Conv2DConfig(filters, kh, kw, sh, sw, padding, activation, "glorot_uniform", "uniform(0.1)", 0, 0);
  }

  /** Two stacked convolutions (2 → 3 → 2 channels) on a 2×8×7 input, then flatten and a dense output. */
  @ParameterizedTest(name = "kernel {0}x{1}, stride {2}x{3}, padding {4}, {5}")
  @CsvSource({
      "3, 3, 1, 1, valid, ejml",
      "3, 2, 1, 1, same, ejml",
      "2, 3, 2, 2, valid, ejml",
      "3, 2, 2, 1, same, ejml",
      "3, 3, 2, 2, same, blas",
      "1, 2, 1, 2, valid, blas"})
  void stackedConvolutions(int kh, int kw, int sh, int sw, String padding, String backend) {
    float[] x = uniform(32, BATCH * 2 * 8 * 7, -1, 1);
    Network net = Network.builder(2, 8, 7)
        .add(conv(3, kh, kw, sh, sw, padding, "tanh"))
        .add(conv(2, kh, kw, sh, sw, padding, "tanh"))
        .add(new FlattenConfig())
        .add(dense(2, "identity"))
        .gemm(Gemms.factory(backend).get()).seed(5).build();
    new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH).run().assertPassed();
  }

  @Test
  void convolutionAsTheOutputWithFusedSoftmax() {
    // A 1×1 output map with 3 filters: softmax over the filters, fused with the cross-entropy.
    float[] x = uniform(33, BATCH * 2 * 4 * 3, -1, 1);
    Network net = Network.builder(2, 4, 3).add(conv(3, 2, 2, 1, 1, "valid", "tanh"))
        .add(conv(3, 3, 2, 1, 1, "valid", "softmax")).gemm(new EjmlGemm()).seed(6).build();
    assertEquals(Shape.of(3, 1, 1), net.outputShape());
    float[] labels = {2, 0, 1};
    new GradientCheck(net, new SparseCategoricalCrossEntropy()).batch(x, labels, null, BATCH).run()
        .assertPassed();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2, 2, 2, 2, same", "2, 2, 2, 2, valid", "3, 3, 2, 2, valid", "2, 3, 1, 2, valid"})
  void maxPoolingAwayFromTies(String spec) {
    int[] s = Arrays.stream(spec.split(", ")).limit(4).mapToInt(Integer::parseInt).toArray();
    MaxPool2DConfig pool = new MaxPool2DConfig(s[0], s[1], s[2], s[3], spec.substring(spec.lastIndexOf(' ') + 1));
    float[] x = uniform(34, BATCH * 6 * 5, -1, 1);
    // the convolution is linear, so its output is the pool's input and its pre-activation
    Network net = CheckSupport.withMargin(seed -> Network.builder(1, 6, 5)
            .add(conv(2, 2, 2, 1, 1, "valid", "identity")).add(pool).add(new FlattenConfig())
            .add(dense(2, "identity")).gemm(new EjmlGemm()).seed(seed).build(),
        x, BATCH, n -> poolGap(n, BATCH));
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH)
        .regime((n, out) -> Arrays.toString(((MaxPool2DLayer) n.layers().get(1)).argmax())).run();
    r.assertPassed(10);
  }

  /** The smallest gap between the largest and second-largest cell of any pooling window of layer 1. */
  private static double poolGap(Network net, int batch) {
    Layer convLayer = net.layers().get(0);
    MaxPool2DConfig p = (MaxPool2DConfig) net.layers().get(1).config();
    float[] in = ((dev.dendrite.core.layer.ActivatedLayer) convLayer).preActivation();
    Shape s = convLayer.outputShape();
    int c = s.dim(0);
    int h = s.dim(1);
    int w = s.dim(2);
    Shape out = net.layers().get(1).outputShape();
    int outH = out.dim(1);
    int outW = out.dim(2);
    int top = p.padding().equals("same") ? Math.max((outH - 1) * p.strideHeight() + p.poolHeight() - h, 0) / 2 : 0;
    int left = p.padding().equals("same") ? Math.max((outW - 1) * p.strideWidth() + p.poolWidth() - w, 0) / 2 : 0;
    double min = Double.POSITIVE_INFINITY;
    for (int n = 0; n < batch; n++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            float best = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int i = oh * p.strideHeight() - top; i < oh * p.strideHeight() - top + p.poolHeight(); i++) {
              for (int j = ow * p.strideWidth() - left; j < ow * p.strideWidth() - left + p.poolWidth(); j++) {
                if (i < 0 || j < 0 || i >= h || j >= w) {
                  continue;
                }
                float v = in[((n * c + ch) * h + i) * w + j];
                if (v > best) {
                  second = best;
                  best = v;
                } else if (v > second) {
                  second = v;
                }
              }
            }
            min = Math.min(min, best - second);
          }
        }
      }
    }
    return min;
  }

  @ParameterizedTest
  @ValueSource(strings = {"valid", "same"})
  void averagePooling(String padding) {
    float[] x = uniform(35, BATCH * 2 * 5 * 5, -1, 1);
    // 2×2 windows moved by (1, 2) over the 3×4×4 map; with 'same' the last column of windows is half padding
    Network net = Network.builder(2, 5, 5).add(conv(3, 2, 2, 1, 1, "valid", "tanh"))
        .add(new AvgPool2DConfig(2, 2, 1, 2, padding)).add(new FlattenConfig()).add(dense(2, "identity"))
        .gemm(new EjmlGemm()).seed(7).build();
    new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH).run().assertPassed();
  }

  @Test
  void batchNormAfterADenseLayerInTrainingMode() {
    int batch = 6;
    float[] x = uniform(36, batch * 4, -1, 1);
    float[] t = uniform(37, batch * 2, -1, 1);
    Network net = Network.builder(4).add(dense(5, "identity")).add(new BatchNormConfig(0.9, 1e-3))
        .add(new ActivationConfig("tanh")).add(dense(2, "identity")).gemm(new EjmlGemm()).seed(8).build();
    // gamma and beta away from their initial 1 and 0, so their gradients are not special
    scramble(net, "batch_norm_1/gamma", 0.5f, 1.5f);
    scramble(net, "batch_norm_1/beta", -0.3f, 0.3f);
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(x, t, null, batch).run();
    r.assertPassed();
    assertRunningStatisticsHaveZeroGradient(r);
  }

  @Test
  void batchNormAfterAConvolutionInTrainingMode() {
    float[] x = uniform(38, BATCH * 2 * 4 * 4, -1, 1);
    Network net = Network.builder(2, 4, 4).add(conv(3, 2, 2, 1, 1, "valid", "identity"))
        .add(new BatchNormConfig(0.9, 1e-3)).add(new ActivationConfig("tanh")).add(new FlattenConfig())
        .add(dense(2, "identity")).gemm(new EjmlGemm()).seed(9).build();
    scramble(net, "batch_norm_1/gamma", 0.5f, 1.5f);
    scramble(net, "batch_norm_1/beta", -0.3f, 0.3f);
    assertEquals(3, net.layout().tensor("batch_norm_1/gamma").size()); // per channel, not per element
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH).run();
    r.assertPassed();
    assertRunningStatisticsHaveZeroGradient(r);
  }

  private static void assertRunningStatisticsHaveZeroGradient(GradientCheck.Result r) {
    // running statistics are not derivatives (their slots carry updates) and are left out of the check
    assertTrue(r.entries().stream().noneMatch(e -> e.tensor().contains("running_")));
    assertTrue(r.entries().stream().anyMatch(e -> e.tensor().contains("gamma")));
  }

  private static void scramble(Network net, String tensor, float lo, float hi) {
    var t = net.layout().tensor(tensor);
    float[] v = uniform(tensor.hashCode(), t.size(), lo, hi);
    System.arraycopy(v, 0, net.parameterArray(), t.offset(), t.size());
  }

  @Test
  void embeddingThenFlattenThenDense() {
    int batch = 4;
    float[] ids = {0, 3, 4, 1, 2, 2, 4, 0, 1, 3, 3, 0};
    float[] t = uniform(39, batch * 2, -1, 1);
    Network net = Network.builder(3).add(new EmbeddingConfig(5, 4, "uniform(0.5)")).add(new FlattenConfig())
        .add(dense(2, "tanh")).gemm(new EjmlGemm()).seed(10).build();
    assertEquals(Shape.of(3, 4), net.layers().get(0).outputShape());
    GradientCheck.Result r = new GradientCheck(net, new MeanSquaredError()).batch(ids, t, null, batch).run();
    r.assertPassed();
    // every row of the table is used, so every row gets a gradient
    for (int row = 0; row < 5; row++) {
      int from = row * 4;
      assertTrue(r.entries().subList(from, from + 4).stream().anyMatch(e -> e.analytic() != 0), "row " + row);
    }
  }

  @Test
  void flattenBetweenTwoDenseLayersOnARankThreeInput() {
    // dense on [2, 2, 3] → [4] → flatten (rank 1 already, a copy) → dense; and flatten of a conv map
    float[] x = uniform(40, BATCH * 12, -1, 1);
    Network net = Network.builder(2, 2, 3).add(new FlattenConfig()).add(dense(4, "tanh"))
        .add(new FlattenConfig()).add(dense(2, "identity")).gemm(new EjmlGemm()).seed(11).build();
    assertEquals(Shape.of(12), net.layers().get(0).outputShape());
    new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH).run().assertPassed();
  }
}
