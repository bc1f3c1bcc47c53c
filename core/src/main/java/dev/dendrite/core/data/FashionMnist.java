package dev.dendrite.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The benchmark data set: locates the project's {@code data/fashion-mnist} directory (running
 * {@code bin/fetch-data} when the files are missing) and reads the training and test sets.
 */
public final class FashionMnist {

  private FashionMnist() {
  }

  public static Path directory() throws IOException, InterruptedException {
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

  public static Dataset train() throws IOException, InterruptedException {
    Path dir = directory();
    return IdxReader.readImagesAndLabels(dir.resolve("train-images-idx3-ubyte.gz"),
        dir.resolve("train-labels-idx1-ubyte.gz"), "Fashion-MNIST train");
  }

  public static Dataset test() throws IOException, InterruptedException {
    Path dir = directory();
    return IdxReader.readImagesAndLabels(dir.resolve("t10k-images-idx3-ubyte.gz"),
        dir.resolve("t10k-labels-idx1-ubyte.gz"), "Fashion-MNIST test");
  }
}
