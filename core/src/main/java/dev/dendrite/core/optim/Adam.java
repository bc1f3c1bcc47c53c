package dev.dendrite.core.optim;

import dev.dendrite.core.linalg.Kernels;
import dev.dendrite.core.tensor.ParameterLayout;

/**
 * Adam (Kingma and Ba) with bias correction, in PyTorch's arithmetic: {@code m ← β₁m + (1-β₁)g},
 * {@code v ← β₂v + (1-β₂)g²}, {@code p ← p - (lr / (1-β₁ᵗ)) · m / (√v / √(1-β₂ᵗ) + ε)} at step t = 1, 2, ...
 * The first step therefore moves every parameter with a non-zero gradient by about {@code lr · sign(g)}.
 */
public final class Adam extends AbstractOptimizer {

  public static final String TYPE = "adam";

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private float[] m;
  private float[] v;

  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-8f);
  }

  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    this(constant(TYPE, learningRate), beta1, beta2, epsilon);
  }

  /**
   * @param beta1   decay of the first moment, in [0, 1); 0.9 is usual
   * @param beta2   decay of the second moment, in [0, 1); 0.999 is usual
   * @param epsilon ε &gt; 0 added to the root; 1e-8 is usual
   */
  public Adam(LearningRateSchedule schedule, float beta1, float beta2, float epsilon) {
    super(TYPE, schedule, "m", "v");
    checkBetas(TYPE, beta1, beta2, epsilon);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  static void checkBetas(String owner, float beta1, float beta2, float epsilon) {
    HyperParameters.fraction(owner, "beta1", beta1);
    HyperParameters.fraction(owner, "beta2", beta2);
    HyperParameters.positive(owner, "epsilon", epsilon);
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

  @Override
  protected void initialized(ParameterLayout layout) {
    m = slot(0);
    v = slot(1);
  }

  @Override
  protected void update(float[] params, float[] grads, float lr, long step, int from, int to) {
    float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
    float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    Kernels.adam(params, grads, m, v, from, to, beta1, beta2, epsilon, stepSize, invSqrtBc2, 1f);
  }
}
