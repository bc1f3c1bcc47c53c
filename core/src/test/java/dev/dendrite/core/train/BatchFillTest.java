package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelGradient#computeAndApply(BatchFill, float[], int, float[], int, float[], int, int,
 * dev.dendrite.core.loss.Loss, float, long, int, int, float, ParameterUpdate, float[])}: the step's threads
 * copy the batch in, and the result is the one of a batch copied in beforehand.
 */
class BatchFillTest {

  private static final int BATCH = 37; // uneven shares
  private static final int WIDTH = 12;
  private static final int STEPS = 6;
  private final SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();

  @Test
  void aBatchFilledByTheThreadsGivesTheBitsOfOneFilledBeforehand() {
    assertSameBitsAsFilledBeforehand(1, false);
    assertSameBitsAsFilledBeforehand(2, false);
    assertSameBitsAsFilledBeforehand(3, false);
    assertSameBitsAsFilledBeforehand(3, true);
  }

  @Test
  void aValueThatIsNotFiniteInEitherThreadsRowsIsNamedAndChangesNoParameter() {
    for (int row : new int[] {3, 30}) { // thread 0's rows and thread 1's
      Network net = network();
      ParameterUpdate update = new ParameterUpdate(net.layout(), OptimizerConfig.adam(0.01).create(), null);
      float[][] source = source(new Rng(5));
      source[0][row * WIDTH + 5] = Float.NaN;
      float[] x = new float[BATCH * WIDTH];
      float[] y = new float[BATCH];
      try (ParallelGradient gradient = new ParallelGradient(net, 2)) {
        float[] before = net.parameterArray().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> gradient.computeAndApply(copying(source, x, y, null), x, 0, y, 0, null, 0, BATCH, loss,
                1f / BATCH, 1L, 0, 0, 1f, update, net.parameterArray()));
        assertEquals("input example " + row + ", feature 5 is NaN: inputs must be finite numbers", e.getMessage());
        assertArrayEquals(before, net.parameterArray(), "parameters after the refused step");

        source[0][row * WIDTH + 5] = 0.5f; // and the next step runs on the same threads
        gradient.computeAndApply(copying(source, x, y, null), x, 0, y, 0, null, 0, BATCH, loss, 1f / BATCH, 1L, 0,
            1, 1f, update, net.parameterArray());
        assertFalse(Arrays.equals(before, net.parameterArray()), "the good step changed no parameter");
      }
    }
  }

  private void assertSameBitsAsFilledBeforehand(int threads, boolean byExamples) {
    Network beforehandNet = network();
    Network filledNet = network();
    ParameterUpdate beforehandUpdate = new ParameterUpdate(beforehandNet.layout(),
        OptimizerConfig.adam(0.01).create(), null);
    ParameterUpdate filledUpdate = new ParameterUpdate(filledNet.layout(), OptimizerConfig.adam(0.01).create(), null);
    Rng rng = new Rng(21);
    float[] x = new float[BATCH * WIDTH];
    float[] y = new float[BATCH];
    try (ParallelGradient beforehand = split(beforehandNet, threads, byExamples);
         ParallelGradient filled = split(filledNet, threads, byExamples)) {
      for (int step = 0; step < STEPS; step++) {
        float[][] source = source(rng);
        double beforehandLoss = beforehand.computeAndApply(source[0], 0, source[1], 0, null, 0, BATCH, loss,
            1f / BATCH, 5L, 0, step, 1f, beforehandUpdate, beforehandNet.parameterArray());
        AtomicIntegerArray fills = new AtomicIntegerArray(BATCH);
        double filledLoss = filled.computeAndApply(copying(source, x, y, fills), x, 0, y, 0, null, 0, BATCH, loss,
            1f / BATCH, 5L, 0, step, 1f, filledUpdate, filledNet.parameterArray());
        String what = threads + " thread(s)" + (byExamples ? " by examples" : "") + ", step " + step;
        for (int r = 0; r < BATCH; r++) {
          assertEquals(1, fills.get(r), "fills of row " + r + ", " + what);
        }
        assertEquals(beforehandLoss, filledLoss, "loss, " + what);
        assertArrayEquals(beforehandNet.parameterArray(), filledNet.parameterArray(), "parameters, " + what);
      }
    }
  }

  private static ParallelGradient split(Network net, int threads, boolean byExamples) {
    return byExamples ? ParallelGradient.splittingExamples(net, threads) : new ParallelGradient(net, threads);
  }

  /** A fill that copies rows of {@code source} (inputs, labels) into {@code x} and {@code y}, counting them. */
  private static BatchFill copying(float[][] source, float[] x, float[] y, AtomicIntegerArray fills) {
    return (from, to) -> {
      System.arraycopy(source[0], from * WIDTH, x, from * WIDTH, (to - from) * WIDTH);
      System.arraycopy(source[1], from, y, from, to - from);
      for (int r = from; fills != null && r < to; r++) {
        fills.incrementAndGet(r);
      }
    };
  }

  private static float[][] source(Rng rng) {
    float[] x = new float[BATCH * WIDTH];
    float[] y = new float[BATCH];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextFloat() * 2 - 1;
    }
    for (int i = 0; i < BATCH; i++) {
      y[i] = rng.nextInt(4);
    }
    return new float[][] {x, y};
  }

  private static Network network() {
    return Network.builder(WIDTH).dense(40, "relu").dense(4, "softmax").seed(8).build();
  }
}
