package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.SteadyAllocation;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkBuilder;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A steady-state training step of a small CNN allocates (almost) nothing. */
class CnnAllocationTest {

  @ParameterizedTest
  @ValueSource(strings = {"plain", "batch_norm"})
  void cnnStepAllocatesLessThanOneKibibytePerStep(String variant) {
    int batch = 64;
    NetworkBuilder b = Network.builder(1, 28, 28).conv2d(8, 3, "relu");
    if (variant.equals("batch_norm")) {
      b = b.batchNorm().avgPool2d(2).conv2d(16, 3, 1, "same", "relu");
    } else {
      b = b.maxPool2d(2).conv2d(16, 3, "relu");
    }
    Network net = b.maxPool2d(2).flatten().dense(10, "softmax").seed(1).build();
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    ParameterUpdate update = new ParameterUpdate(net.layout(), new Adam(1e-3f), null);
    Rng data = new Rng(2);
    float[] x = new float[batch * 784];
    float[] t = new float[batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.nextFloat();
    }
    for (int i = 0; i < batch; i++) {
      t[i] = data.nextInt(10);
    }
    Runnable step = () -> {
      net.computeGradients(x, 0, t, 0, null, 0, batch, loss, 1f / batch, null);
      update.apply(net.parameterArray(), net.gradientArray());
    };
    for (int i = 0; i < 20; i++) {
      step.run();
    }
    long perStep = SteadyAllocation.bytesPerCall(step, 20, 1024);
    assertTrue(perStep < 1024, "a CNN training step allocated " + perStep + " bytes");
  }
}
