package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.spark.DistributedConfig;
import dev.dendrite.spark.data.DataConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole job configuration, validated before Spark starts: {@code data}, {@code network},
 * {@code training}, {@code distributed}, {@code output} ({@code dir}) and {@code spark} (settings applied
 * only where spark-submit or spark-defaults did not set them). Every key is checked; an unknown key or
 * a bad value fails naming its full path.
 */
public record JobConfig(DataConfig data, NetworkConfig network, TrainingConfig training,
                        DistributedConfig distributed, String outputDir, Map<String, String> spark,
                        Map<String, Object> tree) {

  /** Reads a file and applies overrides. */
  public static JobConfig load(Path file, Iterable<String> overrides) {
    Map<String, Object> tree = ConfigFiles.load(file);
    for (String o : overrides) {
      ConfigFiles.override(tree, o);
    }
    return read(tree);
  }

  public static JobConfig read(Map<String, Object> tree) {
    ConfigMap root = new ConfigMap("", tree);
    DataConfig data = DataConfig.read(root.section("data"));
    NetworkConfig network = NetworkConfig.read(root.section("network"));
    TrainingConfig training = TrainingConfig.read(root.section("training"));
    DistributedConfig distributed = DistributedConfig.read(root.section("distributed"));
    ConfigMap output = root.section("output");
    String dir = output.string("dir");
    output.finish();
    Map<String, String> spark = new LinkedHashMap<>();
    Object raw = root.value("spark");
    if (raw != null && !(raw instanceof Map)) {
      throw new dev.dendrite.core.config.ConfigException("spark", "expected a section of Spark settings");
    }
    if (raw instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!key.startsWith("spark.")) {
          throw new dev.dendrite.core.config.ConfigException("spark." + key,
              "Spark settings start with 'spark.' (e.g. spark.executor.memory)");
        }
        spark.put(key, String.valueOf(e.getValue()));
      }
    }
    root.finish();
    return new JobConfig(data, network, training, distributed, dir, spark, tree);
  }
}
