package dev.dendrite.core.io.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.layer.Layer;
import dev.dendrite.core.layer.LayerConfig;
import dev.dendrite.core.linalg.Gemm;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.tensor.ParameterSpec;
import dev.dendrite.core.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layer type without an exporter (as a new layer is until its exporter is added) is refused by name. */
class RefusalTest {

  /** A layer type unknown to the exporters: {@code y = 2x}. */
  record TimesTwoConfig() implements LayerConfig {
    @Override
    public String type() {
      return "times_two";
    }

    @Override
    public Layer build(Shape input, int index, Gemm gemm) {
      LayerConfig config = this;
      return new Layer() {
        public String name() {
          return "times_two_" + index;
        }

        public Shape inputShape() {
          return input;
        }

        public Shape outputShape() {
          return input;
        }

        public LayerConfig config() {
          return config;
        }

        public List<ParameterSpec> parameters() {
          return List.of();
        }

        public void bind(float[] params, float[] grads, int offset) {
        }

        public void allocate(int maxBatch) {
        }

        public void forward(float[] x, int xOffset, float[] y, int batch, boolean training, RandomGenerator rng) {
          for (int i = 0; i < batch * input.size(); i++) {
            y[i] = 2 * x[xOffset + i];
          }
        }

        public void backward(float[] x, int xOffset, float[] y, float[] dY, float[] dX, int batch) {
        }
      };
    }

    @Override
    public Map<String, Object> toMap() {
      return Map.of("type", type());
    }
  }

  @Test
  void aLayerWithoutAnExporterIsRefusedByNameAndNothingIsWritten(@TempDir Path dir) {
    Network net = Network.builder(4).dense(3, "relu").add(new TimesTwoConfig()).dense(2).add(new TimesTwoConfig())
        .seed(1).build();
    Path file = dir.resolve("model.onnx");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExport.write(SavedModel.of(net), file));
    assertTrue(e.getMessage().contains("layer 1 'times_two_1' (type times_two), layer 3 'times_two_3' (type "
        + "times_two) have no ONNX form"), e.getMessage());
    assertTrue(e.getMessage().contains("[dense, activation, dropout"), e.getMessage());
    assertFalse(Files.exists(file), "no file written");
  }
}
