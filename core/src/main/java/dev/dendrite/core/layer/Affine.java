package dev.dendrite.core.layer;

import dev.dendrite.core.init.Initializers;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.util.List;

/** The parameters of an affine map {@code z = x·Wᵀ + b} from {@code in} to {@code out} values (dense, maxout). */
final class Affine {

  private Affine() {
  }

  /** {@code W [out, in]} (fan-in {@code in}, fan-out {@code out}, with its L1/L2 penalty) and {@code b [out]}. */
  static List<ParameterSpec> parameters(int in, int out, String kernelInit, String biasInit, double l1, double l2) {
    return List.of(
        new ParameterSpec("W", Shape.of(out, in), Initializers.parse(kernelInit), in, out, l1, l2),
        new ParameterSpec("b", Shape.of(out), Initializers.parse(biasInit), in, out, 0, 0));
  }
}
