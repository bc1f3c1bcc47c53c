package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.LibSvmReader;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.ParameterTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Data and networks the export tests share. */
final class ExportFixtures {

  private ExportFixtures() {
  }

  /** A file under the project root (found upwards from the working directory, as the module's tests run in it). */
  static Path projectFile(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(relative))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve(relative);
  }

  /** The breast-cancer test split shipped in examples/data (30 raw features). */
  static Dataset breastCancerTest() throws IOException {
    return LibSvmReader.read(projectFile("examples/data/breast-cancer-test.libsvm"),
        LibSvmReader.Options.defaults().withDimension(30));
  }

  /**
   * Gives every batch norm layer of {@code net} statistics and an affine map far from their initial
   * values (mean 0, variance 1, γ = 1, β = 0), and every layer norm its affine map, so their export is
   * tested on numbers that matter.
   */
  static void perturbBatchNorm(Network net, long seed) {
    Rng rng = new Rng(seed);
    float[] p = net.parameters();
    for (ParameterTensor t : net.layout().tensors()) {
      String n = t.name();
      for (int i = t.offset(); i < t.end(); i++) {
        if (n.endsWith("/running_var")) {
          p[i] = 0.5f + 1.5f * rng.nextFloat();
        } else if (n.endsWith("/running_mean")) {
          p[i] = rng.nextFloat() - 0.5f;
        } else if (n.endsWith("/gamma")) {
          p[i] = 0.5f + rng.nextFloat();
        } else if (n.endsWith("/beta")) {
          p[i] = 0.4f * rng.nextFloat() - 0.2f;
        }
      }
    }
    net.setParameters(p);
  }

  /** Gives every bias of {@code net} ({@code b}, {@code b_in}, {@code b_out}; zeros at first) values in ±0.2. */
  static void perturbBiases(Network net, long seed) {
    Rng rng = new Rng(seed);
    float[] p = net.parameters();
    for (ParameterTensor t : net.layout().tensors()) {
      String n = t.name();
      if (n.endsWith("/b") || n.endsWith("/b_in") || n.endsWith("/b_out")) {
        for (int i = t.offset(); i < t.end(); i++) {
          p[i] = 0.4f * rng.nextFloat() - 0.2f;
        }
      }
    }
    net.setParameters(p);
  }

  /** {@code n} draws of N(0, 1): raw sequence features. */
  static float[] gaussian(long seed, int n) {
    Rng rng = new Rng(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return x;
  }
}
