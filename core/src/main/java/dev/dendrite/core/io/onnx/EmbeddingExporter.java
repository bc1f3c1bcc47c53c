package dev.dendrite.core.io.onnx;

import static dev.dendrite.core.io.onnx.OnnxGraph.attribute;

import dev.dendrite.core.io.onnx.proto.TensorProto;
import dev.dendrite.core.layer.Layer;
import java.util.List;

/**
 * {@code embedding}: the ids (floats, as Dendrite takes them) become {@code [batch, T]} int64 and
 * {@code Gather} their rows of the table, giving {@code [batch, T, dimension]}. Dendrite refuses an id
 * that is not an integer in {@code [0, vocabulary)}; here Cast truncates a fraction and ONNX Runtime
 * refuses an index out of range.
 */
final class EmbeddingExporter implements LayerExporter {

  @Override
  public String export(Layer layer, LayerParameters p, String input, OnnxGraph graph) {
    String name = layer.name();
    String ids = layer.inputShape().rank() == 1 ? input : graph.reshape(input, name + "_ids", layer.inputShape().size());
    String index = graph.node("Cast", name + "_index", List.of(ids),
        attribute("to", (long) TensorProto.DataType.INT64_VALUE));
    String table = graph.floats(name + "_embeddings", p.values("embeddings"), p.dims("embeddings"));
    return graph.node("Gather", name, List.of(table, index), attribute("axis", 0L));
  }
}
