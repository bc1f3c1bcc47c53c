package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.dendrite.core.data.CsvReader;
import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.DigitSequences;
import dev.dendrite.core.data.IdxReader;
import dev.dendrite.core.data.LibSvmReader;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.io.onnx.OnnxExport;
import dev.dendrite.core.network.Network;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dendrite export}: every shipped config, trained briefly by {@code dendrite train} on Spark, is
 * exported, and ONNX Runtime (Java API, one thread) scores the raw test data as Dendrite does (the saved
 * preprocessing, then the network): per row {@code max |onnx - dendrite| ≤ 1e-5 · scale}, the scale being
 * the row's largest |output| or the RMS of all outputs when larger. Fashion-MNIST configs train on the first
 * 3000 training images (about 21 steps) and are scored on the first 1000 test images; the digit-sorting
 * transformer trains one epoch of its generated data (282 steps) and is scored on its 2000 generated test
 * sequences (8 positions × 10 digit probabilities each).
 */
class ExportCommandTest {

  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
  private static final int TRAIN_IMAGES = 3000;
  private static final int TEST_IMAGES = 1000;

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-mnist-mlp", "fashion-mnist-cnn", "fashion-mnist-autoencoder", "fashion-mnist-vae",
      "breast-cancer-libsvm", "diabetes-csv", "digit-sequence-transformer"})
  void aShippedConfigTrainedAndExportedScoresRawTestDataInOnnxRuntimeAsDendriteDoes(String name, @TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("out");
    Dataset test;
    if (name.startsWith("fashion")) {
      Path fm = ROOT.resolve("data/fashion-mnist");
      assertTrue(Files.exists(fm.resolve("t10k-images-idx3-ubyte.gz")), "Fashion-MNIST in " + fm + ": run bin/fetch-data");
      Path trainImages = head(fm.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-images"), TRAIN_IMAGES);
      Path trainLabels = head(fm.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-labels"), TRAIN_IMAGES);
      Path testImages = head(fm.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("test-images"), TEST_IMAGES);
      Path testLabels = head(fm.resolve("t10k-labels-idx1-ubyte.gz"), dir.resolve("test-labels"), TEST_IMAGES);
      JobTestSupport.ok("train", ROOT.resolve("conf/" + name + ".yaml").toString(), "--output", out.toString(),
          "--set", "training.epochs=1", "--set", "data.train=" + trainImages, "--set", "data.train_labels=" + trainLabels,
          "--set", "data.test=" + testImages, "--set", "data.test_labels=" + testLabels);
      test = IdxReader.readImagesAndLabels(testImages, testLabels, "Fashion-MNIST test head");
    } else if (name.startsWith("digit")) {
      Path config = ROOT.resolve("conf/" + name + ".yaml");
      JobTestSupport.ok("train", config.toString(), "--output", out.toString(), "--set", "training.epochs=1");
      test = DigitSequences.parse(JobConfig.load(config, List.of()).data().test());
    } else {
      boolean libsvm = name.startsWith("breast");
      String stem = libsvm ? "breast-cancer" : "diabetes";
      String ext = libsvm ? ".libsvm" : ".csv";
      Path train = ROOT.resolve("examples/data/" + stem + "-train" + ext);
      Path testFile = ROOT.resolve("examples/data/" + stem + "-test" + ext);
      JobTestSupport.ok("train", ROOT.resolve("conf/" + name + ".yaml").toString(), "--output", out.toString(),
          "--set", "training.epochs=5", "--set", "data.train=" + train, "--set", "data.test=" + testFile);
      test = libsvm ? LibSvmReader.read(testFile, LibSvmReader.Options.defaults().withDimension(30))
          : CsvReader.read(testFile, "progression");
    }
    Path onnx = dir.resolve(name + ".onnx");
    JobTestSupport.Result r = JobTestSupport.ok("export", "--model", out.resolve("model.dndr").toString(),
        "--format", "onnx", "--output", onnx.toString());
    assertTrue(r.out().contains("written as ONNX (opset 17"), r.out());

    SavedModel model = ModelFile.read(out.resolve("model.dndr"));
    assertAgrees(name, model, Files.readAllBytes(onnx), test.features(), test.size());
  }

  @Test
  void anExistingOutputIsKeptWithoutOverwrite(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("model.onnx");
    Files.writeString(out, "keep me");
    JobTestSupport.Result r = JobTestSupport.run("export", "--model", dir.resolve("missing.dndr").toString(),
        "--output", out.toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("already exists; pass --overwrite"), r.err());
    assertEquals("keep me", Files.readString(out));
  }

  @Test
  void aMissingModelEndsWithExitCodeTwoNamingIt(@TempDir Path dir) {
    JobTestSupport.Result r = JobTestSupport.run("export", "--model", dir.resolve("missing.dndr").toString(),
        "--output", dir.resolve("m.onnx").toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("missing.dndr does not exist"), r.err());
  }

  /** The first {@code n} items of a gzip'd IDX file (images or labels), as a plain IDX file. */
  private static Path head(Path gz, Path target, int n) throws Exception {
    try (InputStream raw = Files.newInputStream(gz);
         DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
         OutputStream file = Files.newOutputStream(target);
         DataOutputStream out = new DataOutputStream(file)) {
      int magic = in.readInt();
      int dims = magic & 0xff;
      int count = in.readInt();
      assertTrue(count >= n, gz + " holds " + count + " items");
      out.writeInt(magic);
      out.writeInt(n);
      long itemBytes = 1;
      for (int d = 1; d < dims; d++) {
        int size = in.readInt();
        out.writeInt(size);
        itemBytes *= size;
      }
      byte[] items = new byte[(int) (n * itemBytes)];
      in.readFully(items);
      out.write(items);
    }
    return target;
  }

  /** Dendrite's inference on raw features beside ONNX Runtime's on the exported model, row by row. */
  private static void assertAgrees(String what, SavedModel model, byte[] onnx, float[] raw, int rows) throws Exception {
    Network network = model.toNetwork();
    int width = network.inputSize();
    int outputs = network.outputSize();
    float[] x = Arrays.copyOf(raw, rows * width);
    if (!model.preprocessing().isEmpty()) {
      Preprocessor.fromMap(model.preprocessing()).transform(x, 0, rows);
    }
    float[] expected = network.forward(x, 0, rows, false, null).clone();
    float[] actual;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, options);
           OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw, 0, rows * width),
               new long[] {rows, width});
           OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
        FloatBuffer buffer = ((OnnxTensor) result.get(OnnxExport.OUTPUT).orElseThrow()).getFloatBuffer();
        actual = new float[buffer.remaining()];
        buffer.get(actual);
      }
    }
    assertEquals(rows * outputs, actual.length, what + ": ONNX Runtime's output size");
    double sumSquares = 0;
    for (int i = 0; i < rows * outputs; i++) {
      sumSquares += (double) expected[i] * expected[i];
    }
    double rms = Math.sqrt(sumSquares / (rows * outputs));
    double worst = 0;
    for (int r = 0; r < rows; r++) {
      double scale = rms;
      for (int j = 0; j < outputs; j++) {
        scale = Math.max(scale, Math.abs(expected[r * outputs + j]));
      }
      for (int j = 0; j < outputs; j++) {
        double d = Math.abs(actual[r * outputs + j] - expected[r * outputs + j]);
        if (d > 1e-5 * scale) {
          fail(what + ": row " + r + ", output " + j + ": ONNX Runtime " + actual[r * outputs + j] + ", Dendrite "
              + expected[r * outputs + j] + " (difference " + d + " > 1e-5 × scale " + scale + ")");
        }
        worst = Math.max(worst, d / scale);
      }
    }
    System.out.printf("%s: %d rows × %d outputs agree, largest difference %.2e of the scale%n", what, rows, outputs,
        worst);
  }
}
