package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

/** Feature vectors written into a reused batch row read as {@code Vector.apply} reads them, and only that row. */
class FeatureVectorsTest {

  private static float[] expected(float[] before, Vector v, int offset) {
    float[] x = before.clone();
    for (int j = 0; j < v.size(); j++) {
      x[offset + j] = (float) v.apply(j);
    }
    return x;
  }

  @Test
  void aSparseVectorOverwritesEveryValueOfAReusedRow() {
    Vector sparse = Vectors.sparse(6, new int[] {1, 4}, new double[] {2.5, -1e-3});
    float[] x = new float[14];
    Arrays.fill(x, 7f); // the previous batch's values
    float[] want = expected(x, sparse, 5);
    FeatureVectors.copy(sparse, x, 5);
    assertArrayEquals(want, x, 0f, Arrays.toString(x));
  }

  @Test
  void denseAndSparseVectorsWithStoredZerosAndAnEmptySparseVectorReadAsApplyReadsThem() {
    Vector[] vectors = {
        Vectors.dense(1.0, -0.0, 3.25, 1e40, Double.NaN),
        Vectors.sparse(5, new int[] {0, 2, 3}, new double[] {0.0, -2.0, 0.1}),
        Vectors.sparse(5, new int[0], new double[0])};
    for (Vector v : vectors) {
      float[] x = new float[12];
      Arrays.fill(x, -9f);
      float[] want = expected(x, v, 3);
      FeatureVectors.copy(v, x, 3);
      assertArrayEquals(want, x, 0f, v + " -> " + Arrays.toString(x));
    }
  }
}
