package dev.dendrite.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.train.Evaluation;
import dev.dendrite.core.train.Evaluator;
import dev.dendrite.core.loss.Task;
import org.junit.jupiter.api.Test;

/**
 * A position-wise softmax over sequences of T = 3 positions: one class label per position, the loss of an
 * example the mean of its positions' cross-entropies, accuracy counted position by position.
 */
class PositionWiseOutputTest {

  private static final int T = 3;
  private static final SparseCategoricalCrossEntropy LOSS = new SparseCategoricalCrossEntropy();

  private static Network network() {
    Network net = Network.builder(T, 2).timeDistributedDense(4, "softmax").gemm(new EjmlGemm()).seed(1).build();
    float[] p = new float[net.parameterCount()]; // W [4, 2] then b [4]: z = (x0, x1, -x0, -x1)
    p[0] = 1;
    p[3] = 1;
    p[4] = -1;
    p[7] = -1;
    net.setParameters(p);
    return net;
  }

  // example 0 positions: class 0 wins, class 1 wins, class 2 wins; example 1: class 3, class 0, class 1
  private static final float[] X = {2, 0, 0, 2, -2, 0, 0, -2, 2, 0, 0, 2};

  private static double crossEntropy(float[] z, int k) {
    double sum = 0;
    for (float v : z) {
      sum += Math.exp(v);
    }
    return -Math.log(Math.exp(z[k]) / sum);
  }

  @Test
  void anExamplesLossIsTheMeanOverItsPositions() {
    Network net = network();
    float[] labels = {0, 1, 2, 3, 0, 0}; // the last position is wrong (its class 1 wins)
    assertEquals(T, net.targetWidth(LOSS));
    double[] perPosition = new double[6];
    for (int i = 0; i < 6; i++) {
      float[] x = {X[2 * i], X[2 * i + 1]};
      perPosition[i] = crossEntropy(new float[] {x[0], x[1], -x[0], -x[1]}, (int) labels[i]);
    }
    double example0 = (perPosition[0] + perPosition[1] + perPosition[2]) / 3;
    double example1 = (perPosition[3] + perPosition[4] + perPosition[5]) / 3;
    assertEquals(example0 + example1, net.loss(X, 0, labels, 0, null, 0, 2, LOSS), 1e-5);
    assertEquals(2 * example0, net.loss(X, 0, labels, 0, new float[] {2, 0}, 0, 2, LOSS), 1e-5);
    double trained = net.computeGradients(X, 0, labels, 0, null, 0, 2, LOSS, 0.5f, null);
    assertEquals(example0 + example1, trained, 1e-5);

    Evaluation e = Evaluator.evaluate(net, LOSS, X, labels, null, 2, 2, new Evaluation(Task.MULTICLASS));
    assertEquals(5.0 / 6, e.accuracy(), 1e-12, "5 of 6 positions right");
    assertEquals((example0 + example1) / 2, e.meanLoss(), 1e-5);
  }

  @Test
  void aLabelPerPositionIsRequired() {
    Network net = network();
    String m = assertThrows(IllegalArgumentException.class,
        () -> net.loss(X, 0, new float[] {0, 1}, 0, null, 0, 2, LOSS)).getMessage();
    assertTrue(m.contains("needs 3 target value(s) per example, 6 for the batch"), m);
  }
}
