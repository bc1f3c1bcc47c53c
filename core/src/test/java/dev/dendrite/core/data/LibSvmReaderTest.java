package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.data.Dataset.TargetKind;
import dev.dendrite.core.data.LibSvmReader.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibSvmReaderTest {

  @TempDir
  Path dir;

  private Path write(String content) throws IOException {
    Path p = dir.resolve("data.libsvm");
    Files.writeString(p, content);
    return p;
  }

  @Test
  void readsSparseLinesInferringTheDimension() throws IOException {
    Path p = write("+1 1:0.5 3:2\n# a comment line\n-1 2:-1e-1   # trailing comment\n\n+1\n");
    Dataset d = LibSvmReader.read(p);
    assertEquals(3, d.size());
    assertEquals(3, d.featureWidth());
    assertArrayEquals(new float[] {0.5f, 0, 2, 0, -0.1f, 0, 0, 0, 0}, d.features());
    assertArrayEquals(new float[] {1, -1, 1}, d.targets());
    assertEquals(TargetKind.REGRESSION, d.targetKind());   // -1/+1 kept as read
    assertTrue(d.description().contains("data.libsvm"), d.description());
  }

  @Test
  void declaredDimensionAndSignedLabelsToClasses() throws IOException {
    Path p = write("-1 2:1\n1 1:3\n");
    Dataset d = LibSvmReader.read(p, Options.defaults().withDimension(5).withSignedToBinary(true));
    assertEquals(5, d.featureWidth());
    assertArrayEquals(new float[] {0, 1}, d.targets());
    assertEquals(TargetKind.CLASS_INDEX, d.targetKind());
    assertEquals(2, d.classes());
    Dataset classes = LibSvmReader.read(write("0 1:1\n4 2:1\n"));
    assertEquals(TargetKind.CLASS_INDEX, classes.targetKind());
    assertEquals(5, classes.classes());
  }

  @Test
  void indexZero() throws IOException {
    Path p = write("1 1:1\n0 0:1.5 2:1\n");
    DataFileException e = assertThrows(DataFileException.class, () -> LibSvmReader.read(p));
    assertEquals(p + ": line 2, token 2 '0:1.5': feature indices are 1-based; found index 0", e.getMessage());
  }

  @Test
  void unsortedAndDuplicateIndices() throws IOException {
    Path p = write("1 3:1 2:1\n");
    DataFileException e = assertThrows(DataFileException.class, () -> LibSvmReader.read(p));
    assertEquals(p + ": line 1, token 3 '2:1': index 2 comes after index 3; indices must be strictly increasing"
        + " (sorted, no duplicates)", e.getMessage());
    Path dup = write("1 1:1\n1 2:1 2:5\n");
    e = assertThrows(DataFileException.class, () -> LibSvmReader.read(dup));
    assertTrue(e.getMessage().contains("line 2, token 3 '2:5': index 2 repeats"), e.getMessage());
  }

  @Test
  void badTokens() throws IOException {
    Path value = write("1 1:abc\n");
    DataFileException e = assertThrows(DataFileException.class, () -> LibSvmReader.read(value));
    assertEquals(value + ": line 1, token 2 '1:abc': value 'abc' is not a number", e.getMessage());
    Path colon = write("1 1:1 7\n");
    e = assertThrows(DataFileException.class, () -> LibSvmReader.read(colon));
    assertEquals(colon + ": line 1, token 3 '7': expected index:value", e.getMessage());
    Path label = write("yes 1:1\n");
    e = assertThrows(DataFileException.class, () -> LibSvmReader.read(label));
    assertEquals(label + ": line 1, token 1 'yes': label 'yes' is not a number", e.getMessage());
    Path index = write("1 x:1\n");
    e = assertThrows(DataFileException.class, () -> LibSvmReader.read(index));
    assertTrue(e.getMessage().contains("token 2 'x:1': index 'x' is not an integer"), e.getMessage());
  }

  @Test
  void indexBeyondDeclaredDimension() throws IOException {
    Path p = write("1 1:1 785:0.5\n");
    DataFileException e = assertThrows(DataFileException.class,
        () -> LibSvmReader.read(p, Options.defaults().withDimension(784)));
    assertEquals(p + ": line 1, token 3 '785:0.5': index 785 exceeds the declared dimension 784", e.getMessage());
  }

  @Test
  void signedLabelsMustBePlusOrMinusOne() throws IOException {
    Path p = write("1 1:1\n2 1:1\n");
    DataFileException e = assertThrows(DataFileException.class,
        () -> LibSvmReader.read(p, Options.defaults().withSignedToBinary(true)));
    assertTrue(e.getMessage().startsWith(p + ": line 2, token 1 '2': label 2 is not -1 or +1"), e.getMessage());
  }

  @Test
  void optionsRoundTrip() {
    Options o = Options.defaults().withDimension(123).withSignedToBinary(true);
    assertEquals(o, Options.read(new ConfigMap("data", o.toMap())));
  }
}
