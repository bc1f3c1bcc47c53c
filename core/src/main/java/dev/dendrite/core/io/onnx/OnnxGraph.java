package dev.dendrite.core.io.onnx;

import com.google.protobuf.ByteString;
import dev.dendrite.core.io.onnx.proto.AttributeProto;
import dev.dendrite.core.io.onnx.proto.GraphProto;
import dev.dendrite.core.io.onnx.proto.NodeProto;
import dev.dendrite.core.io.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The graph being written: nodes in execution order, constant tensors (weights, shapes) as initializers,
 * and names made unique, so each exporter can name its tensors after its layer without coordinating with
 * the others. Tensor data is stored as ONNX {@code raw_data} (little-endian), as every ONNX writer does.
 */
public final class OnnxGraph {

  private final GraphProto.Builder graph;
  private final Set<String> names = new HashSet<>();

  OnnxGraph(GraphProto.Builder graph) {
    this.graph = graph;
  }

  /** {@code base}, or {@code base_1}, {@code base_2}, ...: a tensor or node name not used yet. */
  public String fresh(String base) {
    String name = base;
    for (int i = 1; !names.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /** A float constant of shape {@code dims} (row-major), named after {@code base}; returns its name. */
  public String floats(String base, float[] values, long... dims) {
    checkSize(base, values.length, dims);
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return initializer(base, TensorProto.DataType.FLOAT, bytes, dims);
  }

  /** A double constant of shape {@code dims}, named after {@code base}; returns its name. */
  public String doubles(String base, double[] values, long... dims) {
    checkSize(base, values.length, dims);
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asDoubleBuffer().put(values);
    return initializer(base, TensorProto.DataType.DOUBLE, bytes, dims);
  }

  /** An int64 vector constant (shapes, axes), named after {@code base}; returns its name. */
  public String longs(String base, long... values) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    return initializer(base, TensorProto.DataType.INT64, bytes, values.length);
  }

  private String initializer(String base, TensorProto.DataType type, ByteBuffer bytes, long... dims) {
    String name = fresh(base);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  private static void checkSize(String base, int length, long... dims) {
    long size = 1;
    for (long d : dims) {
      size *= d;
    }
    if (size != length) {
      throw new IllegalStateException(base + ": " + length + " values for a tensor of " + size);
    }
  }

  /** Adds node {@code op} with one output named after {@code base}; returns the output's name. */
  public String node(String op, String base, List<String> inputs, AttributeProto... attributes) {
    return nodeOutputs(op, base, inputs, 1, attributes)[0];
  }

  /**
   * Adds node {@code op} with {@code outputs} outputs, named {@code base}, {@code base_1}, ...
   * (made unique); returns their names.
   */
  public String[] nodeOutputs(String op, String base, List<String> inputs, int outputs,
                              AttributeProto... attributes) {
    String[] out = new String[outputs];
    for (int i = 0; i < outputs; i++) {
      out[i] = fresh(i == 0 ? base : base + "_" + op.toLowerCase(java.util.Locale.ROOT) + i);
    }
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(fresh(base + "/" + op))
        .addAllInput(inputs);
    for (String o : out) {
      node.addOutput(o);
    }
    for (AttributeProto a : attributes) {
      node.addAttribute(a);
    }
    graph.addNode(node);
    return out;
  }

  /**
   * Adds node {@code op} writing the tensor {@code output} by that exact name, reserved beforehand with
   * {@link #fresh} (the graph's declared output).
   */
  void nodeTo(String op, String output, List<String> inputs, AttributeProto... attributes) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(fresh(output + "/" + op))
        .addAllInput(inputs).addOutput(output);
    for (AttributeProto a : attributes) {
      node.addAttribute(a);
    }
    graph.addNode(node);
  }

  /** {@code input} reshaped to {@code [batch, dims...]} (the batch dimension is copied from the input). */
  public String reshape(String input, String base, int... dims) {
    long[] shape = new long[dims.length + 1];
    shape[0] = 0; // Reshape copies a 0 from the input's dimension: the batch, whatever its size
    for (int i = 0; i < dims.length; i++) {
      shape[i + 1] = dims[i];
    }
    return node("Reshape", base, List.of(input, longs(base + "_shape", shape)));
  }

  // ------------------------------------------------------------------ attributes

  public static AttributeProto attribute(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  public static AttributeProto attribute(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
        .build();
  }

  public static AttributeProto attribute(String name, String value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value)).build();
  }

  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }
}
