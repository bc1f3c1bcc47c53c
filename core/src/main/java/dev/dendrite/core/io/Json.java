package dev.dendrite.core.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small strict JSON codec (RFC 8259) for model file headers and training histories, with no dependency.
 * Parsing gives {@link LinkedHashMap} (document key order), {@link ArrayList}, {@link String},
 * {@link Long} (integers that fit) or {@link Double}, {@link Boolean} and {@code null}; errors name the
 * line and column. Writing is deterministic: doubles and floats are written so they read back bit-exactly
 * ({@code Double.toString} / {@code Float.toString}), integers without {@code .0}, and keys in the map's
 * order (sorted for hash maps, whose order is not stable between runs).
 */
public final class Json {

  /** Deeper nesting than this is rejected rather than risking a stack overflow on hostile input. */
  public static final int MAX_DEPTH = 256;

  private Json() {
  }

  // ---------------------------------------------------------------- parsing

  /** Parses one JSON value; the whole text must be that value (surrounding whitespace allowed). */
  public static Object parse(String text) {
    return parse(text, "JSON");
  }

  /** Parses one JSON value; {@code source} (a file name, "header") starts every error message. */
  public static Object parse(String text, String source) {
    Parser p = new Parser(text, source);
    p.skipWhitespace();
    Object v = p.value(0);
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("unexpected " + p.describeNext() + " after the end of the JSON value");
    }
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text, String source) {
    Parser p = new Parser(text, source);
    p.skipWhitespace();
    if (p.pos >= text.length() || text.charAt(p.pos) != '{') {
      throw p.error("expected a JSON object starting with '{', found " + p.describeNext());
    }
    return (Map<String, Object>) parse(text, source);
  }

  private static final class Parser {
    private final String s;
    private final String source;
    private int pos;

    Parser(String s, String source) {
      this.s = s;
      this.source = source;
    }

    JsonException error(String message) {
      return errorAt(pos, message);
    }

    JsonException errorAt(int at, String message) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at && i < s.length(); i++) {
        if (s.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      int column = at - lineStart + 1;
      return new JsonException(source + ": line " + line + ", column " + column + ": " + message, line, column);
    }

    String describeNext() {
      if (pos >= s.length()) {
        return "end of input";
      }
      char c = s.charAt(pos);
      return c < 0x20 ? String.format("control character U+%04X", (int) c) : "'" + c + "'";
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels");
      }
      if (pos >= s.length()) {
        throw error("expected a value, found end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("expected a value (object, array, string, number, true, false or null), found "
              + describeNext());
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        int end = pos;
        while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
          end++;
        }
        throw error("expected a value, found '" + s.substring(pos, Math.max(end, pos + 1)) + "'");
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object(int depth) {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++; // '{'
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a key in double quotes, found " + describeNext());
        }
        int keyAt = pos;
        String key = string();
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw error("expected ':' after key \"" + key + "\", found " + describeNext());
        }
        pos++;
        skipWhitespace();
        Object v = value(depth + 1);
        if (m.containsKey(key)) {
          throw errorAt(keyAt, "duplicate key \"" + key + "\"");
        }
        m.put(key, v);
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < s.length() && s.charAt(pos) == '}') {
          pos++;
          return m;
        }
        throw error("expected ',' or '}' after a value in an object, found " + describeNext());
      }
    }

    private List<Object> array(int depth) {
      List<Object> list = new ArrayList<>();
      pos++; // '['
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipWhitespace();
        list.add(value(depth + 1));
        skipWhitespace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < s.length() && s.charAt(pos) == ']') {
          pos++;
          return list;
        }
        throw error("expected ',' or ']' after a value in an array, found " + describeNext());
      }
    }

    private String string() {
      int start = pos;
      pos++; // opening quote
      StringBuilder sb = null;
      int runStart = pos;
      while (true) {
        if (pos >= s.length()) {
          throw errorAt(start, "unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String tail = s.substring(runStart, pos);
          pos++;
          return sb == null ? tail : sb.append(tail).toString();
        }
        if (c < 0x20) {
          throw error(String.format("control character U+%04X in a string (write it as an escape)", (int) c));
        }
        if (c != '\\') {
          pos++;
          continue;
        }
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(s, runStart, pos);
        if (pos + 1 >= s.length()) {
          throw errorAt(start, "unterminated string");
        }
        char e = s.charAt(pos + 1);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (pos + 6 > s.length()) {
              throw error("incomplete \\u escape");
            }
            int code = 0;
            for (int i = pos + 2; i < pos + 6; i++) {
              int d = Character.digit(s.charAt(i), 16);
              if (d < 0) {
                throw error("invalid \\u escape '" + s.substring(pos, pos + 6) + "' (expected 4 hex digits)");
              }
              code = code * 16 + d;
            }
            sb.append((char) code);
            pos += 4;
            break;
          default:
            throw error("invalid escape '\\" + e + "' in a string");
        }
        pos += 2;
        runStart = pos;
      }
    }

    private Object number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= s.length() || !isDigit(s.charAt(pos))) {
        throw error("expected a digit in a number, found " + describeNext());
      }
      if (s.charAt(pos) == '0') {
        pos++;
        if (pos < s.length() && isDigit(s.charAt(pos))) {
          throw errorAt(start, "numbers may not have leading zeros");
        }
      } else {
        while (pos < s.length() && isDigit(s.charAt(pos))) {
          pos++;
        }
      }
      boolean integer = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        integer = false;
        pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
          throw error("expected a digit after the decimal point, found " + describeNext());
        }
        while (pos < s.length() && isDigit(s.charAt(pos))) {
          pos++;
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integer = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
          throw error("expected a digit in the exponent, found " + describeNext());
        }
        while (pos < s.length() && isDigit(s.charAt(pos))) {
          pos++;
        }
      }
      String text = s.substring(start, pos);
      if (integer) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooLong) {
          // beyond ±2^63: fall through to a double
        }
      }
      double d = Double.parseDouble(text);
      if (Double.isInfinite(d)) {
        throw errorAt(start, "number " + text + " is out of the range of a double");
      }
      return d;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }

  // ---------------------------------------------------------------- writing

  /** The compact form: no whitespace. */
  public static String write(Object value) {
    return write(value, false);
  }

  /**
   * Writes a value: maps with string keys, lists and other collections, arrays of primitives, strings,
   * numbers (finite only: JSON has no NaN or infinity), booleans and null. Pretty output indents by two
   * spaces and keeps lists of plain values on one line.
   */
  public static String write(Object value, boolean pretty) {
    StringBuilder sb = new StringBuilder();
    new Writer(sb, pretty).value(value, "$", 0);
    return sb.toString();
  }

  private static final class Writer {
    private final StringBuilder sb;
    private final boolean pretty;

    Writer(StringBuilder sb, boolean pretty) {
      this.sb = sb;
      this.pretty = pretty;
    }

    void value(Object v, String path, int indent) {
      if (indent > MAX_DEPTH) {
        throw new JsonException(path + ": nesting deeper than " + MAX_DEPTH + " levels (a cycle?)", 0, 0);
      }
      if (v == null) {
        sb.append("null");
      } else if (v instanceof CharSequence || v instanceof Character) {
        string(v.toString());
      } else if (v instanceof Boolean) {
        sb.append(v);
      } else if (v instanceof Number) {
        number((Number) v, path);
      } else if (v instanceof Map) {
        object((Map<?, ?>) v, path, indent);
      } else if (v instanceof Collection) {
        array(new ArrayList<>((Collection<?>) v), path, indent);
      } else if (v instanceof Object[]) {
        array(List.of((Object[]) v), path, indent);
      } else if (v instanceof float[] || v instanceof double[] || v instanceof int[] || v instanceof long[]) {
        array(boxed(v), path, indent);
      } else {
        throw new JsonException(path + ": cannot write a " + v.getClass().getName() + " as JSON; use maps, "
            + "lists, strings, numbers, booleans or null", 0, 0);
      }
    }

    private static List<Object> boxed(Object array) {
      List<Object> list = new ArrayList<>();
      if (array instanceof float[]) {
        for (float x : (float[]) array) {
          list.add(x);
        }
      } else if (array instanceof double[]) {
        for (double x : (double[]) array) {
          list.add(x);
        }
      } else if (array instanceof int[]) {
        for (int x : (int[]) array) {
          list.add(x);
        }
      } else {
        for (long x : (long[]) array) {
          list.add(x);
        }
      }
      return list;
    }

    private void number(Number n, String path) {
      if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new JsonException(path + " is " + n + ": JSON has no NaN or infinity; store null or a string",
              0, 0);
        }
        sb.append(n instanceof Float ? Float.toString((Float) n) : Double.toString(d));
      } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
          || n instanceof BigInteger) {
        sb.append(n);
      } else if (n instanceof BigDecimal) {
        sb.append(((BigDecimal) n).toString());
      } else {
        throw new JsonException(path + ": cannot write a " + n.getClass().getName() + " as a JSON number", 0, 0);
      }
    }

    private void object(Map<?, ?> m, String path, int indent) {
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      Map<?, ?> ordered = unstableOrder(m) ? new TreeMap<>(checkedKeys(m, path)) : m;
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ordered.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new JsonException(path + ": map key " + e.getKey() + " is not a string", 0, 0);
        }
        String key = (String) e.getKey();
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(indent + 1);
        string(key);
        sb.append(pretty ? ": " : ":");
        value(e.getValue(), path + "." + key, indent + 1);
      }
      newline(indent);
      sb.append('}');
    }

    private static Map<String, Object> checkedKeys(Map<?, ?> m, String path) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new JsonException(path + ": map key " + e.getKey() + " is not a string", 0, 0);
        }
        out.put((String) e.getKey(), e.getValue());
      }
      return out;
    }

    /** Hash maps iterate in an order that can change between runs; their keys are written sorted. */
    private static boolean unstableOrder(Map<?, ?> m) {
      return m.getClass() == HashMap.class || m instanceof Hashtable || m instanceof ConcurrentHashMap
          || m.getClass().getName().startsWith("java.util.ImmutableCollections$Map");
    }

    private void array(List<?> list, String path, int indent) {
      if (list.isEmpty()) {
        sb.append("[]");
        return;
      }
      boolean flat = true;
      for (Object o : list) {
        if (o instanceof Map || o instanceof Collection || o instanceof Object[]) {
          flat = false;
          break;
        }
      }
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
          if (pretty && flat) {
            sb.append(' ');
          }
        }
        if (!flat) {
          newline(indent + 1);
        }
        value(list.get(i), path + "[" + i + "]", indent + 1);
      }
      if (!flat) {
        newline(indent);
      }
      sb.append(']');
    }

    private void newline(int indent) {
      if (pretty) {
        sb.append('\n');
        for (int i = 0; i < indent; i++) {
          sb.append("  ");
        }
      }
    }

    private void string(String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"': sb.append("\\\""); break;
          case '\\': sb.append("\\\\"); break;
          case '\n': sb.append("\\n"); break;
          case '\r': sb.append("\\r"); break;
          case '\t': sb.append("\\t"); break;
          case '\b': sb.append("\\b"); break;
          case '\f': sb.append("\\f"); break;
          default:
            if (c < 0x20 || c == 0x7f) {
              escape(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
              escape(c); // a lone surrogate has no UTF-8 form; the escape keeps it
            } else {
              sb.append(c);
            }
        }
      }
      sb.append('"');
    }

    private void escape(char c) {
      sb.append(String.format("\\u%04x", (int) c));
    }
  }
}
