package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.SteadyAllocation;
import dev.dendrite.core.layer.SamplingConfig;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.loss.SumSquaredError;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.random.Rng;
import org.junit.jupiter.api.Test;

/** A steady-state training step of the benchmark MLP allocates (almost) nothing. */
class AllocationTest {

  @Test
  void mlpStepAllocatesLessThanOneKibibytePerStep() {
    int batch = 128;
    Network net = Network.builder(784).dense(256, "relu").dropout(0.1).dense(128, "relu").dense(10, "softmax")
        .seed(1).build();
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    ParameterUpdate update = new ParameterUpdate(net.layout(), new Adam(1e-3f), GradientClipping.byNorm(5));
    Rng data = new Rng(2);
    float[] x = new float[batch * 784];
    float[] t = new float[batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.nextFloat();
    }
    for (int i = 0; i < batch; i++) {
      t[i] = data.nextInt(10);
    }
    Rng rng = new Rng(0);
    EpochSampler sampler = new EpochSampler(batch);
    float[] xb = new float[batch * 784];
    Runnable step = () -> {
      sampler.order(7, 1, 0, true);
      sampler.gather(x, 784, 0, 1, xb);
      net.computeGradients(xb, 0, t, 0, null, 0, batch, loss, 1f / batch, rng.reseed(1, 2));
      update.apply(net.parameterArray(), net.gradientArray());
    };
    for (int i = 0; i < 50; i++) {
      step.run();
    }
    long perStep = SteadyAllocation.bytesPerCall(step, 100, 1024);
    assertTrue(perStep < 1024, "a training step allocated " + perStep + " bytes");
  }

  @Test
  void variationalAutoencoderStepAllocatesLessThanOneKibibytePerStep() {
    int batch = 64;
    Network net = Network.builder(784).dense(128, "relu").dense(32, "identity").add(new SamplingConfig(1))
        .dense(128, "relu").dense(784, "sigmoid").seed(1).build();
    SumSquaredError loss = new SumSquaredError();
    ParameterUpdate update = new ParameterUpdate(net.layout(), new Adam(1e-3f), GradientClipping.NONE);
    Rng data = new Rng(2);
    float[] x = new float[batch * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.nextFloat();
    }
    Rng rng = new Rng(0);
    long[] step = {0};
    Runnable run = () -> {
      net.computeGradients(x, 0, x, 0, null, 0, batch, loss, 1f / batch, rng.reseed(1, step[0]++));
      update.apply(net.parameterArray(), net.gradientArray());
    };
    for (int i = 0; i < 30; i++) {
      run.run();
    }
    long perStep = SteadyAllocation.bytesPerCall(run, 50, 1024);
    assertTrue(perStep < 1024, "a VAE training step (sampling ε, adding the KL term) allocated " + perStep + " bytes");
  }
}
