package dev.dendrite.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.linalg.Gemms;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.random.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

  @TempDir
  Path dir;

  private static Network network(long seed) {
    return Network.builder(5).dense(4, "relu").dropout(0.1).dense(3, "softmax").seed(seed)
        .gemm(Gemms.factory("ejml").get()).build();
  }

  private static SavedModel model(long seed) {
    Network net = network(seed);
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("type", "min_max");
    pre.put("min", new float[] {0f, -1f, 0.1f, 2f, 3f});
    pre.put("max", new double[] {1, 1, 0.9, 4, 5});
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("val_accuracy", 0.8125);
    metrics.put("val_loss", 0.4321);
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("seed", seed);
    training.put("data", "train.csv (120 rows, label column 'y')");
    training.put("epochs", 7);
    training.put("final_metrics", metrics);
    return SavedModel.of(net).withLoss("categorical_crossentropy").withPreprocessing(pre).withTraining(training)
        .withCreated(Instant.parse("2025-03-04T05:06:07.123456789Z"));
  }

  private static OptimizerState adamState(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] m = new float[n];
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = (float) rng.nextGaussian();
      v[i] = rng.nextFloat();
    }
    Map<String, float[]> slots = new LinkedHashMap<>();
    slots.put("m", m);
    slots.put("v", v);
    return new OptimizerState("adam", 41, slots);
  }

  private static void assertBitExact(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "parameter " + i);
    }
  }

  @Test
  void roundTripKeepsConfigParametersBitExactAndMetadata() throws IOException {
    SavedModel model = model(3);
    float[] params = model.parameters();
    // values that a text format or a careless conversion would lose
    params[0] = -0.0f;
    params[1] = Float.MIN_VALUE;
    params[2] = Float.MAX_VALUE;
    params[3] = Float.intBitsToFloat(0x7fc00123); // NaN with a payload
    params[4] = Float.NEGATIVE_INFINITY;
    model = new SavedModel(model.network(), params, model.loss(), model.preprocessing(), model.training(),
        adamState(params.length, 9), model.libraryVersion(), model.created());
    Path file = dir.resolve("m" + ModelFile.EXTENSION);
    ModelFile.write(model, file);
    SavedModel back = ModelFile.read(file);

    assertEquals(model.network(), back.network());
    assertBitExact(params, back.parameters());
    assertEquals("categorical_crossentropy", back.loss());
    assertEquals(model.preprocessing(), back.preprocessing());
    assertEquals(0.1f, ((Number) ((List<?>) back.preprocessing().get("min")).get(2)).floatValue());
    assertEquals(7L, back.training().get("epochs"));
    assertEquals(0.8125, ((Map<?, ?>) back.training().get("final_metrics")).get("val_accuracy"));
    assertEquals(model.optimizerState(), back.optimizerState());
    assertEquals(41, back.optimizerState().iterations());
    assertEquals(ModelFile.LIBRARY_VERSION, back.libraryVersion());
    assertEquals(Instant.parse("2025-03-04T05:06:07.123456789Z"), back.created());
    assertEquals(model, back);
    // nothing but the file in the directory: the temporary file was renamed
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.collect(Collectors.toList()));
    }
  }

  @Test
  void bytesAndStreamsGiveTheSameFileAsThePath() throws IOException {
    SavedModel model = model(4);
    Path file = dir.resolve("m.dndr");
    ModelFile.write(model, file);
    byte[] onDisk = Files.readAllBytes(file);
    assertArrayEquals(onDisk, ModelFile.toBytes(model));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelFile.write(model, out);
    out.write(42); // the stream is not closed by the writer
    byte[] written = Arrays.copyOf(out.toByteArray(), onDisk.length);
    assertArrayEquals(onDisk, written);

    assertEquals(model, ModelFile.read(new ByteArrayInputStream(onDisk), "hdfs://nn/models/m.dndr"));
    assertEquals(model, ModelFile.read(onDisk, "bytes"));
    assertNull(model.optimizerState());
  }

  @Test
  void layoutIsDocumentedAndPayloadAligned() {
    SavedModel model = model(5);
    byte[] bytes = ModelFile.toBytes(model);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertArrayEquals(new byte[] {(byte) 0x89, 'D', 'N', 'D', 'R', '\r', '\n', 0x1a}, Arrays.copyOf(bytes, 8));
    assertEquals(1, b.getInt(8));
    int headerLength = b.getInt(12);
    assertEquals(0, (16 + headerLength) % 8, "payload must start 8-byte aligned");
    int count = model.parameterCount();
    assertEquals(16 + headerLength + 4L * count + 4, bytes.length);
    Map<String, Object> header = Json.parseObject(ModelFile.headerText(bytes), "header");
    assertEquals(List.of("format", "format_version", "library_version", "created", "network", "loss", "parameters",
        "preprocessing", "training"), List.copyOf(header.keySet()));
    Map<?, ?> params = (Map<?, ?>) header.get("parameters");
    assertEquals((long) count, params.get("count"));
    assertEquals("float32le", params.get("dtype"));
    Map<?, ?> second = (Map<?, ?>) ((List<?>) params.get("tensors")).get(1);
    assertEquals(Map.of("name", "dense_0/b", "shape", List.of(4L), "offset", 20L), second);
    // the first parameter, read as the docs say
    assertEquals(Float.floatToRawIntBits(model.parameters()[0]),
        Float.floatToRawIntBits(b.getFloat(16 + headerLength)));
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes, 0, bytes.length - 4);
    assertEquals((int) crc.getValue(), b.getInt(bytes.length - 4));
  }

  @Test
  void toNetworkPredictsLikeTheSavedNetwork() throws IOException {
    Network net = network(6);
    SavedModel back = ModelFile.read(ModelFile.toBytes(SavedModel.of(net)), "mem");
    float[] x = {0.5f, -1f, 2f, 0.25f, 3f};
    assertArrayEquals(net.predict(x), back.toNetwork(Gemms.factory("ejml").get()).predict(x));
    assertArrayEquals(net.predict(x), back.toNetwork().predict(x), 1e-6f);
  }

  // ------------------------------------------------------------------ damaged files

  private static ModelFileException readError(byte[] bytes) {
    return assertThrows(ModelFileException.class, () -> ModelFile.read(bytes, "bad.dndr"));
  }

  private static void assertMessage(String expected, Exception e) {
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void truncatedFilesNameWhatIsMissing() throws IOException {
    byte[] bytes = ModelFile.toBytes(model(7));
    int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    int count = model(7).parameterCount(); // 5·4 + 4 + 4·3 + 3 = 39
    assertEquals(39, count);
    byte[] cut = Arrays.copyOf(bytes, 16 + headerLength + 100);
    String expected = "model file bad.dndr: truncated: header says 39 parameters (156 bytes) but only 100 bytes follow";
    assertEquals(expected, readError(cut).getMessage());
    // the same from a stream of unknown length
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> ModelFile.read(new ByteArrayInputStream(cut), "bad.dndr"));
    assertEquals(expected, e.getMessage());
    // and from a file on disk
    Path file = dir.resolve("cut.dndr");
    Files.write(file, cut);
    e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
    assertEquals("model file " + file + ": truncated: header says 39 parameters (156 bytes) but only 100 bytes follow",
        e.getMessage());

    assertMessage("truncated: the 4-byte checksum after the 156-byte payload is missing",
        readError(Arrays.copyOf(bytes, bytes.length - 2)));
    assertMessage("truncated: the preamble gives a header of " + headerLength + " bytes but only 50 bytes follow it",
        readError(Arrays.copyOf(bytes, 66)));
    assertMessage("truncated: 12 bytes, shorter than the 16-byte preamble", readError(Arrays.copyOf(bytes, 12)));
    assertMessage("is empty (0 bytes); not a Dendrite model file", readError(new byte[0]));
    assertMessage("does not exist",
        assertThrows(ModelFileException.class, () -> ModelFile.read(dir.resolve("missing.dndr"))));

    byte[] withState = ModelFile.toBytes(model(7).withOptimizerState(adamState(39, 1)));
    int h2 = ByteBuffer.wrap(withState).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    assertMessage("truncated: header says 39 parameters and 2 optimizer state vectors of 39 values (468 bytes) but "
        + "only 200 bytes follow", readError(Arrays.copyOf(withState, 16 + h2 + 200)));
  }

  @Test
  void corruptedBytesFailTheChecksum() {
    byte[] bytes = ModelFile.toBytes(model(8));
    int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    byte[] payloadFlip = bytes.clone();
    payloadFlip[16 + headerLength + 10] ^= 0x01;
    assertMessage("checksum mismatch (file corrupted?)", readError(payloadFlip));

    // a changed letter in the header keeps it valid JSON: only the checksum notices
    byte[] headerFlip = bytes.clone();
    String header = ModelFile.headerText(bytes);
    int at = 16 + header.indexOf("train.csv");
    headerFlip[at] = 'T';
    assertMessage("checksum mismatch (file corrupted?): the file says CRC-32 ", readError(headerFlip));

    byte[] checksumFlip = bytes.clone();
    checksumFlip[bytes.length - 1] ^= (byte) 0x80;
    assertMessage("checksum mismatch", readError(checksumFlip));

    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 3);
    assertMessage("trailing data after the checksum: the file should end at byte " + bytes.length + " but has "
        + (bytes.length + 3) + " bytes", readError(trailing));
  }

  @Test
  void wrongMagicAndVersionsAreNamed() {
    byte[] bytes = ModelFile.toBytes(model(9));
    byte[] newer = bytes.clone();
    newer[8] = 9;
    assertMessage("format version 9 is newer than this Dendrite " + ModelFile.LIBRARY_VERSION + " (supports 1)",
        readError(newer));
    byte[] zero = bytes.clone();
    zero[8] = 0;
    assertMessage("format version 0 is not valid", readError(zero));

    byte[] zip = {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertEquals("model file bad.dndr: not a Dendrite model file (magic 50 4B 03 04 00 00 00 00, expected "
        + "89 44 4E 44 52 0D 0A 1A)", readError(zip).getMessage());
    assertMessage("gzip-compressed: decompress it first", readError(new byte[] {0x1f, (byte) 0x8b, 8, 0}));
    assertMessage("looks like JSON text", readError("{\"network\": {}}".getBytes()));

    byte[] hugeHeader = bytes.clone();
    ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 0x7f000000);
    assertMessage("header length 2130706432 bytes is beyond the limit of 67108864", readError(hugeHeader));
  }

  @Test
  void headerProblemsWithAValidChecksumAreNamed() throws IOException {
    byte[] good = ModelFile.toBytes(model(10));
    String header = ModelFile.headerText(good);
    float[] params = model(10).parameters();

    assertMessage("header is not valid JSON (file corrupted?): header: line 1, column 2",
        readError(ModelFile.assemble(1, "{,", params)));
    assertMessage("header.network.layers[0].type: unknown layer type 'conv9'",
        readError(ModelFile.assemble(1, header.replaceFirst("\"dense\"", "\"conv9\""), params)));
    assertMessage("header.parameters.dtype: 'float16' is not supported; expected float32le",
        readError(ModelFile.assemble(1, header.replace("float32le", "float16"), params)));
    assertMessage("the header says format version 2 but the preamble says 1",
        readError(ModelFile.assemble(1, header.replace("\"format_version\": 1", "\"format_version\": 2"), params)));
    assertMessage("parameter tensor 1 is dense_0/bias in the file but dense_0/b in the network config",
        readError(ModelFile.assemble(1, header.replace("dense_0/b", "dense_0/bias"), params)));
    assertMessage("header.created: 'yesterday' is not an ISO-8601 instant",
        readError(ModelFile.assemble(1, header.replace("2025-03-04T05:06:07.123456789Z", "yesterday"), params)));
    // unknown top-level keys are ignored: writers may add optional information within a version
    SavedModel extra = ModelFile.read(ModelFile.assemble(1, header.replaceFirst("\\{", "{\"comment\": \"hi\","),
        params), "extra");
    assertEquals(model(10), extra);
  }

  @Test
  void shapeMismatchNamesTheTensor() {
    Network wide = Network.builder(784).dense(256, "relu").dense(10, "softmax").seed(1)
        .gemm(Gemms.factory("ejml").get()).build();
    byte[] bytes = ModelFile.toBytes(SavedModel.of(wide));
    String header = ModelFile.headerText(bytes).replaceFirst("\"units\": 256", "\"units\": 128");
    ModelFileException e = readError(ModelFile.assemble(1, header, wide.parameters()));
    assertEquals("model file bad.dndr: parameter dense_0/W has shape [256, 784] in the file but [128, 784] in the "
        + "network config", e.getMessage());
  }

  @Test
  void aHeaderDeclaringAnInputOfTenToTheEightIsRefusedBeforeAllocatingTheNetwork() {
    // the checksum is recomputed: only the declared input changes, the payload stays 39 floats
    byte[] good = ModelFile.toBytes(model(10));
    String header = ModelFile.headerText(good).replace("\"input_shape\": [5]", "\"input_shape\": [100000000]");
    ModelFileException e = readError(ModelFile.assemble(1, header, model(10).parameters()));
    assertMessage("parameter dense_0/W has shape [4, 5] in the file but [4, 100000000] in the network config", e);
  }

  @Test
  void aHeaderDeclaringAnInputOfTwoBillionIsRefusedNamingTheLimit() {
    byte[] good = ModelFile.toBytes(model(10));
    String header = ModelFile.headerText(good).replace("\"input_shape\": [5]", "\"input_shape\": [2000000000]");
    ModelFileException e = readError(ModelFile.assemble(1, header, model(10).parameters()));
    assertMessage("header.network.input_shape", e);
    assertMessage("2000000000", e);
    assertMessage(String.valueOf(Network.MAX_EXAMPLE_SIZE), e);
  }

  @Test
  void aHeaderWhoseTensorsDeclareTwoBillionParametersIsRefusedBeforeReadingThem() {
    // count and tensors agree with each other but not with the 39 floats present
    byte[] good = ModelFile.toBytes(model(10));
    String header = ModelFile.headerText(good).replace("\"count\": 39", "\"count\": 2000000000");
    ModelFileException e = readError(ModelFile.assemble(1, header, model(10).parameters()));
    assertMessage("truncated: header says 2000000000 parameters (8000000000 bytes)", e);
  }

  // ------------------------------------------------------------------ failed writes

  /** A stream that fails after {@code limit} bytes, like a full disk. */
  private static OutputStream failingAfter(OutputStream out, int limit) {
    return new FilterOutputStream(out) {
      private int written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (written + len > limit) {
          throw new IOException("No space left on device (simulated)");
        }
        written += len;
        out.write(b, off, len);
      }
    };
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.dndr");
    SavedModel old = model(11);
    ModelFile.write(old, file);
    byte[] before = Files.readAllBytes(file);
    SavedModel replacement = model(12);
    for (int limit : new int[] {0, 100, before.length - 10}) {
      ModelFileException e = assertThrows(ModelFileException.class,
          () -> ModelFile.write(replacement, file, out -> failingAfter(out, limit)));
      assertMessage("model file " + file + ": could not be written (any existing file is unchanged)", e);
      assertMessage("No space left on device (simulated)", e);
      assertArrayEquals(before, Files.readAllBytes(file));
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(List.of(file), files.collect(Collectors.toList()), "temporary file left behind");
      }
    }
    ModelFile.write(replacement, file);
    assertEquals(replacement, ModelFile.read(file));
  }

  @Test
  void unwritableTargetsAndBadModelsFailBeforeTouchingAnything() throws IOException {
    Path missingDir = dir.resolve("no/such/dir/model.dndr");
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.write(model(13), missingDir));
    assertMessage("could not be written", e);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("loss", Double.NaN);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> model(13).withTraining(Map.of("final_metrics", metrics)));
    assertMessage("training.final_metrics.loss is NaN", bad);

    SavedModel wrongCount = new SavedModel(model(13).network(), new float[3], null, null, null, null, "x",
        Instant.EPOCH);
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> ModelFile.write(wrongCount, dir.resolve("w.dndr")));
    assertMessage("the network config has 39 parameters but the model holds 3", count);
    assertTrue(Files.notExists(dir.resolve("w.dndr")));
  }

  // ------------------------------------------------------------------ the frozen file of format version 1

  /**
   * {@code models/frozen-v1.dndr} was written once by format version 1 (a 4-3-2 dense ReLU/softmax network,
   * seed 20240607, biases set by hand, with an Adam-style optimizer state) and is never regenerated: every
   * later version must read it and predict exactly these values, so a format change cannot pass silently.
   */
  private static final int[] FROZEN_PARAMETERS = {
      0xbe87008e, 0xbf127a82, 0xbfc0b8d2, 0x3ecd4eb8, 0xbf2bb94a, 0x3d15dfb9, 0xbe01f80c, 0xbd257bdc,
      0xbf306e79, 0xbf79c8fe, 0xbf8d99e5, 0x3f317fe8, // dense_0/W [3, 4]
      0x3dcccccd, 0xbe4ccccd, 0x3e99999a,             // dense_0/b = 0.1, -0.2, 0.3
      0x3f27fdee, 0x3eccf026, 0xbec29060, 0x3c98ce3c, 0xbdbb48d0, 0xbe998e66, // dense_1/W [2, 3]
      0x3d4ccccd, 0xbd4ccccd};                        // dense_1/b = 0.05, -0.05

  private static final float[][] FROZEN_INPUTS = {{0f, 0f, 0f, 0f}, {1f, -2f, 0.5f, 3f}, {-0.25f, 0.75f, 2f, -1.5f}};

  private static final int[][] FROZEN_PREDICTIONS = {
      {0x3f08ed99, 0x3eee24d0},  // 0.53487545, 0.4651246
      {0x3f2eb1de, 0x3ea29c43},  // 0.68240154, 0.31759843
      {0x3f066509, 0x3ef335ed}}; // 0.5249792,  0.4750208

  @Test
  void theFrozenVersion1FileStillLoadsAndPredictsTheSameValues() throws Exception {
    Path file = Path.of(ModelFileTest.class.getResource("/models/frozen-v1.dndr").toURI());
    SavedModel model = ModelFile.read(file);

    assertEquals(Network.builder(4).dense(3, "relu").dense(2, "softmax").config(), model.network());
    float[] params = model.parameters();
    assertEquals(FROZEN_PARAMETERS.length, params.length);
    for (int i = 0; i < params.length; i++) {
      assertEquals(FROZEN_PARAMETERS[i], Float.floatToRawIntBits(params[i]), "parameter " + i);
    }
    float[][] exact = model.toNetwork(Gemms.factory("ejml").get()).predict(FROZEN_INPUTS);
    float[][] configured = model.toNetwork().predict(FROZEN_INPUTS);
    for (int r = 0; r < FROZEN_INPUTS.length; r++) {
      for (int j = 0; j < 2; j++) {
        float expected = Float.intBitsToFloat(FROZEN_PREDICTIONS[r][j]);
        assertEquals(FROZEN_PREDICTIONS[r][j], Float.floatToRawIntBits(exact[r][j]), "EJML prediction " + r + "," + j);
        assertEquals(expected, configured[r][j], 1e-6f, "BLAS prediction " + r + "," + j); // summation order may differ
      }
    }

    assertEquals("categorical_crossentropy", model.loss());
    assertEquals("development", model.libraryVersion());
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), model.created());
    assertEquals(List.of(0.5, -1.0, 2.0, 0.0), model.preprocessing().get("mean"));
    assertEquals(20240607L, model.training().get("seed"));
    assertEquals(0.6931471805599453, ((Map<?, ?>) model.training().get("final_metrics")).get("loss"));
    OptimizerState state = model.optimizerState();
    assertEquals("adam", state.optimizer());
    assertEquals(3, state.iterations());
    assertEquals(List.of("m", "v"), state.slotNames());
    for (int i = 0; i < params.length; i++) {
      assertEquals(Float.floatToRawIntBits(params[i] * 0.01f), Float.floatToRawIntBits(state.slot("m")[i]));
      assertEquals(Float.floatToRawIntBits(params[i] * params[i] * 0.001f), Float.floatToRawIntBits(state.slot("v")[i]));
    }
    if (ModelFile.FORMAT_VERSION == 1) { // while version 1 is what we write, the writer must not drift either
      assertArrayEquals(Files.readAllBytes(file), ModelFile.toBytes(model));
    }
  }
}
