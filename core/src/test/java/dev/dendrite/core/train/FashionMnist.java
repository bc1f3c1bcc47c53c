package dev.dendrite.core.train;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates (fetching it with {@code bin/fetch-data} when missing) and reads the Fashion-MNIST files. */
final class FashionMnist {

  private FashionMnist() {
  }

  static Path directory() throws IOException, InterruptedException {
    Path root = Paths.get("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("bin/fetch-data"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("cannot find the project root (bin/fetch-data) above "
          + Paths.get("").toAbsolutePath());
    }
    Path dir = root.resolve("data/fashion-mnist");
    if (!Files.exists(dir.resolve("t10k-labels-idx1-ubyte.gz"))) {
      Process p = new ProcessBuilder(root.resolve("bin/fetch-data").toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("bin/fetch-data failed; Fashion-MNIST is needed in " + dir);
      }
    }
    return dir;
  }

  static Dataset train() throws IOException, InterruptedException {
    Path dir = directory();
    return IdxReader.readImagesAndLabels(dir.resolve("train-images-idx3-ubyte.gz"),
        dir.resolve("train-labels-idx1-ubyte.gz"), "Fashion-MNIST train");
  }

  static Dataset test() throws IOException, InterruptedException {
    Path dir = directory();
    return IdxReader.readImagesAndLabels(dir.resolve("t10k-images-idx3-ubyte.gz"),
        dir.resolve("t10k-labels-idx1-ubyte.gz"), "Fashion-MNIST test");
  }
}
