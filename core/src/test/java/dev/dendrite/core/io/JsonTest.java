package dev.dendrite.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"x\\ty\\u00e9\\\"\"},"
        + " \"big\": 12345678901234, \"z\": -0} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("a", "b", "big", "z"), new ArrayList<>(m.keySet()));
    List<?> a = (List<?>) m.get("a");
    assertEquals(1L, a.get(0));
    assertEquals(-2.5, a.get(1));
    assertEquals(300.0, a.get(2));
    assertEquals(true, a.get(3));
    assertEquals(false, a.get(4));
    assertNull(a.get(5));
    assertEquals("x\tyé\"", ((Map<?, ?>) m.get("b")).get("c"));
    assertEquals(12345678901234L, m.get("big"));
    assertEquals(0L, m.get("z"));
    assertEquals(9.3e18, Json.parse("9300000000000000000")); // beyond a long: a double
  }

  @Test
  void doublesAndFloatsRoundTripBitExactly() {
    Rng rng = new Rng(7);
    List<Object> values = new ArrayList<>();
    double[] special = {0.1, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 1e-300, 123456789.123456789,
        Math.PI, 1e21, 1e-7};
    for (double d : special) {
      values.add(d);
    }
    for (int i = 0; i < 1000; i++) {
      values.add(Double.longBitsToDouble(rng.nextLong())); // any exponent, any mantissa
      values.add(Float.intBitsToFloat(rng.nextInt()));
      values.add(rng.nextFloat() * 1e-3f);
    }
    values.removeIf(o -> !Double.isFinite(((Number) o).doubleValue()));
    List<?> back = (List<?>) Json.parse(Json.write(values));
    for (int i = 0; i < values.size(); i++) {
      Object original = values.get(i);
      Object read = back.get(i);
      if (original instanceof Float) {
        assertEquals(Float.floatToRawIntBits((Float) original),
            Float.floatToRawIntBits(((Number) read).floatValue()), "value " + i + ": " + original);
      } else {
        assertEquals(Double.doubleToRawLongBits((Double) original),
            Double.doubleToRawLongBits(((Number) read).doubleValue()), "value " + i + ": " + original);
      }
    }
  }

  @Test
  void writesIntegersWithoutFractionAndDoublesAsDoubles() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("int", 3);
    m.put("long", 1L << 40);
    m.put("double", 3.0);
    m.put("float", 0.1f);
    m.put("shape", new int[] {256, 784});
    assertEquals("{\"int\":3,\"long\":1099511627776,\"double\":3.0,\"float\":0.1,\"shape\":[256,784]}",
        Json.write(m));
    Map<?, ?> back = (Map<?, ?>) Json.parse(Json.write(m));
    assertEquals(3L, back.get("int"));
    assertEquals(3.0, back.get("double"));
  }

  @Test
  void prettyFormIsIndentedWithFlatListsOnOneLine() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("name", "dense_0/W");
    inner.put("shape", List.of(3, 4));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tensors", List.of(inner));
    m.put("empty", Map.of());
    m.put("none", List.of());
    String expected = "{\n"
        + "  \"tensors\": [\n"
        + "    {\n"
        + "      \"name\": \"dense_0/W\",\n"
        + "      \"shape\": [3, 4]\n"
        + "    }\n"
        + "  ],\n"
        + "  \"empty\": {},\n"
        + "  \"none\": []\n"
        + "}";
    assertEquals(expected, Json.write(m, true));
    assertEquals(m, toIntShapes(Json.parse(expected)));
  }

  @SuppressWarnings("unchecked")
  private static Object toIntShapes(Object parsed) {
    // the parser reads integers as Long; convert for comparison with the Integer-valued original
    Map<String, Object> m = (Map<String, Object>) parsed;
    Map<String, Object> t = (Map<String, Object>) ((List<Object>) m.get("tensors")).get(0);
    List<Object> shape = new ArrayList<>();
    for (Object o : (List<Object>) t.get("shape")) {
      shape.add(((Long) o).intValue());
    }
    t.put("shape", shape);
    return m;
  }

  @Test
  void stringsWithEscapesControlCharactersAndUnicodeRoundTrip() {
    String[] strings = {"", "plain", "quote \" backslash \\ slash /", "tab\tnewline\nreturn\r", "\u0000\u0001\u001f",
        "é ü 日本 😀", "lone \ud800 surrogate", "del \u007f"};
    for (String s : strings) {
      String json = Json.write(s);
      assertEquals(s, Json.parse(json), json);
      assertTrue(json.chars().noneMatch(c -> c < 0x20), json);
    }
    assertEquals("\"\\u0001\"", Json.write("\u0001"));
  }

  @Test
  void hashMapKeysAreWrittenSortedOtherMapsInTheirOrder() {
    Map<String, Object> hash = new HashMap<>();
    Map<String, Object> linked = new LinkedHashMap<>();
    for (String k : new String[] {"zeta", "alpha", "mid", "beta"}) {
      hash.put(k, 1);
      linked.put(k, 1);
    }
    assertEquals("{\"alpha\":1,\"beta\":1,\"mid\":1,\"zeta\":1}", Json.write(hash));
    assertEquals("{\"alpha\":1,\"beta\":1,\"mid\":1,\"zeta\":1}", Json.write(Map.of("zeta", 1, "alpha", 1,
        "mid", 1, "beta", 1)));
    assertEquals("{\"zeta\":1,\"alpha\":1,\"mid\":1,\"beta\":1}", Json.write(linked));
  }

  @Test
  void refusesValuesJsonCannotHoldNamingThePath() {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("loss", Double.NaN);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("final_metrics", metrics);
    JsonException e = assertThrows(JsonException.class, () -> Json.write(m));
    assertTrue(e.getMessage().startsWith("$.final_metrics.loss is NaN"), e.getMessage());
    e = assertThrows(JsonException.class, () -> Json.write(List.of(1, new Object())));
    assertTrue(e.getMessage().startsWith("$[1]: cannot write a java.lang.Object"), e.getMessage());
    Map<Object, Object> badKey = new LinkedHashMap<>();
    badKey.put(1, 2);
    assertThrows(JsonException.class, () -> Json.write(badKey));
    assertThrows(JsonException.class, () -> Json.write(Float.POSITIVE_INFINITY));
  }

  @Test
  void malformedInputNamesLineAndColumn() {
    assertError("{\"a\": 1,\n \"b\" 2}", "line 2, column 6: expected ':' after key \"b\", found '2'");
    assertError("[1, 2,]", "line 1, column 7: expected a value");
    assertError("{\"a\": 1,}", "line 1, column 9: expected a key in double quotes, found '}'");
    assertError("{\"a\": 1} x", "line 1, column 10: unexpected 'x' after the end of the JSON value");
    assertError("{\"a\": 1, \"a\": 2}", "line 1, column 10: duplicate key \"a\"");
    assertError("[01]", "line 1, column 2: numbers may not have leading zeros");
    assertError("[1.]", "line 1, column 4: expected a digit after the decimal point");
    assertError("[-]", "line 1, column 3: expected a digit in a number");
    assertError("[1e]", "expected a digit in the exponent");
    assertError("[1e400]", "number 1e400 is out of the range of a double");
    assertError("[NaN]", "line 1, column 2: expected a value (object, array, string, number, true, false or null)");
    assertError("[nul]", "expected a value, found 'nul'");
    assertError("\"abc", "line 1, column 1: unterminated string");
    assertError("\"a\nb\"", "line 1, column 3: control character U+000A in a string");
    assertError("\"\\x\"", "invalid escape '\\x'");
    assertError("\"\\u12g4\"", "invalid \\u escape");
    assertError("", "line 1, column 1: expected a value, found end of input");
    assertError("{\"a\": [1, 2}", "expected ',' or ']' after a value in an array, found '}'");
    assertError("{\"a\" : 1 // comment\n}", "expected ',' or '}' after a value in an object, found '/'");
    assertError("[".repeat(Json.MAX_DEPTH + 2), "nesting deeper than " + Json.MAX_DEPTH);
    JsonException e = assertThrows(JsonException.class, () -> Json.parseObject("[1]", "history.json"));
    assertTrue(e.getMessage().startsWith("history.json: line 1, column 1: expected a JSON object"), e.getMessage());
  }

  private static void assertError(String text, String expected) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text, "test.json"), text);
    assertTrue(e.getMessage().startsWith("test.json: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void compactAndPrettyFormsParseToTheSameValue() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("numbers", Arrays.asList(1L, 2.5, -0.0, null));
    m.put("nested", new LinkedHashMap<>(Map.of("k", List.of(List.of(1L), Map.of()))));
    m.put("text", "a\"b");
    assertEquals(m, Json.parse(Json.write(m, false)));
    assertEquals(m, Json.parse(Json.write(m, true)));
    assertEquals(Json.write(m, false), Json.write(Json.parse(Json.write(m, true)), false));
  }
}
