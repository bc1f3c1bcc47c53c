package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading configuration files and {@code --set} overrides: limits, strictness, Spark keys. */
class ConfigFilesTest {

  @TempDir
  Path dir;

  @Test
  void aConfigFileOverOneMebibyteIsRefusedNamingTheFileAndItsSize() throws Exception {
    // one comment line: before the cap, SnakeYAML spent ~2 µs per character on it (8 MB: 16 s)
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "# " + "x".repeat(3 << 20) + "\n");
    long size = Files.size(big);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(big));
    assertTrue(e.getMessage().contains(big.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(size + " bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("1048576"), e.getMessage());
  }

  @Test
  void aFileJustUnderTheCapStillLoads() throws Exception {
    Path file = dir.resolve("padded.yaml");
    String body = "training:\n  epochs: 3\n";
    Files.writeString(file, body + "# " + "x".repeat(ConfigFiles.MAX_BYTES - body.length() - 3) + "\n");
    assertEquals(ConfigFiles.MAX_BYTES, Files.size(file));
    assertEquals(Map.of("training", Map.of("epochs", 3)), ConfigFiles.load(file));
  }

  @Test
  void aDuplicatedKeyIsRefusedNamingItsPathTheFileAndTheLine() throws Exception {
    Path file = dir.resolve("dup.yaml");
    Files.writeString(file, """
        training:
          epochs: 3
          batch_size: 32
          epochs: 30
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("training.epochs"), e.getMessage());
    assertTrue(e.getMessage().contains("line 4"), e.getMessage());
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void aDuplicatedKeyInsideAListItemNamesTheItem() throws Exception {
    Path file = dir.resolve("dup-layer.yaml");
    Files.writeString(file, """
        network:
          layers:
            - {type: dense, units: 8}
            - {type: dense, units: 2, units: 3}
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(file));
    assertTrue(e.getMessage().contains("network.layers[1].units"), e.getMessage());
  }

  @Test
  void deeplyNestedYamlIsRefusedNamingTheDepthLimit() throws Exception {
    Path file = dir.resolve("deep.yaml");
    Files.writeString(file, "x: " + "[".repeat(500) + "]".repeat(500) + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("nest"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(ConfigFiles.MAX_DEPTH)), e.getMessage());
  }

  @Test
  void anAliasIsRefusedInsteadOfReadingAsItsName() throws Exception {
    // Jackson reads '*base' as the string "base": the layer would silently lose its settings
    Path file = dir.resolve("alias.yaml");
    Files.writeString(file, """
        defaults: &base {units: 8}
        network:
          layers:
            - *base
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("network.layers[0]"), e.getMessage());
    assertTrue(e.getMessage().contains("alias"), e.getMessage());
  }

  @Test
  void aSecondYamlDocumentIsRefused() throws Exception {
    Path file = dir.resolve("two.yaml");
    Files.writeString(file, "training: {epochs: 3}\n---\ntraining: {epochs: 30}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("document"), e.getMessage());
  }

  @Test
  void scalarsKeepTheirYamlTypes() throws Exception {
    Path file = dir.resolve("types.yaml");
    Files.writeString(file, "a: 3\nb: 0.5\nc: true\nd: adam\ne: [256, 128]\nf: null\ng: 1e-3\n");
    Map<String, Object> tree = ConfigFiles.load(file);
    assertEquals(3, tree.get("a"));
    assertEquals(0.5, tree.get("b"));
    assertEquals(true, tree.get("c"));
    assertEquals("adam", tree.get("d"));
    assertEquals(List.of(256, 128), tree.get("e"));
    assertTrue(tree.containsKey("f"), "f: " + tree);
    assertTrue(tree.get("f") == null, "f: " + tree);
    assertEquals(1e-3, tree.get("g"));
  }

  @Test
  void setWithASparkKeySetsThatSparkSettingInTheSparkSection() throws Exception {
    Path config = JobTestSupport.libsvmConfig(dir, JobTestSupport.resource("binary.libsvm"), dir.resolve("out"));
    Files.writeString(config, Files.readString(config) + "spark:\n  spark.executor.memory: 1g\n");
    JobConfig job = JobConfig.load(config, List.of(
        "spark.serializer=org.apache.spark.serializer.KryoSerializer",
        "spark.executorEnv.FOO=bar",
        "spark.executor.memory=2g"));
    assertEquals(Map.of("spark.executor.memory", "2g",
        "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
        "spark.executorEnv.FOO", "bar"), job.spark());
  }

  @Test
  void setWithASparkKeyWorksWithoutASparkSectionInTheFile() throws Exception {
    Path config = JobTestSupport.libsvmConfig(dir, JobTestSupport.resource("binary.libsvm"), dir.resolve("out"));
    JobConfig job = JobConfig.load(config, List.of("spark.sql.shuffle.partitions=4"));
    assertEquals(Map.of("spark.sql.shuffle.partitions", "4"), job.spark());
  }

  @Test
  void aBareSparkKeyWithoutASettingNameIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigFiles.override(new java.util.LinkedHashMap<>(), "spark=3"));
    assertTrue(e.getMessage().contains("spark.serializer"), e.getMessage());
  }

  @Test
  void setNamesAListItemByItsIndex() throws Exception {
    Path config = JobTestSupport.libsvmConfig(dir, JobTestSupport.resource("binary.libsvm"), dir.resolve("out"));
    JobConfig job = JobConfig.load(config, List.of("network.layers.0.units=12", "network.layers.1.activation=sigmoid"));
    Map<String, Object> network = job.network().toMap();
    List<?> layers = (List<?>) network.get("layers");
    assertEquals(12, ((Map<?, ?>) layers.get(0)).get("units"), network.toString());
    assertEquals("sigmoid", ((Map<?, ?>) layers.get(1)).get("activation"), network.toString());
  }

  @Test
  void setRefusesAListItemThatDoesNotExistOrIsNotNamedByANumber() {
    Map<String, Object> tree = new java.util.LinkedHashMap<>();
    tree.put("network", new java.util.LinkedHashMap<>(Map.of("layers",
        new java.util.ArrayList<>(List.of(new java.util.LinkedHashMap<>(Map.of("units", 8)))))));
    ConfigException missing = assertThrows(ConfigException.class,
        () -> ConfigFiles.override(tree, "network.layers.3.units=4"));
    assertTrue(missing.getMessage().contains("--set network.layers.3.units"), missing.getMessage());
    assertTrue(missing.getMessage().contains("network.layers has 1 items"), missing.getMessage());
    ConfigException named = assertThrows(ConfigException.class,
        () -> ConfigFiles.override(tree, "network.layers.first.units=4"));
    assertTrue(named.getMessage().contains("by its index"), named.getMessage());
  }

  @Test
  void anOverlongSetValueIsRefused() {
    String value = "x".repeat(ConfigFiles.MAX_BYTES + 1);
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigFiles.override(new java.util.LinkedHashMap<>(), "data.train=" + value));
    assertTrue(e.getMessage().contains("--set data.train"), e.getMessage());
  }
}
