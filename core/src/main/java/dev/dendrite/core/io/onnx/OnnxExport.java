package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.io.onnx.proto.GraphProto;
import dev.dendrite.core.io.onnx.proto.ModelProto;
import dev.dendrite.core.io.onnx.proto.OperatorSetIdProto;
import dev.dendrite.core.io.onnx.proto.StringStringEntryProto;
import dev.dendrite.core.io.onnx.proto.TensorProto;
import dev.dendrite.core.io.onnx.proto.TensorShapeProto;
import dev.dendrite.core.io.onnx.proto.TypeProto;
import dev.dendrite.core.io.onnx.proto.ValueInfoProto;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved model as an ONNX model: the graph takes {@value #INPUT} {@code [batch, inputSize]}, the raw
 * features {@code dendrite predict} takes, applies the saved preprocessing, then every layer, and gives
 * {@value #OUTPUT} {@code [batch, outputSize]}, the rows {@code Network.forward} gives at inference
 * (probabilities after a softmax or sigmoid output, values for regression). Weights are initializers.
 *
 * <p>The format: ONNX IR version {@value #IR_VERSION} with the default operator set at version
 * {@value #OPSET} (ONNX 1.12; every ONNX Runtime since 1.13 runs it). Only standard operators are used;
 * a layer without an ONNX form is refused before anything is written, with every such layer named.
 */
public final class OnnxExport {

  /** The ONNX IR version written (ONNX 1.12's). */
  public static final int IR_VERSION = 8;
  /** The version of the default ONNX operator set the graph uses. */
  public static final int OPSET = 17;
  /** The graph input: raw features {@code [batch, inputSize]}, float. */
  public static final String INPUT = "features";
  /** The graph output: the network's output rows {@code [batch, outputSize]}, float. */
  public static final String OUTPUT = "output";
  /** The file name extension of exported models. */
  public static final String EXTENSION = ".onnx";

  private OnnxExport() {
  }

  /** The ONNX model of {@code model}: its preprocessing and network. */
  public static ModelProto toModel(SavedModel model) {
    Network network = model.toNetwork(Gemms.factory("ejml").get()); // only the layers and weights are read
    List<Layer> layers = network.layers();
    refuseLayersWithoutExport(layers);
    Preprocessor preprocessor = preprocessor(model, network);

    GraphProto.Builder proto = GraphProto.newBuilder().setName("dendrite");
    OnnxGraph graph = new OnnxGraph(proto);
    graph.fresh(INPUT);
    graph.fresh(OUTPUT);
    proto.addInput(valueInfo(INPUT, network.inputSize()));
    proto.addOutput(valueInfo(OUTPUT, network.outputSize()));

    String x = INPUT;
    if (preprocessor != null) {
      x = PreprocessingExporter.apply(preprocessor, x, graph);
    }
    Shape input = network.inputShape();
    if (input.rank() > 1) {
      x = graph.reshape(x, "input", input.dims());
    }
    float[] parameters = model.parameters();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      x = LayerExporters.of(layer, i).export(layer, new LayerParameters(layer, network.layout(), parameters), x,
          graph);
    }
    // the output as Dendrite gives it: one flat row per example
    graph.nodeTo("Flatten", OUTPUT, List.of(x), attribute("axis", 1L));

    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("Dendrite")
        .setProducerVersion(ModelFile.LIBRARY_VERSION)
        .setDocString("Exported from a Dendrite model file: " + network + ". Input '" + INPUT + "' takes raw "
            + "features" + (preprocessor == null ? "" : " (the saved " + preprocessor.type()
            + " preprocessing is part of the graph)") + ".")
        .setGraph(proto);
    metadata(m, "dendrite.library_version", model.libraryVersion());
    metadata(m, "dendrite.created", model.created().toString());
    metadata(m, "dendrite.input_shape", input.toString());
    if (model.loss() != null) {
      metadata(m, "dendrite.loss", model.loss());
    }
    return m.build();
  }

  /** The serialized ONNX model of {@code model}. */
  public static byte[] toBytes(SavedModel model) {
    return toModel(model).toByteArray();
  }

  /**
   * Writes the ONNX model of {@code model} to {@code file} through a temporary file in the same directory,
   * renamed over the target once complete; nothing is written when the model cannot be exported.
   */
  public static void write(SavedModel model, Path file) throws IOException {
    byte[] bytes = toBytes(model);
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Long.toHexString(System.nanoTime()));
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        out.write(bytes);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void refuseLayersWithoutExport(List<Layer> layers) {
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (!LayerExporters.types().contains(layer.config().type())) {
        refused.add("layer " + i + " '" + layer.name() + "' (type " + layer.config().type() + ")");
      }
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException("cannot export to ONNX: " + String.join(", ", refused) + " ha"
          + (refused.size() == 1 ? "s" : "ve") + " no ONNX form yet; the layer types that export are "
          + LayerExporters.types());
    }
  }

  /** The saved preprocessing, checked to be fitted on the network's input width; null for none. */
  private static Preprocessor preprocessor(SavedModel model, Network network) {
    if (model.preprocessing().isEmpty()) {
      return null;
    }
    Preprocessor p = Preprocessor.fromMap(model.preprocessing());
    if (!p.isFitted() || p.width() != network.inputSize()) {
      throw new IllegalArgumentException("the saved " + p.type() + " preprocessing is "
          + (p.isFitted() ? "fitted on " + p.width() + " features, but the network takes " + network.inputSize()
          : "not fitted") + "; it cannot be exported");
    }
    return p;
  }

  private static ValueInfoProto valueInfo(String name, int width) {
    TensorShapeProto shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
        .build();
    TypeProto type = TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
    return ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }

  private static void metadata(ModelProto.Builder m, String key, String value) {
    m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }
}
