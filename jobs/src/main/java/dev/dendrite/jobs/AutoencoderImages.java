package dev.dendrite.jobs;

import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.SamplingLayer;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.jobs.report.ImageGrid;
import dev.dendrite.spark.DataBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The pictures of an autoencoder's run: test images beside their reconstructions and, for a variational
 * autoencoder, images its decoder draws from codes z ~ N(0, I). Only networks whose input is one grey
 * image ({@code [1, h, w]}, {@code [h, w]}, or a flat square {@code [h·h]}) and whose output has the same
 * size get pictures.
 */
public final class AutoencoderImages {

  /** Test images (and reconstructions) shown in the report. */
  static final int PAIRS = 16;
  /** Images decoded from the prior in the report. */
  static final int SAMPLES = 32;

  private AutoencoderImages() {
  }

  /** {@code {h, w}} of a network's input image, or null when its input is not one grey image. */
  static int[] imageSize(Network network) {
    Shape s = network.inputShape();
    int[] hw = null;
    if (s.rank() == 3 && s.dim(0) == 1) {
      hw = new int[] {s.dim(1), s.dim(2)};
    } else if (s.rank() == 2) {
      hw = new int[] {s.dim(0), s.dim(1)};
    } else if (s.rank() == 1) {
      int side = (int) Math.round(Math.sqrt(s.size()));
      hw = side * side == s.size() && side >= 4 ? new int[] {side, side} : null;
    }
    return hw != null && network.outputSize() == network.inputSize() ? hw : null;
  }

  /** The index of the network's sampling layer (the decoder starts after it), or -1 when it has none. */
  public static int samplingLayer(Network network) {
    List<Layer> layers = network.layers();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof SamplingLayer) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code count} images {@code [count, outputSize]} decoded from codes z ~ N(0, I) drawn from
   * {@code seed}: the layers after the sampling layer, in inference mode.
   */
  public static float[] decodePrior(Network network, int count, long seed) {
    int sampling = samplingLayer(network);
    if (sampling < 0) {
      throw new IllegalArgumentException("the network has no sampling layer, so no prior to draw codes from: "
          + network);
    }
    if (sampling == network.layers().size() - 1) {
      throw new IllegalArgumentException("the network ends with its sampling layer: there is no decoder");
    }
    int k = network.layers().get(sampling).outputShape().size();
    Rng rng = new Rng(Rng.mix(seed, 0x5A3913));
    float[] z = new float[count * k];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) rng.nextGaussian();
    }
    return network.forwardFrom(sampling + 1, z, 0, count, false, null).clone();
  }

  /** The report's grids for an autoencoder with test data; empty when the network's input is not an image. */
  static List<ImageGrid> grids(Network network, JavaRDD<DataBlock> test, long seed) {
    int[] hw = imageSize(network);
    List<ImageGrid> grids = new ArrayList<>();
    if (hw == null || test == null) {
      return grids;
    }
    int size = hw[0] * hw[1];
    List<DataBlock> first = test.filter(b -> b.size() > 0).take(1);
    if (!first.isEmpty()) {
      DataBlock b = first.get(0);
      int n = Math.min(PAIRS, b.size());
      float[] x = java.util.Arrays.copyOf(b.features(), n * size);
      float[] y = network.forward(x, 0, n, false, null);
      float[] pairs = new float[2 * n * size]; // original, reconstruction, original, ...
      for (int i = 0; i < n; i++) {
        System.arraycopy(x, i * size, pairs, 2 * i * size, size);
        System.arraycopy(y, i * size, pairs, (2 * i + 1) * size, size);
      }
      grids.add(ImageGrid.of("reconstructions", "Test images and reconstructions",
          "each pair: a test image (left) and the network's reconstruction (right)" + (samplingLayer(network) >= 0
              ? ", decoded from the mean code z = \u03bc" : ""), pairs, 2 * n, hw[0], hw[1], 8));
    }
    if (samplingLayer(network) >= 0) {
      grids.add(ImageGrid.of("prior-samples", "Decoded from z ~ N(0, I)",
          SAMPLES + " codes drawn from the prior (seed " + seed + ") through the decoder",
          decodePrior(network, SAMPLES, seed), SAMPLES, hw[0], hw[1], 8));
    }
    return grids;
  }
}
