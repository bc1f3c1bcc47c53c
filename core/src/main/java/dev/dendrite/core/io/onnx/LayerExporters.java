package dev.dendrite.core.io.onnx;

import dev.dendrite.core.layer.ActivationConfig;
import dev.dendrite.core.layer.AvgPool2DConfig;
import dev.dendrite.core.layer.BatchNormConfig;
import dev.dendrite.core.layer.Conv2DConfig;
import dev.dendrite.core.layer.DenseConfig;
import dev.dendrite.core.layer.DropoutConfig;
import dev.dendrite.core.layer.EmbeddingConfig;
import dev.dendrite.core.layer.FlattenConfig;
import dev.dendrite.core.layer.GruConfig;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LayerNormConfig;
import dev.dendrite.core.layer.LstmConfig;
import dev.dendrite.core.layer.MaxPool2DConfig;
import dev.dendrite.core.layer.MaxoutConfig;
import dev.dendrite.core.layer.MultiHeadAttentionConfig;
import dev.dendrite.core.layer.PReluConfig;
import dev.dendrite.core.layer.PositionalEmbeddingConfig;
import dev.dendrite.core.layer.SamplingConfig;
import dev.dendrite.core.layer.SimpleRnnConfig;
import dev.dendrite.core.layer.TimeDistributedDenseConfig;
import dev.dendrite.core.layer.TransformerEncoderConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The exporter of each layer type, by the type's config name: the one place that knows which layers have
 * an ONNX form. A layer type that is not listed (a new one, until its exporter is added here) is refused
 * by name.
 */
public final class LayerExporters {

  private static final Map<String, LayerExporter> EXPORTERS = new LinkedHashMap<>();

  static {
    EXPORTERS.put(DenseConfig.TYPE, new DenseExporter());
    EXPORTERS.put(ActivationConfig.TYPE, new ActivationLayerExporter());
    EXPORTERS.put(DropoutConfig.TYPE, new DropoutExporter());
    EXPORTERS.put(PReluConfig.TYPE, new PReluExporter());
    EXPORTERS.put(MaxoutConfig.TYPE, new MaxoutExporter());
    EXPORTERS.put(Conv2DConfig.TYPE, new Conv2DExporter());
    EXPORTERS.put(MaxPool2DConfig.TYPE, new MaxPool2DExporter());
    EXPORTERS.put(AvgPool2DConfig.TYPE, new AvgPool2DExporter());
    EXPORTERS.put(FlattenConfig.TYPE, new FlattenExporter());
    EXPORTERS.put(BatchNormConfig.TYPE, new BatchNormExporter());
    EXPORTERS.put(EmbeddingConfig.TYPE, new EmbeddingExporter());
    EXPORTERS.put(SimpleRnnConfig.TYPE, new SimpleRnnExporter());
    EXPORTERS.put(LstmConfig.TYPE, new LstmExporter());
    EXPORTERS.put(GruConfig.TYPE, new GruExporter());
    EXPORTERS.put(LayerNormConfig.TYPE, new LayerNormExporter());
    EXPORTERS.put(PositionalEmbeddingConfig.TYPE, new PositionalEmbeddingExporter());
    EXPORTERS.put(MultiHeadAttentionConfig.TYPE, new MultiHeadAttentionExporter());
    EXPORTERS.put(TransformerEncoderConfig.TYPE, new TransformerEncoderExporter());
    EXPORTERS.put(TimeDistributedDenseConfig.TYPE, new TimeDistributedDenseExporter());
    EXPORTERS.put(SamplingConfig.TYPE, new SamplingExporter());
  }

  private LayerExporters() {
  }

  /** The layer types that export, in the order of the table above. */
  public static Set<String> types() {
    return Collections.unmodifiableSet(EXPORTERS.keySet());
  }

  /** The exporter of {@code layer}'s type; refuses a type without one, naming the layer. */
  static LayerExporter of(Layer layer, int index) {
    LayerExporter exporter = EXPORTERS.get(layer.config().type());
    if (exporter == null) {
      throw new IllegalArgumentException("layer " + index + " '" + layer.name() + "' (type "
          + layer.config().type() + ") has no ONNX export; the layer types that export are " + EXPORTERS.keySet());
    }
    return exporter;
  }
}
