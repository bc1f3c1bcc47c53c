package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.AdamW;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * On several threads, {@link ParallelGradient#computeAndApply} sums the replicas' gradients and applies an
 * elementwise update slice by slice; the bits must be those of {@code compute} followed by
 * {@code ParameterUpdate.apply}, step after step.
 */
class ParallelGradientTest {

  private static final int BATCH = 37; // uneven chunks and slices
  private static final int STEPS = 12;

  @Test
  void adamSpreadOverThreeThreadsGivesTheBitsOfComputeThenApply() {
    assertSameBits(() -> OptimizerConfig.adam(0.01).create(), GradientClipping.NONE, false);
  }

  @Test
  void adamOverThreeThreadsSplittingExamplesGivesTheBitsOfComputeThenApply() {
    assertSameBits(() -> OptimizerConfig.adam(0.01).create(), GradientClipping.NONE, false, true);
  }

  @Test
  void aDenseNetworkIsSplitByUnitsAndOneWithBatchNormByExamples() {
    try (ParallelGradient dense = new ParallelGradient(network(false), 2);
         ParallelGradient withBatchNorm = new ParallelGradient(network(true), 2);
         ParallelGradient oneThread = new ParallelGradient(network(false), 1)) {
      assertTrue(dense.splitsUnits(), "dense layers only");
      assertFalse(withBatchNorm.splitsUnits(), "batch norm needs whole rows of every unit");
      assertFalse(oneThread.splitsUnits(), "nothing to split on one thread");
    }
  }

  @Test
  void adamWWithDecayedAndUndecayedSlicesGivesTheBitsOfComputeThenApply() {
    assertSameBits(() -> new AdamW(0.01f, 0.9f, 0.999f, 1e-8f, 0.1f), GradientClipping.NONE, false);
  }

  @Test
  void batchNormRunningStatisticsAreUpdatedSliceBySliceToTheSameBits() {
    assertSameBits(() -> OptimizerConfig.sgd(0.05).create(), GradientClipping.NONE, true);
  }

  @Test
  void clippingByTheGlobalNormFallsBackToOneUpdateAndStillGivesTheSameBits() {
    ParameterUpdate clipped = new ParameterUpdate(network(false).layout(), OptimizerConfig.adam(0.01).create(),
        GradientClipping.byNorm(0.5));
    assertFalse(clipped.rangeable(), "a global norm cannot be applied slice by slice");
    assertSameBits(() -> OptimizerConfig.adam(0.01).create(), GradientClipping.byNorm(0.5), false);
  }

  @Test
  void anUnclippedAdamUpdateWithoutPenaltiesIsRangeable() {
    ParameterUpdate update = new ParameterUpdate(network(false).layout(), OptimizerConfig.adam(0.01).create(), null);
    assertTrue(update.rangeable());
  }

  private static void assertSameBits(Supplier<Optimizer> optimizer, GradientClipping clipping, boolean batchNorm) {
    assertSameBits(optimizer, clipping, batchNorm, false);
  }

  private static void assertSameBits(Supplier<Optimizer> optimizer, GradientClipping clipping, boolean batchNorm,
                                     boolean byExamples) {
    Network serialNet = network(batchNorm);
    Network parallelNet = network(batchNorm);
    ParameterUpdate serialUpdate = new ParameterUpdate(serialNet.layout(), optimizer.get(), clipping);
    ParameterUpdate parallelUpdate = new ParameterUpdate(parallelNet.layout(), optimizer.get(), clipping);
    SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    Rng rng = new Rng(21);
    float[] x = new float[BATCH * 12];
    float[] y = new float[BATCH];
    try (ParallelGradient serial = byExamples ? ParallelGradient.splittingExamples(serialNet, 3)
             : new ParallelGradient(serialNet, 3);
         ParallelGradient parallel = byExamples ? ParallelGradient.splittingExamples(parallelNet, 3)
             : new ParallelGradient(parallelNet, 3)) {
      for (int step = 0; step < STEPS; step++) {
        for (int i = 0; i < x.length; i++) {
          x[i] = rng.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < BATCH; i++) {
          y[i] = rng.nextInt(4);
        }
        double serialLoss = serial.compute(x, 0, y, 0, null, 0, BATCH, loss, 1f / BATCH, 5L, step);
        serialUpdate.apply(serialNet.parameterArray(), serialNet.gradientArray());
        double parallelLoss = parallel.computeAndApply(x, 0, y, 0, null, 0, BATCH, loss, 1f / BATCH, 5L, 0, step,
            1f, parallelUpdate, parallelNet.parameterArray());
        assertEquals(serialLoss, parallelLoss, "loss of step " + step);
        assertArrayEquals(serialNet.parameterArray(), parallelNet.parameterArray(), "parameters after step " + step);
      }
    }
    assertEquals(STEPS, parallelUpdate.optimizer().iterations(), "one optimizer iteration per step");
  }

  private static Network network(boolean batchNorm) {
    var builder = Network.builder(12).dense(40, "relu");
    if (batchNorm) {
      builder = builder.batchNorm();
    }
    return builder.dense(4, "softmax").seed(8).build();
  }
}
