package dev.dendrite.core.io;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.tensor.ParameterLayout;
import dev.dendrite.core.tensor.ParameterTensor;
import dev.dendrite.core.tensor.Shape;
import dev.dendrite.core.optim.OptimizerState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes Dendrite model files (format described in {@code docs/model-format.md}): a 16-byte
 * preamble (magic, format version, header length), a UTF-8 JSON header, the little-endian float32
 * parameters and optional optimizer state vectors, and a CRC-32 of everything before it. Never Java
 * serialization. Files are written to a temporary name beside the target, synced and renamed, so a
 * failed write leaves an existing file untouched; reads check every length against the bytes present
 * and verify the checksum before trusting the contents.
 */
public final class ModelFile {

  /** The format version this library writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  /** The Dendrite version recorded in the files this library writes. */
  public static final String LIBRARY_VERSION = libraryVersion();

  /** The conventional file name extension. */
  public static final String EXTENSION = ".dndr";

  /** {@code 89 'D' 'N' 'D' 'R' CR LF 1A}: a non-ASCII first byte and CR LF catch text-mode transfers, as in PNG. */
  static final byte[] MAGIC = {(byte) 0x89, 'D', 'N', 'D', 'R', '\r', '\n', 0x1A};
  static final int PREAMBLE_BYTES = 16;
  static final int CHECKSUM_BYTES = 4;
  /** The header is padded with spaces so the payload starts at a multiple of this (for memory mapping). */
  static final int PAYLOAD_ALIGNMENT = 8;
  static final long MAX_HEADER_BYTES = 64L << 20;
  static final String FORMAT_NAME = "dendrite-model";
  static final String DTYPE = "float32le";
  private static final int CHUNK_BYTES = 1 << 16;

  private ModelFile() {
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes {@code model} to {@code file} through a temporary file in the same directory that is synced to
   * disk and then renamed over the target (atomically where the file system can). On any failure the
   * temporary file is removed and an existing {@code file} is left as it was.
   */
  public static void write(SavedModel model, Path file) throws IOException {
    write(model, file, UnaryOperator.identity());
  }

  /** As {@link #write(SavedModel, Path)}, with the file's stream wrapped (tests use it to fail mid-write). */
  static void write(SavedModel model, Path file, UnaryOperator<OutputStream> wrap) throws IOException {
    byte[] header = headerBytes(model); // fails on a bad model before any file is touched
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Long.toHexString(System.nanoTime()));
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = wrap.apply(new BufferedOutputStream(Channels.newOutputStream(channel), CHUNK_BYTES));
        writeTo(model, header, out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(target.toString(), "could not be written (any existing file is unchanged): "
          + e, e);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
    syncDirectory(dir);
  }

  /** Makes the rename durable; not every platform can open a directory, which is harmless. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  /**
   * Writes {@code model} to a stream (a Hadoop or Spark ML persistence stream, say); the stream is flushed,
   * not closed. Writers to such streams own the temporary-name-and-rename step.
   */
  public static void write(SavedModel model, OutputStream out) throws IOException {
    writeTo(model, headerBytes(model), out);
    out.flush();
  }

  /** The file's bytes. */
  public static byte[] toBytes(SavedModel model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      write(model, bytes);
    } catch (IOException e) {
      throw new AssertionError("a byte array stream does not fail", e);
    }
    return bytes.toByteArray();
  }

  private static void writeTo(SavedModel model, byte[] header, OutputStream target) throws IOException {
    CRC32 crc = new CRC32();
    OutputStream unclosable = new FilterOutputStream(target) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() {
      }
    };
    CheckedOutputStream out = new CheckedOutputStream(unclosable, crc);
    ByteBuffer pre = ByteBuffer.allocate(PREAMBLE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(MAGIC).putInt(FORMAT_VERSION).putInt(header.length);
    out.write(pre.array());
    out.write(header);
    writeFloats(model.parameterView(), out);
    OptimizerState state = model.optimizerState();
    if (state != null) {
      for (float[] slot : state.slots().values()) {
        writeFloats(slot, out);
      }
    }
    ByteBuffer sum = ByteBuffer.allocate(CHECKSUM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    sum.putInt((int) crc.getValue());
    unclosable.write(sum.array(), 0, CHECKSUM_BYTES);
  }

  private static void writeFloats(float[] values, OutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; ) {
      int n = Math.min(values.length - i, CHUNK_BYTES / 4);
      buf.clear();
      buf.asFloatBuffer().put(values, i, n);
      out.write(buf.array(), 0, n * 4);
      i += n;
    }
  }

