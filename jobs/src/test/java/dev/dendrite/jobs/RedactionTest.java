package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Spark's redaction rule applied to Spark settings and configuration trees. */
class RedactionTest {

  private static final String R = Redaction.REPLACEMENT;

  @Test
  void sparkSettingsAreHiddenByKeyOrValueWithSparksDefaultPattern() {
    Map<String, String> shown = Redaction.settings(new SparkConf(false)
        .set("spark.ssl.keyPassword", "pw").set("spark.hadoop.fs.s3a.secret.key", "s3")
        .set("spark.hadoop.fs.s3a.access.key", "AKIA").set("spark.executorEnv.X", "--password=hunter2")
        .set("spark.executor.memory", "2g"));
    assertEquals(Map.of("spark.ssl.keyPassword", R, "spark.hadoop.fs.s3a.secret.key", R,
        "spark.hadoop.fs.s3a.access.key", R, "spark.executorEnv.X", R, "spark.executor.memory", "2g"), shown);
  }

  @Test
  void aUsersOwnRedactionRegexIsHonoured() {
    Map<String, String> shown = Redaction.settings(new SparkConf(false)
        .set(Redaction.REGEX_KEY, "(?i)credential").set("spark.my.credential", "c").set("spark.ssl.keyPassword", "pw"));
    assertEquals(R, shown.get("spark.my.credential"));
    assertEquals("pw", shown.get("spark.ssl.keyPassword"), "the user's pattern replaces Spark's default");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Redaction.of("(unclosed"));
    assertTrue(bad.getMessage().contains(Redaction.REGEX_KEY), bad.getMessage());
    assertTrue(bad.getMessage().contains("(unclosed"), bad.getMessage());
  }

  @Test
  void aConfigTreeHidesSparkSecretsAndSecretKeysButKeepsDataPaths() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("data", Map.of("train", "/data/tokens.csv", "class_names", List.of("a", "b")));
    tree.put("spark", Map.of("spark.ssl.keyPassword", "pw", "spark.executor.memory", "2g",
        "spark.driver.extraJavaOptions", "-Dtoken=abc", "spark", Map.of("hadoop", Map.of("secret", "nested"))));
    tree.put("extra", Map.of("api_token", "t"));
    Map<String, Object> shown = Redaction.DEFAULT.config(tree);
    assertEquals(Map.of("train", "/data/tokens.csv", "class_names", List.of("a", "b")), shown.get("data"),
        "values outside the spark section are Dendrite's own: matched by key only");
    assertEquals(Map.of("spark.ssl.keyPassword", R, "spark.executor.memory", "2g",
        "spark.driver.extraJavaOptions", R, "spark", Map.of("hadoop", Map.of("secret", R))), shown.get("spark"));
    assertEquals(Map.of("api_token", R), shown.get("extra"));
    assertEquals("pw", ((Map<?, ?>) tree.get("spark")).get("spark.ssl.keyPassword"), "the tree itself is unchanged");
  }
}
