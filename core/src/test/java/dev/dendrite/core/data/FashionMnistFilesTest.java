package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST test files when bin/fetch-data or the Debian package has put them somewhere. */
class FashionMnistFilesTest {

  static Path findDirectory() {
    return Stream.of(Path.of("data/fashion-mnist"), Path.of("../data/fashion-mnist"),
            Path.of("/usr/share/datasets/fashion-mnist"))
        .filter(d -> Files.isRegularFile(d.resolve("t10k-images-idx3-ubyte.gz")))
        .findFirst().orElse(null);
  }

  @Test
  void t10kHasTenThousandImagesAndAThousandPerClass() throws IOException {
    Path dir = findDirectory();
    Assumptions.assumeTrue(dir != null, "no Fashion-MNIST files; run bin/fetch-data");
    Dataset d = IdxReader.readImagesAndLabels(dir.resolve("t10k-images-idx3-ubyte.gz"),
        dir.resolve("t10k-labels-idx1-ubyte.gz"), "Fashion-MNIST");
    assertEquals(10000, d.size());
    assertEquals(Shape.of(1, 28, 28), d.featureShape());
    assertEquals(10, d.classes());
    int[] counts = d.classCounts();
    for (int c = 0; c < 10; c++) {
      assertEquals(1000, counts[c], "class " + c);
    }
    float max = 0;
    for (float v : d.features()) {
      assertTrue(v >= 0);
      assertTrue(v <= 255);
      assertTrue(v == Math.rint(v));
      max = Math.max(max, v);
    }
    assertEquals(255f, max);
    assertEquals(9, d.label(0));   // the first test image is an ankle boot
  }
}
