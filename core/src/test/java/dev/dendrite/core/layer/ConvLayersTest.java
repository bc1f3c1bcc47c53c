package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.optim.AdamW;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.Penalties;
import dev.dendrite.core.optim.RmsProp;
import dev.dendrite.core.optim.Sgd;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterTensor;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.train.ParameterUpdate;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed forward values, batch-norm statistics, the trainable flag, configs and their errors. */
class ConvLayersTest {

  private static final float[] GRID = new float[16]; // 1..16 in a 4×4 grid, row-major

  static {
    for (int i = 0; i < 16; i++) {
      GRID[i] = i + 1;
    }
  }

  private static void set(Network net, String tensor, float... values) {
    ParameterTensor t = net.layout().tensor(tensor);
    assertEquals(t.size(), values.length, tensor);
    System.arraycopy(values, 0, net.parameterArray(), t.offset(), values.length);
  }

  private static float[] get(Network net, String tensor) {
    ParameterTensor t = net.layout().tensor(tensor);
    return Arrays.copyOfRange(net.parameterArray(), t.offset(), t.end());
  }

  private static float[] forward(Network net, float[] x, int batch) {
    float[] out = net.forward(x, 0, batch, false, null);
    return Arrays.copyOf(out, batch * net.outputSize());
  }

  @Test
  void convolutionOfAFourByFourGridByHand() {
    //  x = 1  2  3  4     W = 1 2     y[i][j] = x[i][j] + 2 x[i][j+1] + 3 x[i+1][j] + 4 x[i+1][j+1] + b
    //      5  6  7  8         3 4     y[0][0] = 1 + 2·2 + 3·5 + 4·6 + 1 = 45, and each step right adds
    //      9 10 11 12                 1+2+3+4 = 10, each step down adds 4·10 = 40:
    //     13 14 15 16     b = 1       y = 45 55 65 / 85 95 105 / 125 135 145
    Network net = Network.builder(1, 4, 4).conv2d(1, 2, "identity").gemm(new EjmlGemm()).build();
    assertEquals(List.of(1, 1, 2, 2), Arrays.stream(net.layout().tensor("conv2d_0/W").shape().dims()).boxed().toList());
    set(net, "conv2d_0/W", 1, 2, 3, 4);
    set(net, "conv2d_0/b", 1);
    assertEquals(Shape.of(1, 3, 3), net.outputShape());
    assertArrayEquals(new float[] {45, 55, 65, 85, 95, 105, 125, 135, 145}, forward(net, GRID, 1));

    // stride 2: every other window, y = 45 65 / 125 145
    Network strided = Network.builder(1, 4, 4).conv2d(1, 2, 2, "valid", "relu").gemm(new EjmlGemm()).build();
    set(strided, "conv2d_0/W", 1, 2, 3, 4);
    set(strided, "conv2d_0/b", 1);
    assertArrayEquals(new float[] {45, 65, 125, 145}, forward(strided, GRID, 1));
  }

  @Test
  void samePaddingPutsTheExtraRowAndColumnAtTheBottomRight() {
    // 3×3 kernel of ones, stride 2 on 4×4: out = ceil(4/2) = 2, padding (2-1)·2 + 3 - 4 = 1 row/column,
    // all of it at the bottom/right (Keras; PyTorch's padding=1 would pad the top/left too):
    //   y[0][0] = rows 0-2 × cols 0-2 = 1+2+3+5+6+7+9+10+11 = 54
    //   y[0][1] = rows 0-2 × cols 2-3 = 3+4+7+8+11+12      = 45
    //   y[1][0] = rows 2-3 × cols 0-2 = 9+10+11+13+14+15   = 72
    //   y[1][1] = rows 2-3 × cols 2-3 = 11+12+15+16        = 54
    Network net = Network.builder(1, 4, 4).conv2d(1, 3, 2, "same", "identity").gemm(new EjmlGemm()).build();
    set(net, "conv2d_0/W", 1, 1, 1, 1, 1, 1, 1, 1, 1);
    set(net, "conv2d_0/b", 0);
    assertArrayEquals(new float[] {54, 45, 72, 54}, forward(net, GRID, 1));
    // stride 1 'same' keeps the size: 4×4
    assertEquals(Shape.of(2, 4, 4), Network.builder(1, 4, 4).conv2d(2, 3, 1, "same", "relu").build().outputShape());
    assertEquals(Shape.of(2, 3, 3), Network.builder(1, 5, 5).conv2d(2, 2, 2, "same", "relu").build().outputShape());
  }

