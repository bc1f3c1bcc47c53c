package dev.dendrite.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.random.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private static final double EPS = 1e-12;

  /*
   * A 3-class confusion matrix worked by hand (rows: true class, columns: predicted).
   *
   *              pred A  pred B  pred C   support
   *   true A        5       2       1        8
   *   true B        1       6       3       10
   *   true C        0       2       4        6
   *   predicted     6      10       8       24
   *
   *   accuracy  = (5 + 6 + 4) / 24 = 15/24 = 0.625
   *   class A:  P = 5/6  = 0.833333   R = 5/8  = 0.625      F1 = 2·5/(6+8)  = 10/14 = 0.714286
   *   class B:  P = 6/10 = 0.6        R = 6/10 = 0.6        F1 = 2·6/(10+10) = 12/20 = 0.6
   *   class C:  P = 4/8  = 0.5        R = 4/6  = 0.666667   F1 = 2·4/(8+6)  = 8/14  = 0.571429
   *   macro     P = (0.833333 + 0.6 + 0.5)/3 = 0.644444
   *             R = (0.625 + 0.6 + 0.666667)/3 = 0.630556
   *             F1 = (0.714286 + 0.6 + 0.571429)/3 = 0.628571
   *   micro     P = R = F1 = 15/24 = 0.625 (each error is one FP and one FN)
   *   weighted  P = (8·0.833333 + 10·0.6 + 6·0.5)/24 = 15.666667/24 = 0.652778
   *             R = (8·0.625 + 10·0.6 + 6·0.666667)/24 = 15/24 = 0.625
   *             F1 = (8·0.714286 + 10·0.6 + 6·0.571429)/24 = 15.142857/24 = 0.630952
   */
  private static ConfusionMatrix handMatrix() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    long[][] counts = {{5, 2, 1}, {1, 6, 3}, {0, 2, 4}};
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        for (int i = 0; i < counts[t][p]; i++) {
          m.add(t, p);
        }
      }
    }
    return m;
  }

  @Test
  void aScoreOfExactlyZeroIsTheNegativeClassSoAPerceptronsStepOutputsReadRight() {
    // a binary step outputs 0 or 1: its 0 must read as class 0, and a perceptron at w·x = 0 has not
    // called the positive class
    ClassificationMetrics steps = ClassificationMetrics.binaryScores(0f);
    steps.add(new float[] {0f, 1f, 0f, 1f}, 1, new float[] {0, 1, 0, 1}, 0, 1, 4);
    assertEquals(1.0, steps.accuracy(), EPS, "step outputs 0, 1, 0, 1 against labels 0, 1, 0, 1");
    assertEquals(2L, steps.confusionMatrix().predicted(0),
        "both zero scores are class 0");
  }

  @Test
  void confusionMatrixMatchesTheHandWorkedExample() {
    ConfusionMatrix m = handMatrix();
    assertEquals(24, m.total());
    assertEquals(0.625, m.accuracy(), EPS);
    assertEquals(5.0 / 6, m.precision(0), EPS);
    assertEquals(0.6, m.precision(1), EPS);
    assertEquals(0.5, m.precision(2), EPS);
    assertEquals(0.625, m.recall(0), EPS);
    assertEquals(0.6, m.recall(1), EPS);
    assertEquals(4.0 / 6, m.recall(2), EPS);
    assertEquals(10.0 / 14, m.f1(0), EPS);
    assertEquals(0.6, m.f1(1), EPS);
    assertEquals(8.0 / 14, m.f1(2), EPS);
    assertEquals(0.644444, m.macroPrecision(), 1e-6);
    assertEquals(0.630556, m.macroRecall(), 1e-6);
    assertEquals(0.628571, m.macroF1(), 1e-6);
    assertEquals(0.625, m.microPrecision(), EPS);
    assertEquals(0.625, m.microRecall(), EPS);
    assertEquals(0.625, m.microF1(), EPS);
    assertEquals(0.652778, m.weightedPrecision(), 1e-6);
    assertEquals(0.625, m.weightedRecall(), EPS);
    assertEquals(0.630952, m.weightedF1(), 1e-6);
  }

  @Test
  void zeroDenominatorsGiveZeroNotNaN() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    m.add(0, 0);
    m.add(1, 0);
    // class 2 never appears nor is predicted; class 1 is never predicted
    assertEquals(0, m.precision(1));
    assertEquals(0, m.recall(2));
    assertEquals(0, m.f1(2));
    assertEquals((2.0 / 3 + 0 + 0) / 3, m.macroF1(), EPS);
    assertThrows(IllegalArgumentException.class, () -> m.add(3, 0));
  }

  @Test
  void tableIsAlignedAndNamesTheClasses() {
    String table = handMatrix().toTable(new String[] {"cat", "dog", "bird"});
    String[] lines = table.split("\n");
    assertTrue(lines[0].startsWith("true \\ predicted"), table);
    assertTrue(lines[1].startsWith("cat "), table);
    assertEquals(lines[0].length(), lines[1].length(), table);
    assertEquals(lines[1].length(), lines[3].length(), table);
    assertTrue(lines[1].endsWith("5     2     1"), table);
    assertTrue(table.contains("weighted avg         0.6528     0.6250     0.6310         24"), table);
    assertThrows(IllegalArgumentException.class, () -> handMatrix().toTable(new String[] {"a"}));
  }

  @Test
  void rocAucWithTiesMatchesTheAverageRankComputation() {
    /*
     * Positives score 0.8, 0.4, 0.6; negatives 0.4, 0.2, 0.6, 0.1. Sorted: 0.1N 0.2N 0.4N 0.4P 0.6N 0.6P 0.8P
     * with ranks 1, 2, 3.5, 3.5, 5.5, 5.5, 7 (ties share the average rank). Sum of positive ranks = 16,
     * U = 16 - 3·4/2 = 10, AUC = U / (3·4) = 10/12. Pairwise: 0.8 beats 4; 0.4 beats 2, ties 1 → 2.5;
     * 0.6 beats 3, ties 1 → 3.5; total 10 of 12.
     */
    float[] scores = {0.8f, 0.4f, 0.4f, 0.6f, 0.2f, 0.6f, 0.1f};
    int[] labels = {1, 1, 0, 1, 0, 0, 0};
    ClassificationMetrics oneColumn = new ClassificationMetrics(2);
    ClassificationMetrics twoColumns = new ClassificationMetrics(2);
    ClassificationMetrics logits = ClassificationMetrics.binaryScores(0f);
    for (int i = 0; i < scores.length; i++) {
      oneColumn.add(new float[] {scores[i]}, 0, 1, labels[i]);
      twoColumns.add(new float[] {1 - scores[i], scores[i]}, 0, 2, labels[i]);
      logits.add(new float[] {scores[i] - 0.5f}, 0, 1, labels[i]);
    }
    assertEquals(10.0 / 12, oneColumn.rocAuc(), EPS);
    assertEquals(10.0 / 12, twoColumns.rocAuc(), EPS);
    assertEquals(10.0 / 12, logits.rocAuc(), EPS);
    // threshold 0.5: predicted 1 for 0.8, 0.6, 0.6 → right: 0.8P, 0.6P, 0.4N, 0.2N, 0.1N = 5 of 7
    assertEquals(5.0 / 7, oneColumn.accuracy(), EPS);
    assertTrue(Double.isNaN(logits.logLoss()));
    assertTrue(Double.isNaN(new ClassificationMetrics(2).rocAuc()));
    assertThrows(IllegalStateException.class, () -> new ClassificationMetrics(3).rocAuc());
  }

  @Test
  void perfectAndReversedRankingsGiveOneAndZero() {
    ClassificationMetrics perfect = new ClassificationMetrics(2);
    ClassificationMetrics reversed = new ClassificationMetrics(2);
    for (int i = 0; i < 10; i++) {
      perfect.add(new float[] {i / 10f}, 0, 1, i >= 5 ? 1 : 0);
      reversed.add(new float[] {i / 10f}, 0, 1, i >= 5 ? 0 : 1);
    }
    assertEquals(1.0, perfect.rocAuc());
    assertEquals(0.0, reversed.rocAuc());
  }

  @Test
  void accuracyTopKAndLogLossByHand() {
    ClassificationMetrics m = new ClassificationMetrics(3, 2);
    m.add(new float[] {0.7f, 0.2f, 0.1f}, 0, 3, 0); // right; rank 0
    m.add(new float[] {0.1f, 0.3f, 0.6f}, 0, 3, 1); // wrong; rank 1 (only 0.6 above)
    m.add(new float[] {0f, 0f, 1f}, 0, 3, 0);       // wrong; rank 1 (the tie with class 1 ranks after class 0)
    assertEquals(1.0 / 3, m.accuracy(), EPS);
    assertEquals(1.0, m.topKAccuracy(), EPS);
    double expected = (-Math.log(0.7f) - Math.log(0.3f) - Math.log(1e-15)) / 3; // p = 0 clipped to 1e-15
    assertEquals(expected, m.logLoss(), EPS);
    assertEquals(34.538776394910684, -Math.log(1e-15), 1e-12);
    ConfusionMatrix cm = m.confusionMatrix();
    assertEquals(1, cm.count(0, 0));
    assertEquals(1, cm.count(1, 2));
    assertEquals(1, cm.count(0, 2));
  }

  @Test
  void topOneAccuracyEqualsAccuracyEvenWithTies() {
    ClassificationMetrics m = new ClassificationMetrics(4, 1);
    Rng rng = new Rng(5);
    for (int i = 0; i < 500; i++) {
      float[] row = new float[4];
      for (int j = 0; j < 4; j++) {
        row[j] = rng.nextInt(3) / 2f; // many ties
      }
      m.add(row, 0, 4, rng.nextInt(4));
    }
    assertEquals(m.accuracy(), m.topKAccuracy(), 0);
  }

  @Test
  void batchAddReadsClassIndicesAndOneHotTargets() {
    float[] pred = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f};
    ClassificationMetrics byIndex = new ClassificationMetrics(2);
    byIndex.add(pred, 2, new float[] {0, 1, 1}, 0, 1, 3);
    ClassificationMetrics byOneHot = new ClassificationMetrics(2);
    byOneHot.add(pred, 2, new float[] {1, 0, 0, 1, 0, 1}, 0, 2, 3);
    assertEquals(2.0 / 3, byIndex.accuracy(), EPS);
    assertEquals(byIndex.logLoss(), byOneHot.logLoss(), 0);
    assertEquals(byIndex.rocAuc(), byOneHot.rocAuc(), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationMetrics(3).add(new float[] {1, 0, 0}, 3, new float[] {1.5f}, 0, 1, 1));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationMetrics(3).add(new float[] {Float.NaN, 0, 0}, 0, 3, 0));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void mergeEqualsAddingEverythingToOne() {
    Rng rng = new Rng(11);
    ClassificationMetrics all = new ClassificationMetrics(2);
    ClassificationMetrics a = new ClassificationMetrics(2);
    ClassificationMetrics b = new ClassificationMetrics(2);
    ClassificationMetrics c3all = new ClassificationMetrics(3, 2);
    ClassificationMetrics c3a = new ClassificationMetrics(3, 2);
    ClassificationMetrics c3b = new ClassificationMetrics(3, 2);
    for (int i = 0; i < 1000; i++) {
      int label = rng.nextInt(2);
      float[] row = {Math.round(rng.nextFloat() * 20) / 20f}; // ties across the split
      all.add(row, 0, 1, label);
      (i % 3 == 0 ? a : b).add(row, 0, 1, label);
      float[] p3 = {rng.nextFloat(), rng.nextFloat(), rng.nextFloat()};
      float s = p3[0] + p3[1] + p3[2];
      for (int j = 0; j < 3; j++) {
        p3[j] /= s;
      }
      int l3 = rng.nextInt(3);
      c3all.add(p3, 0, 3, l3);
      (i < 400 ? c3a : c3b).add(p3, 0, 3, l3);
    }
    a.merge(b);
    assertEquals(all.examples(), a.examples());
    assertEquals(all.accuracy(), a.accuracy(), 0);
    assertEquals(all.rocAuc(), a.rocAuc(), 0); // exact: computed from the same sorted scores
    assertEquals(all.logLoss(), a.logLoss(), 1e-12);
    c3a.merge(c3b);
    assertEquals(c3all.topKAccuracy(), c3a.topKAccuracy(), 0);
    assertEquals(c3all.logLoss(), c3a.logLoss(), 1e-12);
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(c3all.confusionMatrix().count(t, p), c3a.confusionMatrix().count(t, p));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> c3a.merge(new ClassificationMetrics(3, 1)));
  }

  @Test
  void accumulatorsSurviveJavaSerializationForSpark() throws Exception {
    ClassificationMetrics m = new ClassificationMetrics(2);
    m.add(new float[] {0.3f}, 0, 1, 0);
    m.add(new float[] {0.7f}, 0, 1, 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ClassificationMetrics back = (ClassificationMetrics) in.readObject();
      assertEquals(1.0, back.rocAuc());
      assertEquals(m.logLoss(), back.logLoss(), 0);
    }
  }

  /*
   * Four examples, three labels, threshold 0.5 (prediction >= 0.5 → label on; target > 0.5 → present):
   *   e1 [0.9 0.2 0.6] vs [1 0 1]: all right
   *   e2 [0.4 0.7 0.5] vs [1 1 0]: label 0 FN, label 1 TP, label 2 FP   (2 wrong)
   *   e3 [0.1 0.1 0.1] vs [0 0 0]: all right
   *   e4 [0.8 0.3 0.2] vs [0 1 1]: label 0 FP, label 1 FN, label 2 FN   (3 wrong)
   * Hamming loss 5/12; subset accuracy 2/4.
   * label 0: TP 1 (e1), FP 1 (e4), FN 1 (e2) → P = R = F1 = 0.5
   * label 1: TP 1 (e2), FN 1 (e4)             → P = 1, R = 0.5, F1 = 2/3
   * label 2: TP 1 (e1), FP 1 (e2), FN 1 (e4) → P = R = F1 = 0.5
   * macro F1 = (0.5 + 2/3 + 0.5)/3 = 0.555556; micro: TP 3, FP 2, FN 3 → 6/11.
   */
  @Test
  void multiLabelByHand() {
    float[] pred = {0.9f, 0.2f, 0.6f, 0.4f, 0.7f, 0.5f, 0.1f, 0.1f, 0.1f, 0.8f, 0.3f, 0.2f};
    float[] target = {1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1};
    MultiLabelMetrics m = new MultiLabelMetrics(3);
    m.add(pred, target, 0, 4);
    assertEquals(5.0 / 12, m.hammingLoss(), EPS);
    assertEquals(0.5, m.subsetAccuracy(), EPS);
    assertEquals(0.5, m.precision(0), EPS);
    assertEquals(1.0, m.precision(1), EPS);
    assertEquals(0.5, m.recall(1), EPS);
    assertEquals(2.0 / 3, m.f1(1), EPS);
    assertEquals(0.5, m.f1(2), EPS);
    assertEquals(0.555556, m.macroF1(), 1e-6);
    assertEquals(6.0 / 11, m.microF1(), EPS);

    MultiLabelMetrics a = new MultiLabelMetrics(3);
    MultiLabelMetrics b = new MultiLabelMetrics(3);
    a.add(pred, target, 0, 1);
    float[] rest = java.util.Arrays.copyOfRange(pred, 3, 12);
    b.add(rest, target, 3, 3);
    a.merge(b);
    assertEquals(m.metrics(""), a.metrics(""));
  }

  @Test
  void regressionByHand() {
    // scikit-learn's documented example: y = [3, -0.5, 2, 7], pred = [2.5, 0, 2, 8]
    // errors 0.5, 0.5, 0, 1: MSE = 1.5/4 = 0.375, MAE = 2/4 = 0.5
    // mean y = 2.875, SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875, R² = 1 - 1.5/29.1875
    RegressionMetrics m = new RegressionMetrics();
    double[] y = {3, -0.5, 2, 7};
    double[] p = {2.5, 0, 2, 8};
    for (int i = 0; i < 4; i++) {
      m.add(p[i], y[i]);
    }
    assertEquals(0.375, m.mse(), EPS);
    assertEquals(Math.sqrt(0.375), m.rmse(), EPS);
    assertEquals(0.5, m.mae(), EPS);
    assertEquals(0.948608137, m.r2(), 1e-9);

    // the same data shifted by 1e9: Σy² would lose every digit of SS_tot; the running variance keeps them
    RegressionMetrics shifted = new RegressionMetrics();
    for (int i = 0; i < 4; i++) {
      shifted.add(p[i] + 1e9, y[i] + 1e9);
    }
    assertEquals(0.948608137, shifted.r2(), 1e-9);

    RegressionMetrics constant = new RegressionMetrics();
    constant.add(1, 1);
    constant.add(1, 1);
    assertEquals(1.0, constant.r2());
    constant.add(2, 1);
    assertEquals(0.0, constant.r2());
  }

  @Test
  void regressionMergeEqualsAddingEverythingToOne() {
    Rng rng = new Rng(3);
    RegressionMetrics all = new RegressionMetrics(2);
    RegressionMetrics a = new RegressionMetrics(2);
    RegressionMetrics b = new RegressionMetrics(2);
    RegressionMetrics empty = new RegressionMetrics(2);
    for (int i = 0; i < 300; i++) {
      float[] pred = {rng.nextFloat() * 10, rng.nextFloat() + 100};
      float[] y = {rng.nextFloat() * 10, rng.nextFloat() + 100};
      all.add(pred, 0, y, 0);
      (i < 120 ? a : b).add(pred, 0, y, 0);
    }
    a.merge(b).merge(empty);
    assertEquals(all.examples(), a.examples());
    assertEquals(all.mse(), a.mse(), 1e-12);
    assertEquals(all.mae(), a.mae(), 1e-12);
    assertEquals(all.r2(0), a.r2(0), 1e-12);
    assertEquals(all.r2(1), a.r2(1), 1e-12);
    assertEquals((all.r2(0) + all.r2(1)) / 2, all.r2(), EPS);
    RegressionMetrics intoEmpty = new RegressionMetrics(2).merge(all);
    assertEquals(all.r2(), intoEmpty.r2(), 0);
  }
}
