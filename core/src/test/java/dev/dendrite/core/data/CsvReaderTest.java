package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.data.CsvReader.Options;
import dev.dendrite.core.data.Dataset.TargetKind;
import dev.dendrite.core.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

  @TempDir
  Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void readsHeaderLabelByNameAndQuotedFields() throws IOException {
    Path p = write("iris.csv", "\uFEFFsepal,\"petal, width\",species\r\n"
        + "5.1,\"0.2\",0\r\n"
        + "\r\n"
        + " 6.3 , 1.8e0 ,2\n");
    Dataset d = CsvReader.read(p, "species");
    assertEquals(2, d.size());
    assertEquals(Shape.of(2), d.featureShape());
    assertArrayEquals(new float[] {5.1f, 0.2f, 6.3f, 1.8f}, d.features());
    assertArrayEquals(new float[] {0, 2}, d.targets());
    assertEquals(TargetKind.CLASS_INDEX, d.targetKind());
    assertEquals(3, d.classes());
  }

  @Test
  void labelByIndexWithoutHeaderSemicolonsAndIgnoredColumn() throws IOException {
    Path p = write("r.csv", "7;1.5;2;-0.25\n8;2.5;3;0.75\n");
    Options o = Options.defaults().withHeader(false).withDelimiter(';').withLabel(-1).withIgnored("0")
        .withTargetKind(TargetKind.REGRESSION);
    Dataset d = CsvReader.read(p, o);
    assertArrayEquals(new float[] {1.5f, 2, 2.5f, 3}, d.features());
    assertArrayEquals(new float[] {-0.25f, 0.75f}, d.targets());
    assertEquals(TargetKind.REGRESSION, d.targetKind());
  }

  @Test
  void quotedFieldMaySpanLinesAndEscapeQuotes() throws IOException {
    Path p = write("q.csv", "note,x,y\n\"says \"\"hi\"\"\nand more\",1,2\n\"plain\",3,4\n");
    Dataset d = CsvReader.read(p, Options.defaults().withLabel("y").withIgnored("note"));
    assertArrayEquals(new float[] {1, 3}, d.features());
    assertArrayEquals(new float[] {2, 4}, d.targets());
  }

  @Test
  void noLabelGivesUnlabelledData() throws IOException {
    Dataset d = CsvReader.read(write("u.csv", "a,b\n1,2\n"), Options.defaults());
    assertEquals(TargetKind.NONE, d.targetKind());
    assertEquals(0, d.targetWidth());
    assertEquals(1, d.size());
  }

  @Test
  void nonNumericCellNamesLineAndColumn() throws IOException {
    Path p = write("bad.csv", "age,income,label\n30,1000,0\n41,lots,1\n");
    DataFileException e = assertThrows(DataFileException.class, () -> CsvReader.read(p, "label"));
    assertEquals(p + ": line 3, column 'income' (index 1): 'lots' is not a number", e.getMessage());
    Path nan = write("nan.csv", "a,b\nNaN,1\n");
    e = assertThrows(DataFileException.class, () -> CsvReader.read(nan, "b"));
    assertEquals(nan + ": line 2, column 'a' (index 0): 'NaN' is not a number", e.getMessage());
    Path big = write("big.csv", "a,b\n1e40,1\n");
    e = assertThrows(DataFileException.class, () -> CsvReader.read(big, "b"));
    assertTrue(e.getMessage().contains("line 2, column 'a' (index 0): '1e40' is outside the float range"),
        e.getMessage());
  }

  @Test
  void missingCellNamesLineAndColumn() throws IOException {
    Path p = write("gap.csv", "a,b,c\n1,2,3\n4,,6\n");
    DataFileException e = assertThrows(DataFileException.class, () -> CsvReader.read(p, "c"));
    assertTrue(e.getMessage().startsWith(p + ": line 3, column 'b' (index 1): the cell is empty (missing value)"),
        e.getMessage());
    Path noHeader = write("gap2.csv", "1,2,3\n4,5, \n");
    e = assertThrows(DataFileException.class,
        () -> CsvReader.read(noHeader, Options.defaults().withHeader(false).withLabel(0)));
    assertTrue(e.getMessage().startsWith(noHeader + ": line 2, column index 2: the cell is empty"), e.getMessage());
  }

  @Test
  void raggedRow() throws IOException {
    Path p = write("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
    DataFileException e = assertThrows(DataFileException.class, () -> CsvReader.read(p, "c"));
    assertTrue(e.getMessage().startsWith(p + ": line 3: has 2 fields, expected 3 (as in the header, line 1)"),
        e.getMessage());
  }

  @Test
  void labelProblems() throws IOException {
    Path p = write("l.csv", "a,b\n1,2\n");
    DataFileException e = assertThrows(DataFileException.class, () -> CsvReader.read(p, "target"));
    assertTrue(e.getMessage().contains("no column is named 'target'; the header has [a, b]"), e.getMessage());
    Path c = write("c.csv", "a,b\n1,2.5\n");
    e = assertThrows(DataFileException.class,
        () -> CsvReader.read(c, Options.defaults().withLabel("b").withTargetKind(TargetKind.CLASS_INDEX)));
    assertTrue(e.getMessage().contains("line 2, column 'b' (index 1): label 2.5 is not a class index"),
        e.getMessage());
    Path q = write("q.csv", "a,b\n\"1\"x,2\n");
    e = assertThrows(DataFileException.class, () -> CsvReader.read(q, "b"));
    assertTrue(e.getMessage().contains("line 2, field 1: text after a closing quote"), e.getMessage());
    Path open = write("open.csv", "a,b\n\"1,2\n");
    e = assertThrows(DataFileException.class, () -> CsvReader.read(open, "b"));
    assertTrue(e.getMessage().contains("line 2: a quoted field is not closed"), e.getMessage());
  }

  @Test
  void optionsRoundTripAndValidation() {
    Options o = Options.defaults().withDelimiter('\t').withLabel("y").withIgnored("id")
        .withTargetKind(TargetKind.REGRESSION);
    Map<String, Object> m = o.toMap();
    assertEquals(o, Options.read(new ConfigMap("data.csv", m)));
    Options byIndex = Options.defaults().withLabel(3);
    assertEquals(byIndex, Options.read(new ConfigMap("data.csv", byIndex.toMap())));
    ConfigException e = assertThrows(ConfigException.class,
        () -> Options.read(new ConfigMap("data.csv", Map.of("label", "y", "delim", ","))));
    assertEquals("data.csv.delim", e.key());
    e = assertThrows(ConfigException.class,
        () -> Options.read(new ConfigMap("data.csv", Map.of("label", "y", "header", false))));
    assertEquals("data.csv.label", e.key());
    assertThrows(ConfigException.class, () -> new Options(',', true, "y", 1, List.of(), null));
  }
}
