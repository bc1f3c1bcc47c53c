package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.ShallowModel;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.Sgd;
import dev.dendrite.core.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The lectures' small learning tasks, each trained with plain mini-batch steps (full batch, mini-batch
 * and stochastic descent are the same code with batch n, B and 1).
 */
class LearningTest {

  /** Trains in order (no shuffling) for {@code epochs}, batch {@code batch}; returns the last epoch's mean loss. */
  private static double train(Network net, Loss loss, Optimizer optimizer, float[] x, float[] t, int n,
                              int batch, int epochs) {
    ParameterUpdate update = new ParameterUpdate(net.layout(), optimizer, GradientClipping.NONE);
    int in = net.inputSize();
    int tw = loss.targetWidth(net.outputSize());
    Rng rng = new Rng(3);
    double epochLoss = 0;
    for (int e = 0; e < epochs; e++) {
      epochLoss = 0;
      for (int start = 0; start < n; start += batch) {
        int b = Math.min(batch, n - start);
        epochLoss += net.computeGradients(x, start * in, t, start * tw, null, 0, b, loss, 1f / b, rng);
        update.apply(net.parameterArray(), net.gradientArray());
      }
      epochLoss /= n;
    }
    return epochLoss;
  }

  private static float[] outputs(Network net, float[] x, int n) {
    return net.forward(x, 0, n, false, null).clone();
  }

  @Test
  void xorWithATwoTwoOneSigmoidNetwork() {
    float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    float[] t = {0, 1, 1, 0};
    Network net = Network.builder(2).dense(2, "sigmoid").dense(1, "sigmoid").seed(5).build();
    double loss = train(net, new MeanSquaredError(), new Sgd(2f), x, t, 4, 4, 5000);
    float[] y = outputs(net, x, 4);
    for (int i = 0; i < 4; i++) {
      assertEquals(t[i], y[i], 0.2, "XOR(" + x[2 * i] + ", " + x[2 * i + 1] + ") = " + y[i]);
    }
    assertTrue(loss < 0.02, "final MSE " + loss);
  }

  @Test
  void perceptronLearnsAndAndOrThenStopsChanging() {
    float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    for (float[] labels : new float[][] {{0, 0, 0, 1}, {0, 1, 1, 1}}) {
      ShallowModel p = ShallowModel.perceptron(2);
      Network net = p.network();
      Sgd sgd = new Sgd(0.1f);
      ParameterUpdate update = new ParameterUpdate(net.layout(), sgd, GradientClipping.NONE);
      int converged = -1;
      for (int epoch = 0; epoch < 100 && converged < 0; epoch++) {
        float[] before = net.parameters();
        for (int i = 0; i < 4; i++) { // stochastic: one example per step
          net.computeGradients(x, 2 * i, labels, i, null, 0, 1, p.loss(), 1f, null);
          update.apply(net.parameterArray(), net.gradientArray());
        }
        // the lecture's rule stops only when every y·(w·x) > 0: right predictions at w·x = 0 still move
        if (java.util.Arrays.equals(before, net.parameters())) {
          converged = epoch;
        }
      }
      assertTrue(converged >= 0, "perceptron did not learn " + java.util.Arrays.toString(labels));
      assertArrayEquals(labels, outputs(net, x, 4), "predictions of the converged perceptron");
      float[] frozen = net.parameters();
      train(net, p.loss(), sgd, x, labels, 4, 1, 20);
      assertArrayEquals(frozen, net.parameters(), "a perceptron that classifies all must stop changing");
    }
  }

  /** 200 points of two Gaussian blobs around (±1.5, ±1.5), labels 0/1, linearly separable (checked). */
  private static float[][] separable(long seed) {
    Rng rng = new Rng(seed);
    int n = 200;
    float[] x = new float[2 * n];
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      float sign = c == 1 ? 1f : -1f;
      float a;
      float b;
      do {
        a = (float) (sign * 1.5 + rng.nextGaussian() * 0.5);
        b = (float) (sign * 1.5 + rng.nextGaussian() * 0.5);
      } while (sign * (a + b) < 0.5); // keep a margin around the line a + b = 0
      x[2 * i] = a;
      x[2 * i + 1] = b;
      t[i] = c;
    }
    return new float[][] {x, t};
  }

  @Test
  void logisticRegressionSeparatesASeparableSet() {
    float[][] data = separable(11);
    ShallowModel m = ShallowModel.logisticRegression(2);
    train(m.network(), m.loss(), new Sgd(0.5f), data[0], data[1], 200, 20, 50);
    float[] p = outputs(m.network(), data[0], 200);
    for (int i = 0; i < 200; i++) {
      assertEquals(data[1][i], p[i] >= 0.5f ? 1f : 0f, "point " + i);
    }
  }

  @Test
  void linearSvmSeparatesASeparableSetWithLabelsZeroOne() {
    float[][] data = separable(12);
    ShallowModel m = ShallowModel.linearSvm(2, 1e-3);
    train(m.network(), m.loss(), new Sgd(0.05f), data[0], data[1], 200, 10, 50);
    float[] score = outputs(m.network(), data[0], 200);
    for (int i = 0; i < 200; i++) {
      assertEquals(data[1][i], score[i] >= 0 ? 1f : 0f, "point " + i + " score " + score[i]);
    }
  }

  @Test
  void regressionNetFitsSine() {
    int n = 256;
    float[] x = new float[n];
    float[] t = new float[n];
    Rng rng = new Rng(21);
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((rng.nextDouble() * 2 - 1) * Math.PI);
      t[i] = (float) Math.sin(x[i]);
    }
    Network net = Network.builder(1).dense(32, "tanh").dense(32, "tanh").dense(1).seed(4).build();
    train(net, new MeanSquaredError(), new Adam(0.01f), x, t, n, 32, 400);
    float[] grid = new float[101];
    for (int i = 0; i <= 100; i++) {
      grid[i] = (float) (-Math.PI + 2 * Math.PI * i / 100);
    }
    float[] y = outputs(net, grid, 101);
    double mse = 0;
    for (int i = 0; i <= 100; i++) {
      double e = y[i] - Math.sin(grid[i]);
      mse += e * e;
    }
    mse /= 101;
    assertTrue(mse < 0.01, "MSE on a grid over [-π, π] is " + mse);
  }

  @Test
  void softmaxRegressionAndLinearRegressionFactoriesTrain() {
    // three classes on a line: class = round(x) for x in {0, 1, 2}, with slack
    float[] x = {0f, 0.1f, 1f, 0.9f, 2f, 1.9f};
    float[] t = {0, 0, 1, 1, 2, 2};
    ShallowModel s = ShallowModel.softmaxRegression(1, 3);
    double first = s.network().loss(x, 0, t, 0, null, 0, 6, s.loss());
    train(s.network(), s.loss(), new Sgd(0.5f), x, t, 6, 6, 300);
    assertTrue(s.network().loss(x, 0, t, 0, null, 0, 6, s.loss()) < first / 2);

    float[] xr = {0, 1, 2, 3};
    float[] yr = {1, 3, 5, 7}; // y = 2x + 1
    ShallowModel r = ShallowModel.linearRegression(1, 1);
    train(r.network(), r.loss(), new Sgd(0.05f), xr, yr, 4, 4, 2000);
    float[] p = r.network().parameters();
    assertEquals(2f, p[0], 1e-3);
    assertEquals(1f, p[1], 1e-3);
  }
}
