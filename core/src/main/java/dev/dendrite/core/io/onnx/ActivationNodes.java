package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Arctan;
import dev.dendrite.core.activation.BinaryStep;
import dev.dendrite.core.activation.Elu;
import dev.dendrite.core.activation.Identity;
import dev.dendrite.core.activation.LeakyRelu;
import dev.dendrite.core.activation.Relu;
import dev.dendrite.core.activation.Sigmoid;
import dev.dendrite.core.activation.Softmax;
import dev.dendrite.core.activation.Softplus;
import dev.dendrite.core.activation.Tanh;
import dev.dendrite.core.io.onnx.proto.TensorProto;
import dev.dendrite.core.tensor.Shape;
import java.util.List;

/**
 * Every activation as ONNX operators, applied to a tensor {@code [batch, ...shape]}: each is one operator
 * of the same name, except identity (none), the binary step ({@code Cast(x >= 0)}: 1 at 0, as Dendrite) and
 * softmax over an example of rank above 1 (Dendrite normalizes the whole example, so it is flattened
 * first and reshaped back).
 */
final class ActivationNodes {

  private ActivationNodes() {
  }

  /** The output tensor of {@code activation} on {@code input} of example shape {@code shape}. */
  static String apply(Activation activation, String input, Shape shape, String base, OnnxGraph graph) {
    if (activation instanceof Identity) {
      return input;
    }
    if (activation instanceof Relu) {
      return graph.node("Relu", base, List.of(input));
    }
    if (activation instanceof Sigmoid) {
      return graph.node("Sigmoid", base, List.of(input));
    }
    if (activation instanceof Tanh) {
      return graph.node("Tanh", base, List.of(input));
    }
    if (activation instanceof Arctan) {
      return graph.node("Atan", base, List.of(input));
    }
    if (activation instanceof Softplus) {
      return graph.node("Softplus", base, List.of(input));
    }
    if (activation instanceof LeakyRelu leaky) {
      return graph.node("LeakyRelu", base, List.of(input), attribute("alpha", leaky.slope()));
    }
    if (activation instanceof Elu elu) {
      return graph.node("Elu", base, List.of(input), attribute("alpha", elu.alpha()));
    }
    if (activation instanceof BinaryStep) {
      String zero = graph.floats(base + "_zero", new float[] {0f});
      String step = graph.node("GreaterOrEqual", base + "_ge", List.of(input, zero));
      return graph.node("Cast", base, List.of(step), attribute("to", (long) TensorProto.DataType.FLOAT_VALUE));
    }
    if (activation instanceof Softmax) {
      if (shape.rank() == 1) {
        return graph.node("Softmax", base, List.of(input), attribute("axis", -1L));
      }
      String flat = graph.node("Flatten", base + "_flat", List.of(input), attribute("axis", 1L));
      String soft = graph.node("Softmax", base + "_softmax", List.of(flat), attribute("axis", -1L));
      return graph.reshape(soft, base, shape.dims());
    }
    throw new IllegalArgumentException("activation '" + activation.name() + "' has no ONNX export");
  }
}
