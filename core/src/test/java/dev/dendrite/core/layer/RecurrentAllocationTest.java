package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.SteadyAllocation;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.MeanSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.ParameterUpdate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After warm-up, a training step through stacked recurrent layers (forward, BPTT full and truncated,
 * clipping, Adam) allocates (almost) nothing: every per-step buffer comes from allocate(maxBatch).
 */
class RecurrentAllocationTest {

  @ParameterizedTest
  @ValueSource(strings = {"blas", "ejml"})
  void recurrentTrainingStepAllocatesLessThanOneKibibyte(String backend) {
    int batch = 32;
    int steps = 20;
    int features = 4;
    Gemm gemm = backend.equals("ejml") ? new EjmlGemm() : Gemms.factory("blas").get();
    Network net = Network.builder(steps, features)
        .lstm(24, true)
        .add(GruConfig.of(16, true).withTruncate(5))
        .add(SimpleRnnConfig.of(8, false).withTruncate(7))
        .dense(1).gemm(gemm).seed(1).build();
    MeanSquaredError loss = new MeanSquaredError();
    ParameterUpdate update = new ParameterUpdate(net.layout(), new Adam(1e-3f), GradientClipping.byNorm(1));
    Rng data = new Rng(2);
    float[] x = new float[batch * steps * features];
    float[] t = new float[batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.nextFloat();
    }
    for (int i = 0; i < batch; i++) {
      t[i] = data.nextFloat();
    }
    Runnable step = () -> {
      net.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f / batch, null);
      update.apply(net.parameterArray(), net.gradientArray());
      net.forward(x, 0, batch / 2, false, null); // a smaller inference batch reuses the same buffers
    };
    for (int i = 0; i < 20; i++) {
      step.run();
    }
    long perStep = SteadyAllocation.bytesPerCall(step, 50, 1024);
    assertTrue(perStep < 1024, "a recurrent training step allocated " + perStep + " bytes (" + backend + ")");
  }
}