  @Test
  void convolutionSumsOverChannelsAndBatchesStayApart() {
    // two channels, two filters, a batch of two: filter f sums channel c with weight (f + 1)·(c + 1)
    Network net = Network.builder(2, 1, 2).conv2d(2, 1, "identity").gemm(new EjmlGemm()).build();
    set(net, "conv2d_0/W", 1, 2, 2, 4); // [F=2, C=2, 1, 1]
    set(net, "conv2d_0/b", 0, 10);
    float[] x = {1, 2, 3, 4, /* example 2 */ 5, 6, 7, 8}; // [2, C=2, 1, 2]
    // example 1: filter 0 = 1·[1,2] + 2·[3,4] = [7, 10]; filter 1 = 2·[1,2] + 4·[3,4] + 10 = [24, 30]
    // example 2: filter 0 = [5,6] + 2·[7,8] = [19, 22]; filter 1 = 2·[5,6] + 4·[7,8] + 10 = [48, 54]
    assertArrayEquals(new float[] {7, 10, 24, 30, 19, 22, 48, 54}, forward(net, x, 2));
  }

  @Test
  void maxPoolingOfAKnownGridAndItsBackward() {
    float[] x = {
        1, 9, 2, 0,
        3, 4, 8, 7,
        5, 0, -1, -2,
        6, -3, -4, -9};
    Network net = Network.builder(1, 4, 4).maxPool2d(2).build();
    assertArrayEquals(new float[] {9, 8, 6, -1}, forward(net, x, 1));
    MaxPool2DLayer pool = (MaxPool2DLayer) net.layers().get(0);
    pool.forward(x, 0, new float[4], 1, true, null);
    assertArrayEquals(new int[] {1, 6, 12, 10}, Arrays.copyOf(pool.argmax(), 4));
    float[] dX = new float[16];
    pool.backward(x, 0, null, new float[] {1, 2, 3, 4}, dX, 1);
    float[] expected = new float[16];
    expected[1] = 1;
    expected[6] = 2;
    expected[12] = 3;
    expected[10] = 4;
    assertArrayEquals(expected, dX);
  }

