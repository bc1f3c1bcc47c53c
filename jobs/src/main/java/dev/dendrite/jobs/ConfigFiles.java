package dev.dendrite.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.dendrite.core.config.ConfigException;
import dev.dendrite.jobs.tune.ConfigPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a job configuration (YAML, or JSON which is YAML too) into plain maps and applies
 * {@code --set key.path=value} overrides, whose values are read as YAML scalars or flow collections
 * ({@code 64}, {@code 0.5}, {@code true}, {@code [256, 128]}, {@code adam}).
 *
 * <p>The reader is strict where a lenient one would silently change the configuration: a file over
 * {@link #MAX_BYTES} is refused before parsing (SnakeYAML spends about a second per megabyte even on a
 * comment), as are a key given twice, an alias ({@code *name}, which Jackson would read as the string
 * "name"), nesting deeper than {@link #MAX_DEPTH} and a second YAML document.
 */
public final class ConfigFiles {

  /** The largest configuration file read (bytes); real ones are a few kilobytes. */
  public static final int MAX_BYTES = 1 << 20;
  /** The deepest nesting of sections and lists; real configurations nest four levels. */
  public static final int MAX_DEPTH = 32;

  private static final YAMLFactory YAML_FACTORY = yamlFactory();
  private static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY);

  private ConfigFiles() {
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions limits = new LoaderOptions();
    limits.setCodePointLimit(MAX_BYTES);
    limits.setNestingDepthLimit(MAX_DEPTH);
    limits.setMaxAliasesForCollections(0);
    return YAMLFactory.builder().loaderOptions(limits)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_BYTES).maxNumberLength(100).build())
        .build();
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Path file) {
    String where = file.toString();
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ConfigException(where, "the file is " + size + " bytes; a configuration file may have at most "
            + MAX_BYTES + " bytes (1 MiB). Is this the right file?");
      }
      Object tree = parse(Files.readString(file), where);
      if (!(tree instanceof Map)) {
        throw new ConfigException(where, "a configuration file must be a mapping of sections "
            + "(data:, network:, training:, ...), found " + (tree == null ? "nothing" : "a " + kind(tree)));
      }
      return (Map<String, Object>) tree;
    } catch (NoSuchFileException e) {
      throw new ConfigException(where, "no such configuration file");
    } catch (IOException e) {
      throw new ConfigException(where, "cannot read: " + e.getMessage());
    }
  }

  /**
   * Applies {@code key.path=value} to the tree in place, creating sections as needed; a number in the path
   * names a list item ({@code network.layers.0.units=512}, the first layer's units).
   */
  @SuppressWarnings("unchecked")
  public static void override(Map<String, Object> tree, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set " + assignment, "expected key.path=value, e.g. training.epochs=5");
    }
    String key = assignment.substring(0, eq).trim();
    String text = assignment.substring(eq + 1);
    if (text.length() > MAX_BYTES) {
      throw new ConfigException("--set " + key, "the value has " + text.length() + " characters; at most "
          + MAX_BYTES + " are read");
    }
    Object value = parse(text, "--set " + key);
    List<String> path = sectionPath(key);
    if (!path.get(0).equals("spark")) { // a number indexes a list: network.layers.0.units
      ConfigPath.set(tree, key, value, "--set " + key);
      return;
    }
    Object section = tree.get("spark");
    if (section == null) {
      section = new LinkedHashMap<String, Object>();
      tree.put("spark", section);
    }
    if (!(section instanceof Map)) {
      throw new ConfigException("--set " + key, "spark is a " + kind(section) + ", not a section");
    }
    ((Map<String, Object>) section).put(path.get(1), value);
  }

  /**
   * The sections and key that {@code key} names. Dots separate sections, except in a Spark setting: the
   * {@code spark} section holds flat keys, so {@code spark.executorEnv.FOO} is the key
   * {@code spark.executorEnv.FOO} of section {@code spark} ({@code spark.spark.x} is read as {@code spark.x}
   * too, the way the file spells it).
   */
  private static List<String> sectionPath(String key) {
    if (key.equals("spark")) {
      throw new ConfigException("--set " + key, "name the Spark setting, e.g. --set spark.serializer=...");
    }
    if (key.startsWith("spark.")) {
      String setting = key.startsWith("spark.spark.") ? key.substring("spark.".length()) : key;
      return List.of("spark", setting);
    }
    return List.of(key.split("\\.", -1));
  }

  /** One YAML document as maps, lists and scalars; {@code where} names the file or option in messages. */
  private static Object parse(String text, String where) {
    try (JsonParser parser = YAML_FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      Object value = read(parser, first, "", where);
      if (parser.nextToken() != null) {
        throw new ConfigException(where, "more than one YAML document (a second one starts at line "
            + parser.currentTokenLocation().getLineNr() + "); a configuration is one document");
      }
      return value;
    } catch (StreamConstraintsException e) {
      throw new ConfigException(where, "sections and lists nest too deeply (at most " + MAX_DEPTH
          + " levels)" + at(e.getLocation()) + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException(where, "not valid YAML" + at(e.getLocation()) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(where, "cannot read: " + e.getMessage());
    }
  }

  /** The value starting at {@code token}; {@code path} is its key path, e.g. {@code network.layers[1]}. */
  private static Object read(JsonParser parser, JsonToken token, String path, String where) throws IOException {
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new ConfigException(where, (path.isEmpty() ? "the document" : path)
          + " is an alias (*" + parser.getText() + ")" + at(parser.currentTokenLocation())
          + "; anchors and aliases are not supported: write the value out");
    }
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          if (map.containsKey(name)) {
            throw new ConfigException(where, child + " is given twice" + at(parser.currentTokenLocation())
                + "; remove one of them");
          }
          map.put(name, read(parser, parser.nextToken(), child, where));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(read(parser, t, path + "[" + list.size() + "]", where));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new ConfigException(where, (path.isEmpty() ? "the document" : path) + " holds a value of kind "
            + token + at(parser.currentTokenLocation()) + "; expected a section, list, number, string or boolean");
    }
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
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
