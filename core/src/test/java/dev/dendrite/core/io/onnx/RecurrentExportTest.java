package dev.dendrite.core.io.onnx;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * Simple RNN, LSTM and GRU as ONNX's RNN, LSTM and GRU operators (gate order and layout converted), and
 * embedding as Gather. The LSTM and GRU are trained a few hundred steps on the task of {@code
 * LstmLearningTest}: the sum of T = 10 numbers uniform in [0, 1].
 */
class RecurrentExportTest {

  private static final int T = 10;

  /** n sequences of T uniform numbers and their sums (as in LstmLearningTest). */
  private static Dataset sums(long seed, int n) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * T];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int t = 0; t < T; t++) {
        x[i * T + t] = rng.nextFloat();
        sum += x[i * T + t];
      }
      y[i] = (float) sum;
    }
    return Dataset.ofRegression(x, Shape.of(T, 1), y, 1, "sums of 10 uniform numbers");
  }

  private static SavedModel trainedOnSums(Network net) {
    TrainingConfig config = TrainingConfig.of("mse", OptimizerConfig.adam(0.01)).withBatchSize(32).withEpochs(2)
        .withSeed(4).withClipping(GradientClipping.byNorm(1)); // 2 × 4000 / 32 = 250 steps
    new LocalTrainer(config).fit(net, sums(1, 4000));
    return SavedModel.of(net).withLoss("mse");
  }

  @Test
  void lstmTrainedOnTheSumTaskScoresHeldOutSequencesAsDendriteDoes() throws Exception {
    Dataset test = sums(2, 1000);
    SavedModel model = trainedOnSums(Network.builder(T, 1).lstm(16, false).dense(1).seed(3).build());
    OnnxRuntimeCheck.assertAgrees("LSTM sums", model, test.features(), test.size());
  }

  @Test
  void gruTrainedOnTheSumTaskScoresHeldOutSequencesAsDendriteDoes() throws Exception {
    Dataset test = sums(2, 1000);
    SavedModel model = trainedOnSums(Network.builder(T, 1).gru(16, false).dense(1).seed(3).build());
    OnnxRuntimeCheck.assertAgrees("GRU sums", model, test.features(), test.size());
  }

  @Test
  void stackedSequenceLayersAndBatchNormOverStepsScoreAsDendriteDoes() throws Exception {
    Dataset test = sums(5, 300);
    Network net = Network.builder(T, 1).simpleRnn(6, true).lstm(5, true).gru(4, true).batchNorm().simpleRnn(3, false)
        .dense(2, "softmax").seed(9).build();
    ExportFixtures.perturbBatchNorm(net, 10);
    OnnxRuntimeCheck.assertAgrees("RNN, LSTM, GRU sequences", SavedModel.of(net), test.features(), test.size());
  }

  @Test
  void embeddingLooksUpTheSameRowsAsDendrite() throws Exception {
    int rows = 200;
    int vocabulary = 17;
    Rng rng = new Rng(6);
    float[] ids = new float[rows * T];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(vocabulary);
    }
    Network net = Network.builder(T).embedding(vocabulary, 4).gru(5, true).flatten().dense(3, "sigmoid").seed(7)
        .build();
    OnnxRuntimeCheck.assertAgrees("embedding", SavedModel.of(net), ids, rows);
  }
}
