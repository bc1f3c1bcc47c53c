package dev.dendrite.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dendrite.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a job configuration (YAML, or JSON which is YAML too) into plain maps and applies
 * {@code --set key.path=value} overrides, whose values are read as YAML scalars or flow collections
 * ({@code 64}, {@code 0.5}, {@code true}, {@code [256, 128]}, {@code adam}).
 */
public final class ConfigFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigFiles() {
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Path file) {
    try {
      Object tree = YAML.readValue(Files.readString(file), Object.class);
      if (!(tree instanceof Map)) {
        throw new ConfigException(file.toString(), "a configuration file must be a mapping of sections "
            + "(data:, network:, training:, ...), found " + (tree == null ? "nothing" : "a " + kind(tree)));
      }
      return (Map<String, Object>) tree;
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "no such configuration file");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new ConfigException(file.toString(), "not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
    }
  }

  /** Applies {@code key.path=value} to the tree in place, creating sections as needed. */
  @SuppressWarnings("unchecked")
  public static void override(Map<String, Object> tree, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set " + assignment, "expected key.path=value, e.g. training.epochs=5");
    }
    String key = assignment.substring(0, eq).trim();
    Object value;
    try {
      value = YAML.readValue(assignment.substring(eq + 1), Object.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException("--set " + key, "the value is not valid YAML: " + e.getOriginalMessage());
    }
    String[] path = key.split("\\.");
    Map<String, Object> section = tree;
    for (int i = 0; i < path.length - 1; i++) {
      Object next = section.get(path[i]);
      if (next == null) {
        next = new LinkedHashMap<String, Object>();
        section.put(path[i], next);
      }
      if (!(next instanceof Map)) {
        throw new ConfigException("--set " + key, String.join(".", List.of(path).subList(0, i + 1))
            + " is a " + kind(next) + ", not a section");
      }
      section = (Map<String, Object>) next;
    }
    section.put(path[path.length - 1], value);
  }

  /** The tree as YAML text (for the resolved configuration written next to the model). */
  public static String toYaml(Map<String, Object> tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String kind(Object v) {
    return v instanceof List ? "list" : v instanceof Map ? "section" : "value (" + v + ")";
  }
}
