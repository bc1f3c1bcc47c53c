package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.core.data.Dataset.TargetKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The small example files under test resources {@code data/} (for end-to-end training tests) read as
 * described in their generator: a LibSVM binary task and a CSV linear regression.
 */
class ExampleFilesTest {

  static Path resource(String name) throws URISyntaxException {
    return Path.of(ExampleFilesTest.class.getResource("/data/" + name).toURI());
  }

  @Test
  void binaryLibSvm() throws Exception {
    Dataset d = LibSvmReader.read(resource("binary.libsvm"), LibSvmReader.Options.defaults().withSignedToBinary(true));
    assertEquals(300, d.size());
    assertEquals(6, d.featureWidth());
    assertEquals(TargetKind.CLASS_INDEX, d.targetKind());
    assertEquals(2, d.classes());
    assertArrayEquals(new float[] {-1.5377f, 0.8424f, 0, 0.3164f, 1.0199f, 2.0876f}, d.featureRow(0));
    assertEquals(0, d.label(0));
  }

  @Test
  void regressionCsvRecoversItsCoefficientsByLeastSquares() throws IOException, URISyntaxException {
    Dataset d = CsvReader.read(resource("regression.csv"), CsvReader.Options.defaults().withLabel("y")
        .withTargetKind(TargetKind.REGRESSION));
    assertEquals(400, d.size());
    assertEquals(3, d.featureWidth());
    // normal equations (XᵀX) β = Xᵀy with a bias column, solved by Gaussian elimination in double
    double[][] a = new double[4][5];
    for (int r = 0; r < d.size(); r++) {
      double[] x = {d.features()[r * 3], d.features()[r * 3 + 1], d.features()[r * 3 + 2], 1};
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          a[i][j] += x[i] * x[j];
        }
        a[i][4] += x[i] * d.targets()[r];
      }
    }
    for (int p = 0; p < 4; p++) {
      for (int i = p + 1; i < 4; i++) {
        double f = a[i][p] / a[p][p];
        for (int j = p; j < 5; j++) {
          a[i][j] -= f * a[p][j];
        }
      }
    }
    double[] beta = new double[4];
    for (int i = 3; i >= 0; i--) {
      double s = a[i][4];
      for (int j = i + 1; j < 4; j++) {
        s -= a[i][j] * beta[j];
      }
      beta[i] = s / a[i][i];
    }
    assertArrayEquals(new double[] {2, -3, 0.5, 1}, beta, 0.03);
  }
}
