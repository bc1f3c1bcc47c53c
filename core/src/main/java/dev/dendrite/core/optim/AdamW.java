package dev.dendrite.core.optim;

import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), in PyTorch's form: {@code p ← p·(1 - lr·wd)}
 * and then the {@link Adam} step, with {@code lr} the scheduled rate. The decay applies only to tensors of
 * rank ≥ 2 in the layout given to {@link #init} — weight matrices and kernels — and not to rank-1 tensors
 * (biases, per-unit scales), which is the usual practice (PyTorch applies it to whatever parameter group it
 * is given; BERT and most training recipes exclude biases).
 */
public final class AdamW extends AbstractOptimizer {

  public static final String TYPE = "adamw";

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private float[] m;
  private float[] v;
  private int[] segmentStart = new int[0]; // runs of consecutive tensors that are all decayed or all not
  private int[] segmentEnd = new int[0];
  private boolean[] segmentDecayed = new boolean[0];

  /** β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
  public AdamW(float learningRate, float weightDecay) {
    this(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay);
  }

  public AdamW(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
    this(constant(TYPE, learningRate), beta1, beta2, epsilon, weightDecay);
  }

  /** @param weightDecay wd ≥ 0, multiplied by the scheduled rate; PyTorch's default is 0.01 */
  public AdamW(LearningRateSchedule schedule, float beta1, float beta2, float epsilon, float weightDecay) {
    super(TYPE, schedule, "m", "v");
    Adam.checkBetas(TYPE, beta1, beta2, epsilon);
    HyperParameters.nonNegative(TYPE, "weight_decay", weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  public float beta1() {
    return beta1;
  }

  public float beta2() {
    return beta2;
  }

  public float epsilon() {
    return epsilon;
  }

  public float weightDecay() {
    return weightDecay;
  }

  /** Whether this tensor's weights decay: trainable and of rank ≥ 2 (never running statistics). */
  public static boolean decays(ParameterTensor tensor) {
    return tensor.trainable() && tensor.shape().rank() >= 2;
  }

  @Override
  protected void initialized(ParameterLayout layout) {
    m = slot(0);
    v = slot(1);
    List<int[]> runs = new ArrayList<>(); // {start, end, decayed}
    for (ParameterTensor t : layout.tensors()) {
      int decayed = decays(t) ? 1 : 0;
      int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[2] == decayed && last[1] == t.offset()) {
        last[1] = t.end();
      } else {
        runs.add(new int[] {t.offset(), t.end(), decayed});
      }
    }
    segmentStart = new int[runs.size()];
    segmentEnd = new int[runs.size()];
    segmentDecayed = new boolean[runs.size()];
    for (int s = 0; s < runs.size(); s++) {
      segmentStart[s] = runs.get(s)[0];
      segmentEnd[s] = runs.get(s)[1];
      segmentDecayed[s] = runs.get(s)[2] == 1;
    }
  }

  @Override
  protected void update(float[] params, float[] grads, float lr, long step, int from, int to) {
    float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
    float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    float decay = 1f - lr * weightDecay;
    for (int s = 0; s < segmentStart.length; s++) {
      int start = Math.max(from, segmentStart[s]);
      int end = Math.min(to, segmentEnd[s]);
      if (start < end) {
        Kernels.adam(params, grads, m, v, start, end, beta1, beta2, epsilon, stepSize, invSqrtBc2,
            segmentDecayed[s] ? decay : 1f);
      }
    }
  }
}
