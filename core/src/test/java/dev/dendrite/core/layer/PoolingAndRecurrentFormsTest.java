package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.random.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pooling and recurrent configs share their keys through {@link Pool2DConfig} and {@link RecurrentConfig},
 * and the pooling layers their window bounds through {@link Pool2DLayer}: the map forms keep their exact keys
 * and order, errors name the keys in file order, and the general pooling paths agree with a brute force.
 */
class PoolingAndRecurrentFormsTest {

  @Test
  void poolingMapFormsKeepTheirKeysAndOrder() {
    assertEquals(Map.of("type", "max_pool2d", "pool_size", List.of(3, 2), "strides", List.of(1, 2), "padding",
        "same"), new MaxPool2DConfig(3, 2, 1, 2, "same").toMap());
    assertEquals(List.of("type", "pool_size", "strides", "padding"),
        List.copyOf(AvgPool2DConfig.of(2).toMap().keySet()));
    assertEquals(new AvgPool2DConfig(3, 3, 3, 3, "valid"),
        LayerConfigs.fromMap("l", Map.of("type", "avg_pool2d", "pool_size", 3)));
    ConfigException e = assertThrows(ConfigException.class, () -> new MaxPool2DConfig(2, 2, 0, 1, "valid"));
    assertEquals("strides: must be positive, got [0, 1]", e.getMessage());
  }

  @Test
  void recurrentMapFormsKeepTheirKeysAndOrder() {
    Map<String, Object> gru = GruConfig.of(3, true).withTruncate(2).withRegularization(0.5, 0.25).toMap();
    assertEquals(List.of("gru", 3, true, 2, "glorot_uniform", "orthogonal", "zeros", 0.5, 0.25),
        List.copyOf(gru.values()));
    assertEquals(List.of("type", "units", "return_sequences", "truncate", "kernel_init", "recurrent_init",
        "bias_init", "l1", "l2"), List.copyOf(SimpleRnnConfig.of(2, false).toMap().keySet()));
    Map<String, Object> lstm = LstmConfig.of(2, false).toMap();
    assertEquals(List.of("type", "units", "return_sequences", "truncate", "kernel_init", "recurrent_init",
        "bias_init", "unit_forget_bias", "l1", "l2"), List.copyOf(lstm.keySet()));
    assertEquals(LstmConfig.of(2, false), LayerConfigs.fromMap("l", lstm));
    assertEquals(SimpleRnnConfig.of(4, false), LayerConfigs.fromMap("l", Map.of("type", "simple_rnn", "units", 4)));
  }

  @Test
  void unknownRecurrentKeysListTheAllowedOnesInFileOrder() {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("type", "lstm", "units", 2, "peepholes", true));
    ConfigException e = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("net.layers[1]", m));
    assertEquals("net.layers[1].peepholes: unknown key; allowed keys here are [type, units, return_sequences, "
        + "truncate, kernel_init, recurrent_init, bias_init, unit_forget_bias, l1, l2]", e.getMessage());
    m.put("type", "gru");
    e = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("net.layers[1]", m));
    assertEquals("net.layers[1].peepholes: unknown key; allowed keys here are [type, units, return_sequences, "
        + "truncate, kernel_init, recurrent_init, bias_init, l1, l2]", e.getMessage());
  }

  @ParameterizedTest(name = "{0}x{1} window, stride {2}x{3}, {4}")
  @CsvSource({"3, 3, 1, 1, same", "3, 2, 2, 3, same", "3, 2, 2, 3, valid", "2, 2, 1, 1, valid", "5, 5, 1, 1, same",
      "2, 2, 2, 2, same"})
  void generalPoolingPathsMatchBruteForce(int kh, int kw, int sh, int sw, String padding) {
    int channels = 2;
    int height = 7;
    int width = 5;
    int batch = 2;
    Shape input = Shape.of(channels, height, width);
    Layer max = new MaxPool2DConfig(kh, kw, sh, sw, padding).build(input, 0, null);
    Layer avg = new AvgPool2DConfig(kh, kw, sh, sw, padding).build(input, 1, null);
    Window2D g = new Window2D("test", "pool_size", input, kh, kw, sh, sw, padding);
    int in = input.size();
    int out = max.outputShape().size();
    Rng rng = new Rng(3);
    float[] x = new float[1 + batch * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] dY = new float[batch * out];
    for (int i = 0; i < dY.length; i++) {
      dY[i] = (float) rng.nextGaussian();
    }
    float[] maxY = new float[batch * out];
    float[] avgY = new float[batch * out];
    float[] maxDx = new float[batch * in];
    float[] avgDx = new float[batch * in];
    max.allocate(batch);
    max.forward(x, 1, maxY, batch, true, null);
    max.backward(x, 1, maxY, dY, maxDx, batch);
    avg.forward(x, 1, avgY, batch, true, null);
    avg.backward(x, 1, avgY, dY, avgDx, batch);

    float[] wantMax = new float[batch * out];
    float[] wantAvg = new float[batch * out];
    float[] wantMaxDx = new float[batch * in];
    float[] wantAvgDx = new float[batch * in];
    int o = 0;
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        for (int oh = 0; oh < g.outH; oh++) {
          for (int ow = 0; ow < g.outW; ow++, o++) {
            int best = -1;
            double sum = 0;
            int count = 0;
            for (int i = 0; i < kh; i++) {
              for (int j = 0; j < kw; j++) {
                int ih = oh * sh - g.padTop + i;
                int iw = ow * sw - g.padLeft + j;
                if (ih < 0 || ih >= height || iw < 0 || iw >= width) {
                  continue;
                }
                int at = n * in + (c * height + ih) * width + iw;
                if (best < 0 || x[1 + at] > x[1 + best]) {
                  best = at;
                }
                sum += x[1 + at];
                count++;
              }
            }
            wantMax[o] = x[1 + best];
            wantMaxDx[best] += dY[o];
            wantAvg[o] = (float) (sum / count);
            for (int i = 0; i < kh; i++) {
              for (int j = 0; j < kw; j++) {
                int ih = oh * sh - g.padTop + i;
                int iw = ow * sw - g.padLeft + j;
                if (ih >= 0 && ih < height && iw >= 0 && iw < width) {
                  wantAvgDx[n * in + (c * height + ih) * width + iw] += dY[o] / count;
                }
              }
            }
          }
        }
      }
    }
    assertArrayEquals(wantMax, maxY);
    assertArrayEquals(wantMaxDx, maxDx);
    assertArrayEquals(wantAvg, avgY);
    assertArrayEquals(wantAvgDx, avgDx, 1e-6f);
  }
}
