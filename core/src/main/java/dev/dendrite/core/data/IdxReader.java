package dev.dendrite.core.data;

import dev.dendrite.core.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number {@code 0x00 0x00 type dims},
 * {@code dims} big-endian int32 sizes, then the values, big-endian. Gzip-compressed files are recognised
 * by their first two bytes ({@code 1f 8b}) and decompressed while streaming. Every problem — wrong magic,
 * bad dimensions, a truncated or corrupt file, trailing bytes — is reported naming the file.
 */
public final class IdxReader {

  /** Magic of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
  public static final int IMAGE_MAGIC = 0x00000803;
  /** Magic of a label file: unsigned bytes, 1 dimension (count). */
  public static final int LABEL_MAGIC = 0x00000801;

  private static final int BUFFER = 1 << 16;

  private IdxReader() {
  }

  /** The contents of one IDX file: element type code, dimensions, and the values as floats. */
  public record IdxData(Path file, int type, int[] dims, float[] values) {

    /** The first dimension: the number of items. */
    public int count() {
      return dims[0];
    }
  }

  /**
   * Reads images and their labels into a dataset of shape {@code [1, rows, cols]}, pixels as stored
   * (0..255: scaling is a preprocessing step), labels as class indices.
   */
  public static Dataset readImagesAndLabels(Path images, Path labels) throws IOException {
    return readImagesAndLabels(images, labels, "IDX");
  }

  /**
   * As {@link #readImagesAndLabels(Path, Path)}; {@code datasetName} (e.g. {@code Fashion-MNIST}) starts
   * every error message and the dataset's description.
   */
  public static Dataset readImagesAndLabels(Path images, Path labels, String datasetName) throws IOException {
    IdxData img = readImages(images, datasetName);
    IdxData lab = readLabels(labels, datasetName);
    if (img.count() != lab.count()) {
      throw new DataFileException(images, datasetName + " image file " + images + " holds " + img.count()
          + " images but label file " + labels + " holds " + lab.count() + " labels; are they from the same set?");
    }
    Shape shape = Shape.of(1, img.dims()[1], img.dims()[2]);
    String description = datasetName + " " + images.getFileName() + " + " + labels.getFileName();
    return Dataset.ofClasses(img.values(), shape, lab.values(), 0, description);
  }

  /** Reads an image file (magic {@value #IMAGE_MAGIC}: unsigned bytes, dims count × rows × cols). */
  public static IdxData readImages(Path file, String datasetName) throws IOException {
    return read(file, datasetName + " image file " + file, IMAGE_MAGIC);
  }

  /** Reads a label file (magic {@value #LABEL_MAGIC}: unsigned bytes, dims count). */
  public static IdxData readLabels(Path file, String datasetName) throws IOException {
    return read(file, datasetName + " label file " + file, LABEL_MAGIC);
  }

  /** Reads any IDX file (types 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double). */
  public static IdxData read(Path file) throws IOException {
    return read(file, "IDX file " + file, -1);
  }