  @Test
  void maxPoolingAtInferenceGivesTheTrainingForwardsValuesBitForBit() {
    // 2×2 stride 2 over [3, 7, 9] (the last row and column uncovered); values from a few levels, so that
    // windows hold ties, and signed zeros, infinities: the inference path skips the winners, not the values
    Rng rng = new Rng(12);
    int batch = 40;
    float[] levels = {-0f, 0f, 1f, -1f, 2.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -3e38f, 3e38f};
    float[] x = new float[1 + batch * 3 * 7 * 9];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextInt(4) == 0 ? levels[rng.nextInt(levels.length)] : (float) rng.nextGaussian();
    }
    MaxPool2DLayer pool = (MaxPool2DLayer) Network.builder(3, 7, 9).maxPool2d(2).build().layers().get(0);
    pool.allocate(batch);
    float[] trained = new float[batch * 3 * 3 * 4];
    float[] scored = new float[trained.length];
    pool.forward(x, 1, trained, batch, true, null);
    pool.forward(x, 1, scored, batch, false, null);
    for (int i = 0; i < trained.length; i++) {
      assertEquals(Float.floatToRawIntBits(trained[i]), Float.floatToRawIntBits(scored[i]),
          "output " + i + ": training " + trained[i] + ", inference " + scored[i]);
    }
  }

  @Test
  void averagePoolingWithSamePaddingCountsOnlyCellsInsideTheInput() {
    // 1..9 in 3×3, 2×2 windows, stride 2, 'same': padding 1 at the bottom/right, windows hold 4, 2, 2, 1 cells
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    Network net = Network.builder(1, 3, 3).add(new AvgPool2DConfig(2, 2, 2, 2, "same")).build();
    assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, forward(net, x, 1));
    float[] dX = new float[9];
    net.layers().get(0).backward(x, 0, null, new float[] {4, 2, 2, 1}, dX, 1);
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, dX);
  }

  @Test
  void flattenIsACopy() {
    Network net = Network.builder(2, 2, 2).flatten().build();
    assertEquals(Shape.of(8), net.outputShape());
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    assertArrayEquals(x, forward(net, x, 2));
  }

  @Test
  void batchNormNormalizesEachChannelOfABatch() {
    int batch = 4;
    Rng rng = new Rng(3);
    float[] x = new float[batch * 2 * 3 * 3];
    for (int n = 0; n < batch; n++) {
      for (int i = 0; i < 18; i++) {
        int channel = i / 9;
        x[n * 18 + i] = (float) (channel == 0 ? 5 + 2 * rng.nextGaussian() : -3 + 0.5 * rng.nextGaussian());
      }
    }
    Network net = Network.builder(2, 3, 3).batchNorm().build();
    float[] y = Arrays.copyOf(net.forward(x, 0, batch, true, null), x.length);
    for (int c = 0; c < 2; c++) {
      double sum = 0;
      double squares = 0;
      for (int n = 0; n < batch; n++) {
        for (int i = 0; i < 9; i++) {
          float v = y[n * 18 + c * 9 + i];
          sum += v;
          squares += v * v;
        }
      }
      double mean = sum / 36;
      assertEquals(0, mean, 1e-5, "channel " + c);
      // the variance is σ²/(σ² + ε), just below 1
      assertEquals(1, squares / 36 - mean * mean, c == 0 ? 1e-3 : 5e-3, "channel " + c);
    }
    assertEquals(2, net.layout().tensor("batch_norm_0/gamma").size());

    // per feature after a dense layer: each of the 3 features over the batch
    Network dense = Network.builder(3).batchNorm().build();
    float[] xd = {1, 10, -5, 2, 20, -5.5f, 3, 30, -6, 6, 40, -7};
    float[] yd = Arrays.copyOf(dense.forward(xd, 0, 4, true, null), 12);
    for (int j = 0; j < 3; j++) {
      double s = 0;
      double ss = 0;
      for (int n = 0; n < 4; n++) {
        s += yd[n * 3 + j];
        ss += yd[n * 3 + j] * yd[n * 3 + j];
      }
      assertEquals(0, s / 4, 1e-5);
      assertEquals(1, ss / 4, 1e-2);
    }
  }

  @Test
  void batchNormInferenceUsesTheRunningStatistics() {
    Network net = Network.builder(2).batchNorm().build();
    set(net, "batch_norm_0/gamma", 2, 3);
    set(net, "batch_norm_0/beta", 0.5f, -1);
    set(net, "batch_norm_0/running_mean", 1, -2);
    set(net, "batch_norm_0/running_var", 4, 0.25f);
    float[] x = {3, -1, 0, -2};
    // y = γ (x - r_mean) / sqrt(r_var + 1e-3) + β, whatever the batch's own statistics
    float[] y = forward(net, x, 2);
    assertEquals(2 * 2 / Math.sqrt(4.001) + 0.5, y[0], 1e-5);
    assertEquals(3 * 1 / Math.sqrt(0.251) - 1, y[1], 1e-5);
    assertEquals(2 * -1 / Math.sqrt(4.001) + 0.5, y[2], 1e-5);
    assertEquals(-1, y[3], 1e-6);
    // one example alone gives the same answer in inference (it would be all β in training)
    assertEquals(y[0], forward(net, new float[] {3, -1}, 1)[0]);

    // a training step (gradient + update rule) moves the running statistics by (1 - momentum) towards the
    // batch's; a training forward alone leaves them
    net.forward(x, 0, 2, true, null);
    assertArrayEquals(new float[] {1, -2}, get(net, "batch_norm_0/running_mean"));
    net.computeGradients(x, 0, new float[4], 0, null, 0, 2, new MeanSquaredError(), 0.5f, null);
    new ParameterUpdate(net.layout(), new Sgd(1e-6f), null).apply(net.parameterArray(), net.gradientArray());
    float[] mean = get(net, "batch_norm_0/running_mean");
    float[] var = get(net, "batch_norm_0/running_var");
    assertEquals(0.99 * 1 + 0.01 * 1.5, mean[0], 1e-6);  // batch mean of feature 0: (3 + 0)/2
    assertEquals(0.99 * -2 + 0.01 * -1.5, mean[1], 1e-6);
    assertEquals(0.99 * 4 + 0.01 * 2.25, var[0], 1e-6);  // biased batch variance: 1.5²
    assertEquals(0.99 * 0.25 + 0.01 * 0.25, var[1], 1e-6);
  }

  @Test
  void runningStatisticsMoveOnlyByTheirUpdateRuleWhateverTheOptimizer() {
    for (Optimizer optimizer : List.<Optimizer>of(new Adam(1e-2f), new Sgd(0.1f), new RmsProp(1e-2f, 0.9f, 1e-7f),
        new AdamW(1e-2f, 0.1f))) {
      Network net = Network.builder(1, 4, 4).conv2d(2, 2, "identity").batchNorm().activation("relu").flatten()
          .dense(4, "identity").batchNorm().dense(2, "identity").seed(4).build();
      ParameterLayout layout = net.layout();
      assertFalse(layout.tensor("batch_norm_1/running_mean").trainable());
      assertFalse(layout.tensor("batch_norm_5/running_var").trainable());
      assertTrue(layout.tensor("batch_norm_1/gamma").trainable());
      ParameterUpdate update = new ParameterUpdate(layout, optimizer, null);
      Rng rng = new Rng(5);
      float[] x = new float[8 * 16];
      float[] t = new float[8 * 2];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat() * 3;
      }
      for (int i = 0; i < t.length; i++) {
        t[i] = rng.nextFloat();
      }
      float[] initialMean = get(net, "batch_norm_5/running_mean");
      float[] gammaBefore = get(net, "batch_norm_5/gamma");
      for (int step = 0; step < 5; step++) {
        net.computeGradients(x, 0, t, 0, null, 0, 8, new MeanSquaredError(), 1f / 8, null);
        String[] names = {"batch_norm_1/running_mean", "batch_norm_1/running_var", "batch_norm_5/running_mean",
            "batch_norm_5/running_var"};
        float[][] expected = new float[names.length][];
        for (int k = 0; k < names.length; k++) {
          ParameterTensor tensor = layout.tensor(names[k]);
          expected[k] = get(net, names[k]);
          for (int i = tensor.offset(); i < tensor.end(); i++) {
            expected[k][i - tensor.offset()] += net.gradientArray()[i]; // the statistics' own update
          }
        }
        update.apply(net.parameterArray(), net.gradientArray());
        for (int k = 0; k < names.length; k++) {
          assertArrayEquals(expected[k], get(net, names[k]), optimizer.getClass().getSimpleName() + " moved "
              + names[k] + " beyond the statistics update");
        }
      }
      assertFalse(Arrays.equals(initialMean, get(net, "batch_norm_5/running_mean")), "training updates them");
      assertFalse(Arrays.equals(gammaBefore, get(net, "batch_norm_5/gamma")), "gamma trains");
    }
  }

  @Test
  void runningStatisticsAreTheSameOnOneThreadOrTwo() {
    float[] x = new float[8 * 16];
    Rng rng = new Rng(11);
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat() * 4 - 1;
    }
    float[][] results = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      Network net = Network.builder(1, 4, 4).conv2d(2, 2, "identity").batchNorm().flatten().dense(2, "identity")
          .seed(3).build();
      try (dev.dendrite.core.train.ParallelGradient g = new dev.dendrite.core.train.ParallelGradient(net, threads)) {
        g.compute(x, 0, new float[16], 0, null, 0, 8, new MeanSquaredError(), 1f / 8, 1, 0);
      }
      new ParameterUpdate(net.layout(), new Sgd(1e-6f), null).apply(net.parameterArray(), net.gradientArray());
      results[threads - 1] = get(net, "batch_norm_1/running_mean");
    }
    // halves of the batch give the update of their example-weighted mean statistics: the full batch's
    assertArrayEquals(results[0], results[1], 1e-6f);
    assertFalse(Arrays.equals(new float[results[0].length], results[0]));
  }

  @Test
  void penaltiesAndWeightDecaySkipNonTrainableTensors() {
    ParameterLayout layout = new ParameterLayout.Builder()
        .add("w", Shape.of(2, 2), 0, 1, true)
        .add("stats", Shape.of(2, 2), 0, 1, false)
        .build();
    float[] p = {1, 1, 1, 1, 5, 5, 5, 5};
    float[] g = new float[8];
    assertEquals(4.0, Penalties.apply(layout, p, g), 1e-9);
    assertArrayEquals(new float[] {2, 2, 2, 2, 0, 0, 0, 0}, g);
    assertEquals(4.0, Penalties.value(layout, p), 1e-9);
    assertTrue(AdamW.decays(layout.tensor("w")));
    assertFalse(AdamW.decays(layout.tensor("stats")));
    assertThrows(IllegalArgumentException.class, () -> new dev.dendrite.core.tensor.ParameterSpec("s",
        Shape.of(2), dev.dendrite.core.init.Initializers.zeros(), 2, 2, 0, 0.1, false));
  }

  @Test
  void modelFileKeepsTheFlagAndTheRunningStatistics() throws Exception {
    Network net = Network.builder(1, 4, 4).conv2d(2, 3, "relu").batchNorm().flatten().dense(3, "softmax")
        .seed(6).build();
    float[] x = new float[4 * 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i * 7 % 11) / 3f;
    }
    net.computeGradients(x, 0, new float[4 * 3], 0, null, 0, 4, new MeanSquaredError(), 0.25f, null);
    new ParameterUpdate(net.layout(), new Sgd(1e-6f), null)
        .apply(net.parameterArray(), net.gradientArray()); // running statistics away from 0 and 1
    byte[] bytes = ModelFile.toBytes(SavedModel.of(net));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("\"trainable\":false") || text.contains("\"trainable\": false"), "flag written");
    SavedModel loaded = ModelFile.read(bytes, "test");
    Network copy = new Network(loaded.network());
    copy.setParameters(loaded.parameters());
    assertFalse(copy.layout().tensor("batch_norm_1/running_var").trainable());
    assertArrayEquals(forward(net, x, 4), forward(copy, x, 4));
    assertEquals(net.layout(), copy.layout());
  }

  @Test
  void configsRoundTripAndAcceptOneIntegerForSquareWindows() {
    List<LayerConfig> configs = List.of(
        new Conv2DConfig(4, 3, 2, 2, 1, "same", "relu", "he_uniform", "constant(0.1)", 0.01, 0.02),
        new MaxPool2DConfig(3, 2, 1, 2, "same"), new AvgPool2DConfig(2, 2, 2, 2, "valid"), new FlattenConfig(),
        new BatchNormConfig(0.9, 1e-5), new EmbeddingConfig(100, 8, "normal(0.1)"));
    for (LayerConfig c : configs) {
      assertEquals(c, LayerConfigs.fromMap("layers[0]", c.toMap()), c.type());
    }
    Conv2DConfig conv = (Conv2DConfig) LayerConfigs.fromMap("l", map("type", "conv2d", "filters", 8,
        "kernel_size", 3, "activation", "relu"));
    assertEquals(Conv2DConfig.of(8, 3, "relu"), conv);
    assertEquals("he_normal", conv.kernelInit());
    assertEquals(MaxPool2DConfig.of(2), LayerConfigs.fromMap("l", map("type", "max_pool2d", "pool_size", 2)));
    assertEquals(new AvgPool2DConfig(3, 3, 1, 1, "same"), LayerConfigs.fromMap("l",
        map("type", "avg_pool2d", "pool_size", List.of(3, 3), "strides", 1, "padding", "SAME")));
    assertEquals(BatchNormConfig.of(), LayerConfigs.fromMap("l", map("type", "batch_norm")));
    assertEquals(EmbeddingConfig.of(10, 4), LayerConfigs.fromMap("l", map("type", "embedding", "vocabulary", 10,
        "dimension", 4)));
  }

  @Test
  void badConfigsNameTheKeyAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Network.builder(1, 4, 4).conv2d(2, 5, "relu").build());
    assertTrue(e.getMessage().contains("kernel_size [5, 5]"), e.getMessage());
    assertTrue(e.getMessage().contains("4 × 4"), e.getMessage());
    assertTrue(e.getMessage().contains("'valid'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Network.builder(1, 3, 3).maxPool2d(4).build());
    assertTrue(e.getMessage().contains("pool_size [4, 4]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Network.builder(784).conv2d(2, 3, "relu").build());
    assertTrue(e.getMessage().contains("[channels, height, width]"), e.getMessage());
    assertTrue(e.getMessage().contains("[784]"), e.getMessage());

    ConfigException c = assertThrows(ConfigException.class, () -> Conv2DConfig.of(0, 3, "relu"));
    assertTrue(c.getMessage().startsWith("filters:"), c.getMessage());
    assertTrue(c.getMessage().contains("0"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("layers[2]", map("type", "conv2d",
        "filters", 4, "kernel_size", 3, "padding", "full")));
    assertTrue(c.getMessage().contains("layers[2].padding"), c.getMessage());
    assertTrue(c.getMessage().contains("'full'"), c.getMessage());
    assertTrue(c.getMessage().contains("same"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("layers[0]", map("type", "conv2d",
        "filters", 4, "kernel_size", List.of(3, 3, 3))));
    assertTrue(c.getMessage().contains("layers[0].kernel_size"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("layers[0]", map("type", "conv2d",
        "filters", 4, "kernel", 3)));
    assertTrue(c.getMessage().contains("kernel_size"), c.getMessage());
    assertTrue(c.getMessage().contains("required"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> new MaxPool2DConfig(2, 0, 2, 2, "valid"));
    assertTrue(c.getMessage().startsWith("pool_size:"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> new Conv2DConfig(2, 3, 3, -1, 1, "valid", "relu", "zeros",
        "zeros", 0, 0));
    assertTrue(c.getMessage().startsWith("strides:"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> new BatchNormConfig(1, 1e-3));
    assertTrue(c.getMessage().startsWith("momentum:"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> new BatchNormConfig(0.9, 0));
    assertTrue(c.getMessage().startsWith("epsilon:"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> EmbeddingConfig.of(0, 3));
    assertTrue(c.getMessage().startsWith("vocabulary:"), c.getMessage());
  }

  @Test
  void embeddingLooksUpRowsAndRejectsIdsOutsideTheVocabulary() {
    Network net = Network.builder(3).embedding(4, 2).build();
    set(net, "embedding_0/embeddings", 0, 1, 10, 11, 20, 21, 30, 31);
    assertArrayEquals(new float[] {30, 31, 0, 1, 30, 31, 10, 11, 20, 21, 10, 11},
        forward(net, new float[] {3, 0, 3, 1, 2, 1}, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(new float[] {0, 1, 2, 3, 1, 7}, 0, 2, false, null));
    assertTrue(e.getMessage().contains("example 1, position 2"), e.getMessage());
    assertTrue(e.getMessage().contains("7.0"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 4)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> net.forward(new float[] {0, 1.5f, 2}, 0, 1, false, null));
    assertTrue(e.getMessage().contains("position 1"), e.getMessage());
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> net.forward(new float[] {-1, 0, 0}, 0, 1, false, null));

    // the gradient scatter-adds into the rows; a dX asked for is all zeros
    Layer layer = net.layers().get(0);
    float[] dX = {9, 9, 9};
    Arrays.fill(net.gradientArray(), 0f);
    layer.backward(new float[] {1, 1, 3}, 0, null, new float[] {1, 2, 3, 4, 5, 6}, dX, 1);
    assertArrayEquals(new float[] {0, 0, 4, 6, 0, 0, 5, 6}, net.gradientArray());
    assertArrayEquals(new float[3], dX);
    assertNotEquals(0, net.parameterCount());
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