  /** The header's JSON as UTF-8, padded with spaces so the payload is aligned. */
  static byte[] headerBytes(SavedModel model) {
    ParameterLayout layout = layoutOf(model.network());
    if (layout.size() != model.parameterCount()) {
      throw new IllegalArgumentException("the network config has " + layout.size() + " parameters but the model "
          + "holds " + model.parameterCount());
    }
    return pad(Json.write(header(model, layout), true));
  }

  static byte[] pad(String json) {
    byte[] text = (json + "\n").getBytes(StandardCharsets.UTF_8);
    int padding = (PAYLOAD_ALIGNMENT - (PREAMBLE_BYTES + text.length) % PAYLOAD_ALIGNMENT) % PAYLOAD_ALIGNMENT;
    byte[] padded = Arrays.copyOf(text, text.length + padding);
    Arrays.fill(padded, text.length, padded.length, (byte) ' ');
    return padded;
  }

  private static Map<String, Object> header(SavedModel model, ParameterLayout layout) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("format", FORMAT_NAME);
    h.put("format_version", FORMAT_VERSION);
    h.put("library_version", model.libraryVersion());
    h.put("created", model.created().toString());
    h.put("network", model.network().toMap());
    if (model.loss() != null) {
      h.put("loss", model.loss());
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("dtype", DTYPE);
    params.put("count", layout.size());
    List<Object> tensors = new ArrayList<>();
    for (ParameterTensor t : layout.tensors()) {
      Map<String, Object> tensor = new LinkedHashMap<>();
      tensor.put("name", t.name());
      tensor.put("shape", t.shape().dims());
      tensor.put("offset", t.offset());
      if (!t.trainable()) {
        tensor.put("trainable", false); // optional key, absent (true) in files without such tensors
      }
      tensors.add(tensor);
    }
    params.put("tensors", tensors);
    h.put("parameters", params);
    OptimizerState state = model.optimizerState();
    if (state != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("optimizer", state.optimizer());
      s.put("iterations", state.iterations());
      s.put("length", layout.size());
      s.put("slots", state.slotNames());
      h.put("optimizer_state", s);
    }
    h.put("preprocessing", model.preprocessing());
    h.put("training", model.training());
    return h;
  }

  /** The layout the header's network config implies, without allocating its parameters. */
  private static ParameterLayout layoutOf(NetworkConfig config) {
    return Network.layoutOf(config);
  }

  // ---------------------------------------------------------------- reading

