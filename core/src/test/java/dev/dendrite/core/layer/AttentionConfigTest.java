package dev.dendrite.core.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attention layers as config files write them: round trips, defaults, and errors that name the key. */
class AttentionConfigTest {

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void everyAttentionLayerRoundTripsThroughItsMapForm() {
    List<LayerConfig> configs = List.of(LayerNormConfig.of(), PositionalEmbeddingConfig.of(),
        MultiHeadAttentionConfig.of(4, true), TransformerEncoderConfig.of(2, 64).withNorm("pre").withCausal(true),
        TimeDistributedDenseConfig.of(10, "softmax"));
    for (LayerConfig c : configs) {
      assertEquals(c, LayerConfigs.fromMap("layers[0]", c.toMap()), c.type());
    }
  }

  @Test
  void defaultsFollowPyTorch() {
    TransformerEncoderConfig block = (TransformerEncoderConfig) LayerConfigs.fromMap("l",
        map("type", "transformer_encoder", "heads", 4, "feed_forward", 64));
    assertEquals(TransformerEncoderConfig.of(4, 64), block);
    assertEquals("post", block.norm());
    assertEquals("relu", block.activation());
    assertEquals(1e-5, ((LayerNormConfig) LayerConfigs.fromMap("l", map("type", "layer_norm"))).epsilon());
  }

  @Test
  void badValuesNameTheirKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("network.layers[2]",
        map("type", "transformer_encoder", "heads", 4, "feed_forward", 64, "norm", "middle")));
    assertTrue(e.getMessage().startsWith("network.layers[2].norm") && e.getMessage().contains("[post, pre]"),
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("network.layers[1]",
        map("type", "multi_head_attention", "heads", 0)));
    assertTrue(e.getMessage().startsWith("network.layers[1].heads: must be > 0"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> LayerConfigs.fromMap("network.layers[1]",
        map("type", "multi_head_attention", "heads", 2, "kernel_init", "gaussian")));
    assertTrue(e.getMessage().startsWith("network.layers[1].kernel_init") && e.getMessage().contains("gaussian"),
        e.getMessage());
  }

  @Test
  void headsMustDivideTheModelDimension() {
    NetworkConfig config = Network.builder(8, 30).multiHeadAttention(4, false).config();
    String m = assertThrows(IllegalArgumentException.class, () -> new Network(config)).getMessage();
    assertTrue(m.contains("heads = 4 does not divide the model dimension 30"), m);
  }

  @Test
  void sequenceLayersRefuseAFlatInput() {
    for (LayerConfig c : List.<LayerConfig>of(MultiHeadAttentionConfig.of(1, false), TransformerEncoderConfig.of(1, 4),
        PositionalEmbeddingConfig.of(), TimeDistributedDenseConfig.of(3, "softmax"))) {
      NetworkConfig config = Network.builder(16).add(c).config();
      String m = assertThrows(IllegalArgumentException.class, () -> new Network(config)).getMessage();
      assertTrue(m.contains("[steps, features] (rank 2), got input shape [16]"), c.type() + ": " + m);
    }
  }
}
