package dev.dendrite.benchmarks;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.loss.SparseCategoricalCrossEntropy;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.UnitSplitGradient;
import dev.dendrite.core.optim.Adam;
import dev.dendrite.core.train.ParameterUpdate;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a second thread's time goes in the Fashion-MNIST MLP's training step: the step split by units
 * ({@link UnitSplitGradient}, as the local trainer runs it) on one thread and on two, each thread's time
 * cut at the step's barriers into the work between them and its wait at each, then Adam on the
 * parameters the thread owns. With the phases of one thread beside those of two, the scaling of every
 * phase shows, and so does what synchronization costs. Not JMH (a rough split by {@code System.nanoTime};
 * medians over the steps of about {@code seconds}, so that the VM's preemptions of a thread, which the
 * other then waits out at a barrier, do not swamp the figures, with the step's mean and its slowest
 * percentiles beside them to show what those preemptions cost; the first {@value #BATCHES} Fashion-MNIST
 * batches in turn; run with {@code OPENBLAS_NUM_THREADS=1}):
 * {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.dendrite.benchmarks.SplitStepProfile [seconds]}.
 *
 * <p>For this three-layer network the step has five barriers: after the first and the second layer's
 * forward pass, after the output layer and the loss (thread 0 alone), and two in the backward pass. The
 * backward phases group different work on one thread (split by units) and on two (split by task), so they
 * are printed as one sum.
 */
public final class SplitStepProfile {

  static final int BATCH = 128;
  static final int BATCHES = 16;
  static final int MAX_STEPS = 1 << 14;
  static final int MAX_PHASES = 8;
  private static final String[] FORWARD = {"forward, layer 1", "forward, layer 2", "output layer and loss"};

  private SplitStepProfile() {
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    FashionMnistBatches data = FashionMnistBatches.load("fashion-mnist");
    float[] x = new float[BATCHES * BATCH * data.width];
    float[] y = new float[BATCHES * BATCH];
    data.gather(0, 0, BATCHES * BATCH, x, y); // the first BATCHES batches of epoch 0, one after another
    for (int round = 0; round < 2; round++) {
      for (int threads = 1; threads <= 2; threads++) {
        Profile profile = new Profile(data.width, threads);
        profile.run(x, y, seconds / 3); // warm-up: the JIT, and Adam's moments past their first steps
        profile.reset();
        profile.run(x, y, seconds);
        System.out.print(profile.describe());
        profile.close();
      }
    }
  }

  /** One network split over {@code threads} threads, its step timed phase by phase on every thread. */
  private static final class Profile {
    final Network network;
    final UnitSplitGradient split;
    final ParameterUpdate update;
    final SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
    final int width;
    final int threads;
    final int[][] owned;
    final long[][][] work;   // work[t][p][s]: nanoseconds of thread t between barriers p - 1 and p in step s
    final long[][][] waits;  // waits[t][p][s]: nanoseconds of thread t at barrier p in step s
    final long[][] adam;     // adam[t][s]
    final long[] stepTimes;
    final int[] phase;
    final long[] mark;
    final AtomicInteger arrived = new AtomicInteger();
    final AtomicInteger generation = new AtomicInteger();
    final AtomicLong started = new AtomicLong();
    final AtomicInteger finished = new AtomicInteger();
    final Thread[] helpers;
    volatile boolean closing;
    float[] xs;  // the batches of the run in progress
    float[] ys;
    int offset;
    int steps;

    Profile(int width, int threads) {
      this.width = width;
      this.threads = threads;
      network = Network.builder(width).dense(256, "relu").dense(128, "relu").dense(10, "softmax")
          .gemm(Gemms.factory("blas").get()).seed(1).build();
      split = new UnitSplitGradient(network, threads);
      update = new ParameterUpdate(network.layout(), new Adam(1e-3f), null);
      owned = new int[threads][];
      for (int t = 0; t < threads; t++) {
        owned[t] = split.ownedRanges(t);
      }
      work = new long[threads][MAX_PHASES][MAX_STEPS];
      waits = new long[threads][MAX_PHASES][MAX_STEPS];
      adam = new long[threads][MAX_STEPS];
      stepTimes = new long[MAX_STEPS];
      phase = new int[threads];
      mark = new long[threads];
      helpers = new Thread[threads - 1];
      for (int t = 1; t < threads; t++) {
        int index = t;
        helpers[t - 1] = new Thread(() -> helper(index), "dendrite-profile-" + t);
        helpers[t - 1].setDaemon(true);
        helpers[t - 1].start();
      }
    }

    void run(float[] x, float[] y, double seconds) {
      xs = x;
      ys = y;
      long end = System.nanoTime() + (long) (seconds * 1e9);
      long now;
      do {
        long start = System.nanoTime();
        offset = (int) (steps % BATCHES) * BATCH;
        update.begin();
        split.prepare(x, offset * width, y, offset, BATCH, loss);
        finished.set(0);
        started.incrementAndGet();
        share(0);
        while (finished.get() < threads - 1) {
          Thread.onSpinWait();
        }
        now = System.nanoTime();
        stepTimes[steps++] = now - start;
      } while (now < end && steps < MAX_STEPS);
    }

    private void helper(int thread) {
      long seen = 0;
      while (true) {
        while (started.get() == seen) {
          if (closing) {
            return;
          }
          Thread.onSpinWait();
        }
        seen = started.get();
        share(thread);
        finished.incrementAndGet();
      }
    }

    /** Thread {@code t}'s part of the step: its share of the gradient, then Adam on its own parameters. */
    private void share(int t) {
      phase[t] = 0;
      mark[t] = System.nanoTime();
      split.compute(t, () -> barrier(t), xs, offset * width, ys, offset, null, 0, BATCH, loss, 1f / BATCH);
      long computed = System.nanoTime();
      work[t][phase[t]++][steps] = computed - mark[t];
      mark[t] = computed;
      if (split.updateNeedsBarrier()) { // split by units alone: the others may still read every weight
        barrier(t);
      }
      float[] gradient = network.gradientArray();
      float[] params = network.parameterArray();
      for (int r = 0; r < owned[t].length; r += 2) {
        update.applyRange(params, gradient, owned[t][r], owned[t][r + 1]);
      }
      adam[t][steps] = System.nanoTime() - computed;
    }

    /** A spinning barrier that books the work before it and the wait at it to thread {@code t}. */
    private void barrier(int t) {
      long arrive = System.nanoTime();
      work[t][phase[t]][steps] = arrive - mark[t];
      int gen = generation.get();
      if (arrived.incrementAndGet() == threads) {
        arrived.set(0);
        generation.incrementAndGet();
      } else {
        while (generation.get() == gen) {
          Thread.onSpinWait();
        }
      }
      long leave = System.nanoTime();
      waits[t][phase[t]][steps] = leave - arrive;
      phase[t]++;
      mark[t] = leave;
    }

    void reset() {
      steps = 0;
    }

    void close() {
      closing = true;
    }

    String describe() {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
          "%d thread(s): %.1f µs per step (median of %d steps)%n", threads, median(stepTimes), steps));
      long[] sorted = java.util.Arrays.copyOf(stepTimes, steps);
      java.util.Arrays.sort(sorted);
      double mean = java.util.Arrays.stream(sorted).average().orElse(0) / 1e3;
      // the tail: a preempted thread holds the other at the next barrier, so the mean is what a run gets
      s.append(String.format(Locale.ROOT, "  mean %.1f µs (%.3f × the median), 99th percentile %.1f, 99.9th %.1f%n",
          mean, mean / median(stepTimes), sorted[steps * 99 / 100] / 1e3, sorted[steps * 999 / 1000] / 1e3));
      s.append(String.format(Locale.ROOT, "  %-24s", "µs per step, thread:"));
      for (int t = 0; t < threads; t++) {
        s.append(String.format(Locale.ROOT, "%10s%12s", t + " work", t + " wait"));
      }
      s.append('\n');
      int phases = phase[0];
      for (int p = 0; p < phases; p++) {
        if (p >= FORWARD.length && p < phases - 1) {
          continue; // the backward phases are summed below
        }
        String name = p < FORWARD.length ? FORWARD[p] : "backward";
        int first = Math.min(p, FORWARD.length);
        s.append(String.format(Locale.ROOT, "  %-24s", name));
        for (int t = 0; t < threads; t++) {
          s.append(String.format(Locale.ROOT, "%10.1f%12.1f", median(sum(work[t], first, p)),
              median(sum(waits[t], first, p))));
        }
        s.append('\n');
      }
      s.append(String.format(Locale.ROOT, "  %-24s", "Adam, own parameters"));
      for (int t = 0; t < threads; t++) {
        s.append(String.format(Locale.ROOT, "%10.1f%12s", median(adam[t]), ""));
      }
      return s.append('\n').toString();
    }

    /** Per step, phases {@code [first, last]} added up. */
    private long[] sum(long[][] perPhase, int first, int last) {
      long[] total = new long[steps];
      for (int p = first; p <= last; p++) {
        for (int i = 0; i < steps; i++) {
          total[i] += perPhase[p][i];
        }
      }
      return total;
    }

    /** The median of the first {@code steps} values, in µs. */
    private double median(long[] values) {
      long[] v = java.util.Arrays.copyOf(values, steps);
      java.util.Arrays.sort(v);
      return (steps % 2 == 1 ? v[steps / 2] : (v[steps / 2 - 1] + v[steps / 2]) / 2.0) / 1e3;
    }
  }
}
