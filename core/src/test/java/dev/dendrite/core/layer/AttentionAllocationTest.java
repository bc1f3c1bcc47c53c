package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.SteadyAllocation;
import dev.dendrite.core.linalg.EjmlGemm;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.random.Rng;
import dev.dendrite.core.train.ParameterUpdate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After warm-up, a training step through a transformer (embedding, positions, a post-norm and a pre-norm
 * causal encoder block, self-attention, layer norm, a position-wise softmax with example weights, clipping,
 * Adam) allocates (almost) nothing.
 */
class AttentionAllocationTest {

  @ParameterizedTest
  @ValueSource(strings = {"blas", "ejml"})
  void transformerTrainingStepAllocatesLessThanOneKibibyte(String backend) {
    int batch = 16;
    int steps = 8;
    Gemm gemm = backend.equals("ejml") ? new EjmlGemm() : Gemms.factory("blas").get();
    Network net = Network.builder(steps).embedding(10, 16).positionalEmbedding()
        .transformerEncoder(4, 32)
        .add(TransformerEncoderConfig.of(2, 32).withNorm("pre").withCausal(true))
        .multiHeadAttention(2, false).layerNorm()
        .timeDistributedDense(10, "softmax").gemm(gemm).seed(1).build();
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    ParameterUpdate update = new ParameterUpdate(net.layout(), new Adam(1e-3f), GradientClipping.byNorm(1));
    Rng data = new Rng(2);
    float[] x = new float[batch * steps];
    float[] t = new float[batch * steps];
    float[] w = new float[batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.nextInt(10);
      t[i] = data.nextInt(10);
    }
    for (int i = 0; i < batch; i++) {
      w[i] = 0.5f + data.nextFloat();
    }
    Runnable step = () -> {
      net.computeGradients(x, 0, t, 0, w, 0, batch, loss, 1f / batch, null);
      update.apply(net.parameterArray(), net.gradientArray());
      net.loss(x, 0, t, 0, null, 0, batch / 2, loss); // a smaller inference batch reuses the same buffers
    };
    for (int i = 0; i < 20; i++) {
      step.run();
    }
    long perStep = SteadyAllocation.bytesPerCall(step, 50, 1024);
    assertTrue(perStep < 1024, "a transformer training step allocated " + perStep + " bytes (" + backend + ")");
  }
}
