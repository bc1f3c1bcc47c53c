package dev.dendrite.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir
  Path dir;

  /** An IDX file: magic 0x0000 type rank, the dims, then {@code body}. */
  static byte[] idx(int type, int[] dims, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt((type << 8) | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(body);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  /** 3 images of 2×2: image i has pixels 10i, 10i+1, 10i+2, 255. */
  static byte[] images() throws IOException {
    byte[] body = new byte[12];
    for (int i = 0; i < 3; i++) {
      body[4 * i] = (byte) (10 * i);
      body[4 * i + 1] = (byte) (10 * i + 1);
      body[4 * i + 2] = (byte) (10 * i + 2);
      body[4 * i + 3] = (byte) 255;
    }
    return idx(0x08, new int[] {3, 2, 2}, body);
  }

  static byte[] labels() throws IOException {
    return idx(0x08, new int[] {3}, new byte[] {2, 0, 9});
  }

  private Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  @Test
  void readsRawAndGzipImagesAndLabels() throws IOException {
    for (boolean gz : new boolean[] {false, true}) {
      Path img = write("img" + gz, gz ? gzip(images()) : images());
      Path lab = write("lab" + gz, gz ? gzip(labels()) : labels());
      Dataset d = IdxReader.readImagesAndLabels(img, lab);
      assertEquals(3, d.size());
      assertEquals(Shape.of(1, 2, 2), d.featureShape());
      assertArrayEquals(new float[] {20, 21, 22, 255}, d.featureRow(2));
      assertArrayEquals(new float[] {2, 0, 9}, d.targets());
      assertEquals(10, d.classes());
      assertTrue(d.description().contains("img" + gz), d.description());
    }
  }

  @Test
  void readsOtherElementTypes() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.writeFloat(1.5f);
    out.writeFloat(-2f);
    IdxReader.IdxData f = IdxReader.read(write("f.idx", idx(0x0D, new int[] {2}, b.toByteArray())));
    assertArrayEquals(new float[] {1.5f, -2f}, f.values());
    IdxReader.IdxData s = IdxReader.read(write("s.idx", idx(0x0B, new int[] {1, 2},
        new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, 0x00})));
    assertArrayEquals(new float[] {-2, 256}, s.values());
    assertArrayEquals(new int[] {1, 2}, s.dims());
  }

  @Test
  void labelFileGivenAsImagesNamesTheMistake() throws IOException {
    Path lab = write("x.gz", gzip(labels()));
    DataFileException e = assertThrows(DataFileException.class,
        () -> IdxReader.readImagesAndLabels(lab, lab, "Fashion-MNIST"));
    assertEquals("Fashion-MNIST image file " + lab + ": expected magic 2051, found 2049 (is this a label file?)",
        e.getMessage());
    assertEquals(lab, e.file());
    Path img = write("i", images());
    e = assertThrows(DataFileException.class, () -> IdxReader.readImagesAndLabels(img, img));
    assertTrue(e.getMessage().contains("label file " + img + ": expected magic 2049, found 2051 (is this an image"
        + " file?)"), e.getMessage());
  }

  @Test
  void notAnIdxFile() throws IOException {
    Path text = write("notes.txt", "This is not IDX".getBytes());
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(text));
    assertTrue(e.getMessage().startsWith("IDX file " + text + ": expected an IDX magic number"), e.getMessage());
    assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    Path empty = write("empty", new byte[0]);
    e = assertThrows(DataFileException.class, () -> IdxReader.read(empty));
    assertTrue(e.getMessage().contains("ends after 0 bytes, inside the header"), e.getMessage());
  }

  @Test
  void truncatedRawFileSaysHowManyBytesItFound() throws IOException {
    byte[] full = idx(0x08, new int[] {100, 28, 28}, new byte[100 * 784]);
    Path p = write("short", Arrays.copyOf(full, 16 + 1234));
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p, "MNIST"));
    assertEquals("MNIST image file " + p + ": expected 78400 bytes of pixels after the header, found 1234"
        + " (truncated?)", e.getMessage());
  }

  @Test
  void truncatedGzipFile() throws IOException {
    byte[] gz = gzip(idx(0x08, new int[] {50, 28, 28}, randomBytes(50 * 784)));
    Path p = write("short.gz", Arrays.copyOf(gz, gz.length / 2));
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p, "MNIST"));
    assertTrue(e.getMessage().startsWith("MNIST image file " + p + ": expected 39200 bytes of pixels after the"
        + " header, found "), e.getMessage());
    assertTrue(e.getMessage().contains("gzip stream ends early"), e.getMessage());
  }

  @Test
  void gzipGarbage() throws IOException {
    byte[] gz = gzip(idx(0x08, new int[] {50, 28, 28}, randomBytes(50 * 784)));
    for (int i = 200; i < 400; i++) {
      gz[i] = (byte) (i * 31);
    }
    Path p = write("garbage.gz", gz);
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p, "MNIST"));
    assertTrue(e.getMessage().startsWith("MNIST image file " + p + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("corrupt gzip data near compressed byte offset")
        || e.getMessage().contains("gzip stream ends early"), e.getMessage());

    Path header = write("header.gz", new byte[] {0x1f, (byte) 0x8b, 0x05, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
    e = assertThrows(DataFileException.class, () -> IdxReader.read(header));
    assertTrue(e.getMessage().contains("gzip header is invalid"), e.getMessage());
  }

  @Test
  void trailingBytesAndBadDimensionsAreErrors() throws IOException {
    byte[] raw = labels();
    Path p = write("long", Arrays.copyOf(raw, raw.length + 3));
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(p, "MNIST"));
    assertTrue(e.getMessage().contains("more bytes follow the 3 values that the header declares [3]"),
        e.getMessage());
    Path zero = write("zero", idx(0x08, new int[] {2, 0, 3}, new byte[0]));
    e = assertThrows(DataFileException.class, () -> IdxReader.read(zero));
    assertTrue(e.getMessage().contains("dimension 1 is 0"), e.getMessage());
    Path type = write("type", idx(0x07, new int[] {1}, new byte[1]));
    e = assertThrows(DataFileException.class, () -> IdxReader.read(type));
    assertTrue(e.getMessage().contains("unknown IDX element type 0x7"), e.getMessage());
  }

  @Test
  void countMismatchNamesBothFiles() throws IOException {
    Path img = write("img", images());
    Path lab = write("lab", idx(0x08, new int[] {2}, new byte[] {1, 2}));
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImagesAndLabels(img, lab));
    assertTrue(e.getMessage().contains(img + " holds 3 images but label file " + lab + " holds 2 labels"),
        e.getMessage());
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("nope.gz");
    DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readImages(p, "Fashion-MNIST"));
    assertTrue(e.getMessage().contains("Fashion-MNIST image file " + p + ": does not exist"), e.getMessage());
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    long s = 12345;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      b[i] = (byte) (s >>> 56);
    }
    return b;
  }
}
