package dev.dendrite.core.gradcheck;

import static dev.dendrite.core.gradcheck.CheckSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.layer.GruConfig;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.layer.LstmConfig;
import dev.dendrite.core.layer.SimpleRnnConfig;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Simple RNN, LSTM and GRU pass the numerical gradient check through T = 5 steps: many-to-one and
 * many-to-many, stacked (so the inner layer's dX is checked), with a dense output and a loss, and with
 * non-zero biases so every gate is exercised.
 */
class RecurrentGradientCheckTest {

  private static final int BATCH = 3;
  private static final int T = 5;
  private static final int F = 3;
  private static final float[] X = uniform(31, BATCH * T * F, -2, 2);
  private static final float[] T2 = uniform(32, BATCH * 2, -3, 3);
  private static final String KERNEL = "he_uniform";
  private static final String BIAS = "uniform(0.5)";

  /** A layer of the given type with small random biases (the LSTM keeps its forget-gate bias of 1). */
  static LayerConfig layer(String type, int units, boolean sequences) {
    return switch (type) {
      case "simple_rnn" -> SimpleRnnConfig.of(units, sequences).withInit(KERNEL, "orthogonal", BIAS);
      case "lstm" -> LstmConfig.of(units, sequences).withInit(KERNEL, "orthogonal(2)", BIAS, true);
      case "gru" -> GruConfig.of(units, sequences).withInit(KERNEL, "orthogonal", BIAS);
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static void check(Network net, float[] targets) {
    assertChecked(new GradientCheck(net, new MeanSquaredError()).batch(X, targets, null, BATCH).run());
  }

  /**
   * The check passed, and it could have failed: every parameter tensor (so every layer's W, U and biases,
   * and through the inner layers' W the dX of the layers above them) has components of at least FLOOR,
   * which a 1 % error would fail, and so has a tenth of all. (LSTM derivatives are small — each passes
   * through gate derivatives ≤ 1/4 — so the usual quarter is out of reach for stacked LSTMs.)
   */
  static void assertChecked(GradientCheck.Result r) {
    r.assertPassed(Math.max(1, r.entries().size() / 10));
    Map<String, Long> large = r.entries().stream().filter(e -> Math.abs(e.analytic()) >= GradientCheck.FLOOR)
        .collect(Collectors.groupingBy(GradientCheck.Entry::tensor, Collectors.counting()));
    Set<String> tensors = r.entries().stream().map(GradientCheck.Entry::tensor)
        .collect(Collectors.toCollection(TreeSet::new));
    for (String tensor : tensors) {
      assertTrue(large.getOrDefault(tensor, 0L) > 0, tensor + " has no derivative of at least "
          + GradientCheck.FLOOR + ": " + large + "\n" + r.report());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void manyToOneWithADenseOutput(String type) {
    Network net = Network.builder(T, F).add(layer(type, 4, false)).dense(2).gemm(new EjmlGemm()).seed(3).build();
    check(net, T2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void manyToManyWithADenseOverAllSteps(String type) {
    Network net = Network.builder(T, F).add(layer(type, 4, true)).dense(2, "tanh").dense(2)
        .gemm(new EjmlGemm()).seed(4).build();
    check(net, T2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void stackedSoTheInnerDxIsChecked(String type) {
    Network net = Network.builder(T, F).add(layer(type, 4, true)).add(layer(type, 3, false)).dense(2)
        .gemm(new EjmlGemm()).seed(5).build();
    check(net, T2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple_rnn", "lstm", "gru"})
  void stackedManyToManyAsTheOutput(String type) {
    // Loss directly on every hidden state of the second layer: [T, out] targets per example. MSE averages
    // over T·out values, which shrinks every derivative; the LSTM, whose derivatives are the smallest, gets
    // one output unit so that its inner U still has derivatives above the floor.
    int out = type.equals("lstm") ? 1 : 2;
    Network net = Network.builder(T, F).add(layer(type, 4, true)).add(layer(type, out, true))
        .gemm(new EjmlGemm()).seed(6).build();
    check(net, uniform(33, BATCH * T * out, -3, 3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ejml", "blas"})
  void allThreeStackedOnEitherBackendWithSoftmax(String backend) {
    Network net = Network.builder(T, F).add(layer("lstm", 4, true)).add(layer("gru", 4, true))
        .add(layer("simple_rnn", 3, false)).dense(3, "softmax").gemm(Gemms.factory(backend).get()).seed(7).build();
    float[] labels = {2, 0, 1};
    assertChecked(new GradientCheck(net, new SparseCategoricalCrossEntropy()).batch(X, labels, null, BATCH).run());
  }

  @Test
  void aLongerSequence() {
    // T = 12 steps, one feature: gradients through many products of recurrent Jacobians.
    int steps = 12;
    float[] x = uniform(34, BATCH * steps, -1, 1);
    for (String type : new String[] {"simple_rnn", "lstm", "gru"}) {
      Network net = Network.builder(steps, 1).add(layer(type, 3, false)).dense(2).gemm(new EjmlGemm()).seed(8)
          .build();
      assertChecked(new GradientCheck(net, new MeanSquaredError()).batch(x, T2, null, BATCH).run());
    }
  }


  @Test
  void embeddingIntoAnLstm() {
    // Integer ids [T] → embedding [T, 3] → LSTM: the recurrent layer's dX reaches the embedding rows.
    float[] ids = new float[BATCH * T];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 5 + 2) % 7;
    }
    Network net = Network.builder(T).embedding(7, 3).add(layer("lstm", 4, false)).dense(2).gemm(new EjmlGemm())
        .seed(9).build();
    assertChecked(new GradientCheck(net, new MeanSquaredError()).batch(ids, T2, null, BATCH).run());
  }
}