  /** Reads a model file, checking its lengths against the file size and its checksum. */
  public static SavedModel read(Path file) throws IOException {
    String source = file.toString();
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new ModelFileException(source, "does not exist", e);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK_BYTES)) {
      return read(in, size, source);
    }
  }

  /** Reads a model file held in memory; {@code source} names it in error messages. */
  public static SavedModel read(byte[] bytes, String source) throws IOException {
    return read(new ByteArrayInputStream(bytes), bytes.length, source);
  }

  /**
   * Reads a model file from a stream that ends where the file ends (the stream is read to its end, not
   * closed); {@code source} names it in error messages, e.g. an HDFS path.
   */
  public static SavedModel read(InputStream in, String source) throws IOException {
    return read(in, -1, source);
  }

  private static SavedModel read(InputStream raw, long size, String src) throws IOException {
    CRC32 crc = new CRC32();
    CheckedInputStream in = new CheckedInputStream(raw, crc);
    byte[] pre = in.readNBytes(PREAMBLE_BYTES);
    checkMagic(pre, src);
    if (pre.length < PREAMBLE_BYTES) {
      throw new ModelFileException(src, "truncated: " + pre.length + " bytes, shorter than the "
          + PREAMBLE_BYTES + "-byte preamble");
    }
    ByteBuffer preamble = ByteBuffer.wrap(pre).order(ByteOrder.LITTLE_ENDIAN);
    long version = Integer.toUnsignedLong(preamble.getInt(8));
    if (version > FORMAT_VERSION) {
      throw new ModelFileException(src, "format version " + version + " is newer than this Dendrite "
          + LIBRARY_VERSION + " (supports " + FORMAT_VERSION + "); read it with a newer Dendrite");
    }
    if (version < 1) {
      throw new ModelFileException(src, "format version 0 is not valid (file corrupted?)");
    }
    long headerLength = Integer.toUnsignedLong(preamble.getInt(12));
    if (headerLength > MAX_HEADER_BYTES) {
      throw new ModelFileException(src, "header length " + headerLength + " bytes is beyond the limit of "
          + MAX_HEADER_BYTES + " (file corrupted?)");
    }
    if (size >= 0 && PREAMBLE_BYTES + headerLength > size) {
      throw new ModelFileException(src, "truncated: the preamble gives a header of " + headerLength
          + " bytes but only " + (size - PREAMBLE_BYTES) + " bytes follow it");
    }
    byte[] headerBytes = in.readNBytes((int) headerLength);
    if (headerBytes.length < headerLength) {
      throw new ModelFileException(src, "truncated: the preamble gives a header of " + headerLength
          + " bytes but only " + headerBytes.length + " bytes follow it");
    }
    Map<String, Object> json = parseHeader(headerBytes, src);

    Header h;
    try {
      h = new Header(new ConfigMap("header", json));
    } catch (ConfigException e) {
      throw new ModelFileException(src, e.getMessage(), e);
    }
    long payloadBytes = h.payloadFloats() * 4;
    if (size >= 0) {
      long follow = size - PREAMBLE_BYTES - headerLength;
      if (follow < payloadBytes) {
        throw truncated(src, h, follow);
      }
      if (follow < payloadBytes + CHECKSUM_BYTES) {
        throw new ModelFileException(src, "truncated: the " + CHECKSUM_BYTES + "-byte checksum after the "
            + payloadBytes + "-byte payload is missing");
      }
    }
    long[] consumed = {0};
    float[] params = readFloats(in, h.count, size >= 0, consumed, src, h);
    List<float[]> slots = new ArrayList<>();
    for (int i = 0; i < h.slotNames.size(); i++) {
      slots.add(readFloats(in, h.slotLength, size >= 0, consumed, src, h));
    }
    long computed = crc.getValue();
    byte[] stored = in.readNBytes(CHECKSUM_BYTES);
    if (stored.length < CHECKSUM_BYTES) {
      throw new ModelFileException(src, "truncated: the " + CHECKSUM_BYTES + "-byte checksum after the "
          + payloadBytes + "-byte payload is missing");
    }
    long expected = Integer.toUnsignedLong(ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).getInt());
    if (expected != computed) {
      throw new ModelFileException(src, String.format(Locale.ROOT,
          "checksum mismatch (file corrupted?): the file says CRC-32 %08x, its contents give %08x", expected,
          computed));
    }
    if (raw.read() != -1) {
      long total = PREAMBLE_BYTES + headerLength + payloadBytes + CHECKSUM_BYTES;
      throw new ModelFileException(src, "trailing data after the checksum: the file should end at byte " + total
          + (size >= 0 ? " but has " + size + " bytes" : "") + " (corrupted, or several files joined?)");
    }
    if (h.formatVersion != version) {
      throw new ModelFileException(src, "the header says format version " + h.formatVersion
          + " but the preamble says " + version);
    }
    return h.build(params, slots, src);
  }

  private static void checkMagic(byte[] pre, String src) throws ModelFileException {
    if (pre.length == 0) {
      throw new ModelFileException(src, "is empty (0 bytes); not a Dendrite model file");
    }
    int n = Math.min(pre.length, MAGIC.length);
    if (!Arrays.equals(pre, 0, n, MAGIC, 0, n)) {
      String hint = "";
      if ((pre[0] & 0xff) == 0x1f && pre.length > 1 && (pre[1] & 0xff) == 0x8b) {
        hint = "; it is gzip-compressed: decompress it first";
      } else if (pre[0] == '{' || pre[0] == '[') {
        hint = "; it looks like JSON text (a config or history file?)";
      }
      throw new ModelFileException(src, "not a Dendrite model file (magic " + hex(pre, n) + ", expected "
          + hex(MAGIC, MAGIC.length) + ")" + hint);
    }
  }

  private static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parseHeader(byte[] bytes, String src) throws ModelFileException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ModelFileException(src, "header is not valid UTF-8 (file corrupted?)", e);
    }
    try {
      return Json.parseObject(text, "header");
    } catch (JsonException e) {
      throw new ModelFileException(src, "header is not valid JSON (file corrupted?): " + e.getMessage(), e);
    }
  }

  private static ModelFileException truncated(String src, Header h, long follow) {
    return new ModelFileException(src, "truncated: header says " + h.describePayload() + " but only " + follow
        + " bytes follow");
  }

  /**
   * Reads {@code n} little-endian floats. When the file size was checked beforehand the array is allocated
   * at once; from a stream of unknown length it grows with the data, so a corrupt count cannot demand
   * gigabytes before the stream runs out.
   */
  private static float[] readFloats(InputStream in, int n, boolean sizeChecked, long[] consumed, String src,
                                    Header h) throws IOException {
    float[] dst = new float[sizeChecked ? n : Math.min(n, 1 << 20)];
    byte[] buf = new byte[CHUNK_BYTES];
    int filled = 0;
    while (filled < n) {
      int want = (int) Math.min(CHUNK_BYTES, (long) (n - filled) * 4);
      int got = in.readNBytes(buf, 0, want);
      consumed[0] += got;
      if (got < want) {
        throw truncated(src, h, consumed[0]);
      }
      if (filled + want / 4 > dst.length) {
        dst = Arrays.copyOf(dst, (int) Math.min(n, Math.max(2L * dst.length, filled + want / 4)));
      }
      ByteBuffer.wrap(buf, 0, want).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, filled, want / 4);
      filled += want / 4;
    }
    return dst;
  }

  /** The header's fields, type-checked; {@link #build} checks them against the network config. */
  private static final class Header {
    final ConfigMap root;
    final long formatVersion;
    final int count;
    final List<ParameterTensor> tensors = new ArrayList<>();
    final String optimizer;
    final long iterations;
    final int slotLength;
    final List<String> slotNames = new ArrayList<>();

    Header(ConfigMap h) {
      this.root = h;
      String format = h.string("format");
      if (!format.equals(FORMAT_NAME)) {
        throw new ConfigException(h.key("format"), "'" + format + "' is not " + FORMAT_NAME);
      }
      formatVersion = h.integer("format_version");
      ConfigMap p = h.section("parameters");
      String dtype = p.string("dtype");
      if (!dtype.equals(DTYPE)) {
        throw new ConfigException(p.key("dtype"), "'" + dtype + "' is not supported; expected " + DTYPE);
      }
      count = p.integer("count", 0, 0, Integer.MAX_VALUE);
      for (ConfigMap t : p.sections("tensors")) {
        int offset = t.integer("offset", 0, 0, Integer.MAX_VALUE);
        int[] dims = t.integers("shape");
        Shape shape;
        try {
          shape = Shape.of(dims);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(t.key("shape"), e.getMessage());
        }
        tensors.add(new ParameterTensor(t.string("name"), shape, offset, 0, 0, t.bool("trainable", true)));
      }
      if (h.has("optimizer_state")) {
        ConfigMap o = h.section("optimizer_state");
        optimizer = o.string("optimizer");
        iterations = o.integer("iterations");
        slotLength = o.integer("length", 0, 0, Integer.MAX_VALUE);
        Object names = o.value("slots");
        if (!(names instanceof List)) {
          throw new ConfigException(o.key("slots"), "expected a list of slot names");
        }
        for (Object name : (List<?>) names) {
          if (!(name instanceof String)) {
            throw new ConfigException(o.key("slots"), "expected a list of slot names, found " + name);
          }
          slotNames.add((String) name);
        }
        if (!slotNames.isEmpty() && slotLength != count) {
          throw new ConfigException(o.key("length"), slotLength + " differs from the parameter count " + count);
        }
      } else {
        optimizer = null;
        iterations = 0;
        slotLength = 0;
      }
    }

    long payloadFloats() {
      return count + (long) slotNames.size() * slotLength;
    }

    String describePayload() {
      String s = count + " parameters";
      if (!slotNames.isEmpty()) {
        s += " and " + slotNames.size() + " optimizer state vectors of " + slotLength + " values";
      }
      return s + " (" + payloadFloats() * 4 + " bytes)";
    }

    SavedModel build(float[] params, List<float[]> slots, String src) throws ModelFileException {
      try {
        String library = root.string("library_version");
        String createdText = root.string("created");
        Instant created;
        try {
          created = Instant.parse(createdText);
        } catch (DateTimeParseException e) {
          throw new ConfigException(root.key("created"), "'" + createdText + "' is not an ISO-8601 instant");
        }
        NetworkConfig config = NetworkConfig.read(root.section("network"));
        ParameterLayout layout;
        try {
          layout = layoutOf(config);
        } catch (IllegalArgumentException e) {
          throw new ModelFileException(src, "the network config cannot be built: " + e.getMessage(), e);
        }
        checkLayout(layout, src);
        String loss = root.string("loss", null);
        Map<String, Object> preprocessing = map("preprocessing");
        Map<String, Object> training = map("training");
        OptimizerState state = null;
        if (optimizer != null) {
          Map<String, float[]> named = new LinkedHashMap<>();
          for (int i = 0; i < slotNames.size(); i++) {
            if (named.put(slotNames.get(i), slots.get(i)) != null) {
              throw new ConfigException(root.key("optimizer_state.slots"), "slot '" + slotNames.get(i)
                  + "' appears twice");
            }
          }
          state = new OptimizerState(optimizer, iterations, named);
        }
        return new SavedModel(config, params, loss, preprocessing, training, state, library, created);
      } catch (IllegalArgumentException e) { // ConfigException included
        throw new ModelFileException(src, e.getMessage(), e);
      }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String name) {
      Object v = root.value(name);
      if (v == null) {
        return Map.of();
      }
      if (!(v instanceof Map)) {
        throw new ConfigException(root.key(name), "expected an object");
      }
      return (Map<String, Object>) v;
    }

    private void checkLayout(ParameterLayout layout, String src) throws ModelFileException {
      List<ParameterTensor> expected = layout.tensors();
      for (int i = 0; i < Math.min(tensors.size(), expected.size()); i++) {
        ParameterTensor f = tensors.get(i);
        ParameterTensor e = expected.get(i);
        if (!f.name().equals(e.name())) {
          throw new ModelFileException(src, "parameter tensor " + i + " is " + f.name() + " in the file but "
              + e.name() + " in the network config");
        }
        if (!f.shape().equals(e.shape())) {
          throw new ModelFileException(src, "parameter " + f.name() + " has shape " + f.shape() + " in the file but "
              + e.shape() + " in the network config");
        }
        if (f.offset() != e.offset()) {
          throw new ModelFileException(src, "parameter " + f.name() + " starts at offset " + f.offset()
              + " in the file but at " + e.offset() + " in the network config");
        }
        if (f.trainable() != e.trainable()) {
          throw new ModelFileException(src, "parameter " + f.name() + " is " + (f.trainable() ? "" : "not ")
              + "trainable in the file but " + (e.trainable() ? "" : "not ") + "in the network config");
        }
      }
      if (tensors.size() != expected.size()) {
        throw new ModelFileException(src, "the file lists " + tensors.size() + " parameter tensors but the "
            + "network config has " + expected.size() + " (" + names(expected) + ")");
      }
      if (count != layout.size()) {
        throw new ModelFileException(src, "the file holds " + count + " parameters but the network config has "
            + layout.size());
      }
    }

    private static String names(List<ParameterTensor> tensors) {
      List<String> names = new ArrayList<>();
      for (ParameterTensor t : tensors) {
        names.add(t.name());
      }
      return String.join(", ", names);
    }
  }

  // ---------------------------------------------------------------- test support

  /** A file with the given version and header text and a valid checksum, for tests of the reader. */
  static byte[] assemble(int version, String headerJson, float[]... vectors) {
    byte[] header = pad(headerJson);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CRC32 crc = new CRC32();
    CheckedOutputStream out = new CheckedOutputStream(bytes, crc);
    try {
      ByteBuffer pre = ByteBuffer.allocate(PREAMBLE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      pre.put(MAGIC).putInt(version).putInt(header.length);
      out.write(pre.array());
      out.write(header);
      for (float[] v : vectors) {
        writeFloats(v, out);
      }
      bytes.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /** The header of a file's bytes as text (no checks beyond the preamble's lengths), for tests and tools. */
  static String headerText(byte[] file) {
    int length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    return StandardCharsets.UTF_8.decode(ByteBuffer.wrap(file, PREAMBLE_BYTES, length)).toString();
  }

  private static String libraryVersion() {
    String v = ModelFile.class.getPackage() == null ? null : ModelFile.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in = ModelFile.class.getResourceAsStream(
        "/META-INF/maven/dev.dendrite/dendrite-core/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String pv = p.getProperty("version");
        if (pv != null) {
          return pv;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "development";
  }
}
