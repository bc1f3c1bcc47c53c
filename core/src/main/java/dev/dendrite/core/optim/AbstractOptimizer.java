package dev.dendrite.core.optim;

import dev.dendrite.core.tensor.ParameterLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The life cycle every optimizer shares: the schedule, the iteration count, the named state vectors
 * ("slots", one float per parameter each) and their save/restore, and the size checks of {@link #step}.
 * A subclass names its slots and writes one allocation-free {@link #update} loop.
 */
public abstract class AbstractOptimizer implements Optimizer {

  private final String name;
  private final LearningRateSchedule schedule;
  private final List<String> slotNames;
  private ParameterLayout layout;
  private float[][] slots = new float[0][];
  private long iterations;
  private float stepRate; // the learning rate of the step in progress

  /**
   * @param name      the optimizer's type name, e.g. {@code adam}
   * @param schedule  gives the learning rate of every step
   * @param slotNames the state vectors, in the order {@link #state()} stores them
   */
  protected AbstractOptimizer(String name, LearningRateSchedule schedule, String... slotNames) {
    if (schedule == null) {
      throw new IllegalArgumentException(name + ": the learning-rate schedule is missing");
    }
    this.name = name;
    this.schedule = schedule;
    this.slotNames = List.of(slotNames);
  }

  /** Checks a base learning rate and wraps it in a {@link ConstantSchedule}, naming this optimizer on failure. */
  protected static LearningRateSchedule constant(String name, float learningRate) {
    HyperParameters.positive(name, "learning_rate", learningRate);
    return new ConstantSchedule(learningRate);
  }

  /**
   * {@code params[i] -= Δ_i} for every i in {@code [from, to)}, using and updating the slots there. Every
   * element's update depends on that element alone, so a step may run as disjoint ranges on several
   * threads ({@link #beginStep}, {@link #stepRange}) and give the same bits as one call over everything.
   *
   * @param lr   this step's learning rate from the schedule
   * @param step this step's number, from 1 (Adam's bias correction uses it)
   */
  protected abstract void update(float[] params, float[] grads, float lr, long step, int from, int to);

  /** Called at the end of {@link #init}, after the slots are allocated; e.g. to cache them in fields. */
  protected void initialized(ParameterLayout layout) {
  }

  /** The slot with this index (in the constructor's order), after {@link #init}. */
  protected final float[] slot(int index) {
    return slots[index];
  }

  /** The layout given to {@link #init}, or null before. */
  protected final ParameterLayout layout() {
    return layout;
  }

  /** The learning-rate schedule. */
  public final LearningRateSchedule schedule() {
    return schedule;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void init(ParameterLayout layout) {
    if (layout == null) {
      throw new IllegalArgumentException(name + ": init needs a parameter layout");
    }
    this.layout = layout;
    this.slots = new float[slotNames.size()][layout.size()];
    this.iterations = 0;
    initialized(layout);
  }

  @Override
  public final void step(float[] params, float[] grads) {
    if (layout == null) {
      throw new IllegalStateException(name + ": call init(layout) before step");
    }
    if (params.length != layout.size() || grads.length != layout.size()) {
      throw new IllegalArgumentException(name + ": step got " + params.length + " parameters and "
          + grads.length + " gradients, the layout has " + layout.size());
    }
    beginStep();
    update(params, grads, stepRate, iterations, 0, params.length);
  }

  /**
   * Starts a step that {@link #stepRange} then applies range by range, possibly on several threads: takes
   * this iteration's learning rate and advances the iteration count, as {@link #step} does. The caller
   * must make the ranges' threads see this call (a barrier or a hand-off between them does).
   */
  public final void beginStep() {
    if (layout == null) {
      throw new IllegalStateException(name + ": call init(layout) before step");
    }
    stepRate = schedule.rate(iterations);
    iterations++;
  }

  /** The update of the step begun by {@link #beginStep} on elements {@code [from, to)}. */
  public final void stepRange(float[] params, float[] grads, int from, int to) {
    update(params, grads, stepRate, iterations, from, to);
  }

  @Override
  public final long iterations() {
    return iterations;
  }

  @Override
  public final float learningRate() {
    return schedule.rate(iterations);
  }

  @Override
  public final OptimizerState state() {
    if (layout == null) {
      throw new IllegalStateException(name + ": call init(layout) before state()");
    }
    Map<String, float[]> map = new LinkedHashMap<>();
    for (int i = 0; i < slots.length; i++) {
      map.put(slotNames.get(i), slots[i]); // the state's constructor copies
    }
    return new OptimizerState(name, iterations, map);
  }

  @Override
  public final void restore(OptimizerState state) {
    if (layout == null) {
      throw new IllegalStateException(name + ": call init(layout) before restore");
    }
    if (!state.optimizer().equals(name)) {
      throw new IllegalArgumentException("cannot restore the state of a '" + state.optimizer()
          + "' optimizer into a '" + name + "' optimizer");
    }
    if (!state.slotNames().equals(slotNames)) {
      throw new IllegalArgumentException("cannot restore " + name + " state with slots " + state.slotNames()
          + "; this " + name + " optimizer keeps " + slotNames);
    }
    if (!slotNames.isEmpty() && state.slotLength() != layout.size()) {
      throw new IllegalArgumentException("cannot restore " + name + " state for " + state.slotLength()
          + " parameters into a " + name + " optimizer initialized for " + layout.size() + " parameters");
    }
    for (int i = 0; i < slots.length; i++) {
      System.arraycopy(state.view(slotNames.get(i)), 0, slots[i], 0, slots[i].length);
    }
    iterations = state.iterations();
  }

  @Override
  public String toString() {
    return name + "{schedule=" + schedule.toMap() + ", iterations=" + iterations + "}";
  }
}