  private static IdxData read(Path file, String name, int expectedMagic) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DataFileException(file, name + ": does not exist or is not a regular file");
    }
    boolean gzip;
    try (InputStream raw = Files.newInputStream(file)) {
      gzip = raw.read() == 0x1f && raw.read() == 0x8b;
    }
    CountingInputStream compressed = new CountingInputStream(Files.newInputStream(file));
    try (compressed) {
      InputStream decoded;
      try {
        decoded = gzip ? new GZIPInputStream(compressed, BUFFER) : compressed;
      } catch (IOException e) {
        throw new DataFileException(file, name + ": starts like gzip (1f 8b) but its gzip header is invalid ("
            + e.getMessage() + ")", e);
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(decoded, BUFFER));
      Reader r = new Reader(file, name, gzip, compressed, in);
      return r.read(expectedMagic);
    }
  }

  /** State of one read, so messages can say how far it got. */
  private static final class Reader {
    private final Path file;
    private final String name;
    private final boolean gzip;
    private final CountingInputStream compressed;
    private final DataInputStream in;
    private long position;   // uncompressed bytes consumed

    Reader(Path file, String name, boolean gzip, CountingInputStream compressed, DataInputStream in) {
      this.file = file;
      this.name = name;
      this.gzip = gzip;
      this.compressed = compressed;
      this.in = in;
    }

    IdxData read(int expectedMagic) throws IOException {
      int magic = headerInt("the magic number");
      int type = (magic >>> 8) & 0xff;
      int rank = magic & 0xff;
      if (expectedMagic >= 0 && magic != expectedMagic) {
        throw error("expected magic " + expectedMagic + ", found " + describeMagic(magic, expectedMagic));
      }
      if ((magic >>> 16) != 0) {
        throw error("expected an IDX magic number (0x00 0x00 type dims), found " + describeMagic(magic, -1));
      }
      int elementBytes = elementBytes(type);
      if (elementBytes == 0) {
        throw error("unknown IDX element type 0x" + Integer.toHexString(type)
            + "; expected 0x08 (ubyte), 0x09 (byte), 0x0b (short), 0x0c (int), 0x0d (float) or 0x0e (double)");
      }
      if (rank == 0) {
        throw error("the magic number declares 0 dimensions");
      }
      int[] dims = new int[rank];
      long count = 1;
      for (int d = 0; d < rank; d++) {
        dims[d] = headerInt("dimension " + d + " of " + rank);
        if (dims[d] < 0 || (dims[d] == 0 && d > 0)) {
          throw error("dimension " + d + " is " + dims[d] + "; sizes must be > 0 (the count may be 0)");
        }
        count *= dims[d];
        if (count > Integer.MAX_VALUE - 8) {
          throw error("dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1))
              + " hold more values than one Java array can (" + (Integer.MAX_VALUE - 8) + ")");
        }
      }
      float[] values = new float[(int) count];
      readValues(type, elementBytes, values, expectedMagic == IMAGE_MAGIC ? "pixels" : expectedMagic == LABEL_MAGIC
          ? "labels" : "values");
      int extra;
      try {
        extra = in.read();
      } catch (IOException e) {
        throw corrupt(e);
      }
      if (extra != -1) {
        throw error("more bytes follow the " + count + " values that the header declares " + Arrays.toString(dims)
            + " (wrong dimensions, or two files joined?)");
      }
      return new IdxData(file, type, dims, values);
    }

    private int headerInt(String what) throws IOException {
      try {
        int v = in.readInt();
        position += 4;
        return v;
      } catch (EOFException e) {
        throw error("the file ends after " + position + " bytes, inside the header (reading " + what
            + "); is it empty or truncated?");
      } catch (ZipException e) {
        throw corrupt(e);
      }
    }

    private void readValues(int type, int elementBytes, float[] out, String what) throws IOException {
      long expected = (long) out.length * elementBytes;
      byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(expected, 8))];
      int carry = 0;   // bytes of a split element kept at the start of buf
      int index = 0;
      long got = 0;
      while (got < expected) {
        int want = (int) Math.min(buf.length - carry, expected - got);
        int k;
        try {
          k = in.read(buf, carry, want);
        } catch (EOFException e) {
          throw truncated(expected, got, what, e);
        } catch (ZipException e) {
          throw corrupt(e);
        }
        if (k < 0) {
          throw truncated(expected, got, what, null);
        }
        got += k;
        int avail = carry + k;
        int usable = avail - avail % elementBytes;
        index = decode(type, buf, usable, out, index);
        carry = avail - usable;
        System.arraycopy(buf, usable, buf, 0, carry);
      }
      position += expected;
    }

    private DataFileException truncated(long expected, long got, String what, Throwable cause) {
      String how = gzip ? " (the gzip stream ends early after " + compressed.count() + " compressed bytes: "
          + "truncated download?)" : " (truncated?)";
      return new DataFileException(file, name + ": expected " + expected + " bytes of " + what
          + " after the header, found " + got + how, cause);
    }

    private DataFileException corrupt(IOException e) {
      return new DataFileException(file, name + ": corrupt gzip data near compressed byte offset "
          + compressed.count() + " (after " + position + " decompressed bytes): " + e.getMessage(), e);
    }

    private DataFileException error(String what) {
      return new DataFileException(file, name + ": " + what);
    }
  }

  private static String describeMagic(int magic, int expected) {
    String s = magic + " (0x" + String.format("%08x", magic) + ")";
    if (magic == LABEL_MAGIC && expected == IMAGE_MAGIC) {
      return magic + " (is this a label file?)";
    }
    if (magic == IMAGE_MAGIC && expected == LABEL_MAGIC) {
      return magic + " (is this an image file?)";
    }
    if ((magic >>> 16) != 0) {
      return s + "; not an IDX file";
    }
    return s + ": element type 0x" + Integer.toHexString((magic >>> 8) & 0xff) + ", " + (magic & 0xff)
        + " dimensions";
  }

  private static int elementBytes(int type) {
    switch (type) {
      case 0x08:
      case 0x09:
        return 1;
      case 0x0B:
        return 2;
      case 0x0C:
      case 0x0D:
        return 4;
      case 0x0E:
        return 8;
      default:
        return 0;
    }
  }

  /** Decodes {@code len} big-endian bytes of elements into {@code out} from {@code index}; returns the next index. */
  private static int decode(int type, byte[] b, int len, float[] out, int index) {
    switch (type) {
      case 0x08:
        for (int i = 0; i < len; i++) {
          out[index++] = b[i] & 0xff;
        }
        break;
      case 0x09:
        for (int i = 0; i < len; i++) {
          out[index++] = b[i];
        }
        break;
      case 0x0B:
        for (int i = 0; i < len; i += 2) {
          out[index++] = (short) (((b[i] & 0xff) << 8) | (b[i + 1] & 0xff));
        }
        break;
      case 0x0C:
        for (int i = 0; i < len; i += 4) {
          out[index++] = int32(b, i);
        }
        break;
      case 0x0D:
        for (int i = 0; i < len; i += 4) {
          out[index++] = Float.intBitsToFloat(int32(b, i));
        }
        break;
      default:   // 0x0E
        for (int i = 0; i < len; i += 8) {
          long bits = ((long) int32(b, i) << 32) | (int32(b, i + 4) & 0xffffffffL);
          out[index++] = (float) Double.longBitsToDouble(bits);
        }
        break;
    }
    return index;
  }

  private static int int32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  /** Counts the bytes read from the file, so gzip errors can name a compressed offset. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int k = super.read(b, off, len);
      if (k > 0) {
        count += k;
      }
      return k;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += k;
      return k;
    }
  }
}
