package dev.dendrite.jobs;

import static dev.dendrite.jobs.JobTestSupport.ok;
import static dev.dendrite.jobs.JobTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dendrite predict} on models trained by {@code dendrite train}, checked against the model run in-process. */
class PredictCommandTest extends TrainedModelsTest {

  /** The model's outputs for feature rows, computed in-process: saved preprocessing, then the network. */
  private static float[][] inProcess(Path modelFile, List<float[]> rows) throws Exception {
    SavedModel model = ModelFile.read(modelFile);
    Network network = model.toNetwork();
    Preprocessor p = model.preprocessing().isEmpty() ? null : Preprocessor.fromMap(model.preprocessing());
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      float[] x = rows.get(i).clone();
      if (p != null) {
        p.transform(x, 0, 1);
      }
      out[i] = network.predict(x);
    }
    return out;
  }

  /** The header and the rows of the CSV part files Spark wrote, ordered by the id column (the first). */
  private static List<String[]> csv(Path outDir, List<String> header) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(outDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        if (lines.isEmpty()) {
          continue;
        }
        header.clear();
        header.addAll(Arrays.asList(lines.get(0).split(",")));
        lines.stream().skip(1).map(l -> l.split(",")).forEach(rows::add);
      }
    }
    rows.sort((a, b) -> Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0])));
    return rows;
  }

  @Test
  void parquetPredictionsAgreeWithTheModelInProcess() throws Exception {
    Path out = dir.resolve("predictions-parquet");
    ok("predict", config.toString(), "--model", dir.resolve("binary/model.dndr").toString(),
        "--output", out.toString());
    List<float[]> inputs = JobTestSupport.libsvmRows(data, 6);
    float[][] expected = inProcess(dir.resolve("binary/model.dndr"), inputs);
    SparkSession spark = SparkSession.builder().getOrCreate();
    try {
      var frame = spark.read().parquet(out.toString());
      assertEquals(List.of("id", "label", "prediction", "probability"), Arrays.asList(frame.columns()));
      List<Row> rows = frame.orderBy("id").collectAsList();
      assertEquals(inputs.size(), rows.size());
      for (int i = 0; i < rows.size(); i += 37) {
        Row r = rows.get(i);
        assertEquals(i, r.getLong(0));
        List<Object> probability = r.getList(3);
        float[] p = {(Float) probability.get(0), (Float) probability.get(1)};
        assertArrayEquals(expected[i], p, 1e-5f, "row " + i);
        assertEquals(expected[i][1] > expected[i][0] ? 1 : 0, r.getInt(2), "row " + i);
      }
      // the labels are the file's, in file order
      assertEquals(Files.readAllLines(data).stream().filter(l -> !l.startsWith("#"))
          .map(l -> Double.parseDouble(l.split(" ")[0])).collect(Collectors.toList()),
          rows.stream().map(r -> r.getDouble(1)).collect(Collectors.toList()));
    } finally {
      spark.stop();
    }
  }

  @Test
  void csvPredictionsWithClassNames() throws Exception {
    Path out = dir.resolve("predictions-csv");
    ok("predict", config.toString(), "--model", dir.resolve("binary/model.dndr").toString(),
        "--output", out.toString(), "--format", "csv", "--set", "data.class_names=[negative, positive]");
    List<String> header = new ArrayList<>();
    List<String[]> rows = csv(out, header);
    assertEquals(List.of("id", "label", "prediction", "class_name", "prob_0", "prob_1"), header);
    List<float[]> inputs = JobTestSupport.libsvmRows(data, 6);
    assertEquals(inputs.size(), rows.size());
    float[][] expected = inProcess(dir.resolve("binary/model.dndr"), inputs);
    for (int i = 0; i < rows.size(); i += 29) {
      String[] r = rows.get(i);
      assertEquals(i, Long.parseLong(r[0]));
      int predicted = expected[i][1] > expected[i][0] ? 1 : 0;
      assertEquals(predicted, Integer.parseInt(r[2]), "row " + i);
      assertEquals(predicted == 1 ? "positive" : "negative", r[3]);
      assertEquals(expected[i][0], Float.parseFloat(r[4]), 1e-5f, "row " + i);
      assertEquals(expected[i][1], Float.parseFloat(r[5]), 1e-5f, "row " + i);
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(out)) {
      List<String> crc = files.map(p -> out.relativize(p).toString()).filter(n -> n.endsWith(".crc")).toList();
      assertEquals(List.of(), crc, "no Hadoop checksum files beside Spark's part files");
    }
  }

  @Test
  void unlabelledCsvRegression(@TempDir Path tmp) throws Exception {
    // regression.csv without its label column y
    List<String> lines = Files.readAllLines(JobTestSupport.resource("regression.csv"));
    Path unlabelled = tmp.resolve("x.csv");
    Files.write(unlabelled, lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
    Path out = tmp.resolve("predictions");
    ok("predict", regressionConfig.toString(), "--model", dir.resolve("regression/model.dndr").toString(),
        "--data", unlabelled.toString(), "--output", out.toString(), "--format", "csv");
    List<String> header = new ArrayList<>();
    List<String[]> rows = csv(out, header);
    assertEquals(List.of("id", "prediction"), header);
    assertEquals(lines.size() - 1, rows.size());
    List<float[]> inputs = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] cells = l.split(",");
      inputs.add(new float[] {Float.parseFloat(cells[0]), Float.parseFloat(cells[1]), Float.parseFloat(cells[2])});
    }
    float[][] expected = inProcess(dir.resolve("regression/model.dndr"), inputs);
    for (int i = 0; i < rows.size(); i += 41) {
      assertEquals(expected[i][0], Float.parseFloat(rows.get(i)[1]), 1e-5f, "row " + i);
    }
  }

  /** Writes n 2x2 images (and their labels: 1 when the first pixel is bright) as IDX files. */
  private static Path[] idx(Path tmp, int n) throws Exception {
    java.util.Random random = new java.util.Random(5);
    java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + 4 * n);
    java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + n);
    images.putInt(0x00000803).putInt(n).putInt(2).putInt(2);
    labels.putInt(0x00000801).putInt(n);
    for (int i = 0; i < n; i++) {
      byte[] pixels = new byte[4];
      random.nextBytes(pixels);
      images.put(pixels);
      labels.put((byte) ((pixels[0] & 0xff) > 128 ? 1 : 0));
    }
    Path[] files = {tmp.resolve("images.idx"), tmp.resolve("labels.idx")};
    Files.write(files[0], images.array());
    Files.write(files[1], labels.array());
    return files;
  }

  @Test
  void idxImagesWithoutLabels(@TempDir Path tmp) throws Exception {
    Path[] files = idx(tmp, 90);
    Path idxConfig = tmp.resolve("idx.yaml");
    Files.writeString(idxConfig, """
        data: {format: idx, train: %s, train_labels: %s, test: %s, test_labels: %s, preprocessing: pixel}
        network:
          input_shape: [4]
          layers:
            - {type: dense, units: 2, activation: softmax}
        training: {loss: sparse_categorical_crossentropy, optimizer: {type: adam, learning_rate: 0.05}, epochs: 3,
                   batch_size: 16, seed: 1}
        distributed: {mode: averaging, partitions: 3}
        output: {dir: %s}
        """.formatted(files[0], files[1], files[0], files[1], tmp.resolve("model")));
    ok("train", idxConfig.toString());
    Path out = tmp.resolve("predictions");
    ok("predict", idxConfig.toString(), "--model", tmp.resolve("model/model.dndr").toString(),
        "--data", files[0].toString(), "--output", out.toString(), "--format", "csv");
    List<String> header = new ArrayList<>();
    List<String[]> rows = csv(out, header);
    assertEquals(List.of("id", "prediction", "prob_0", "prob_1"), header);
    assertEquals(90, rows.size());
    byte[] bytes = Files.readAllBytes(files[0]);
    List<float[]> inputs = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      float[] x = new float[4];
      for (int j = 0; j < 4; j++) {
        x[j] = bytes[16 + 4 * i + j] & 0xff;
      }
      inputs.add(x);
    }
    float[][] expected = inProcess(tmp.resolve("model/model.dndr"), inputs);
    for (int i = 0; i < 90; i += 11) {
      assertEquals(i, Long.parseLong(rows.get(i)[0]));
      assertEquals(expected[i][1], Float.parseFloat(rows.get(i)[3]), 1e-5f, "row " + i);
    }
    // with the default test set and its labels, the label column comes along
    Path labelled = tmp.resolve("labelled");
    ok("predict", idxConfig.toString(), "--model", tmp.resolve("model").toString(), "--output", labelled.toString(),
        "--format", "csv");
    assertEquals(List.of("id", "label", "prediction", "prob_0", "prob_1"), header(labelled));
  }

  private static List<String> header(Path outDir) throws Exception {
    List<String> header = new ArrayList<>();
    csv(outDir, header);
    return header;
  }

  @Test
  void refusesAnExistingOutputUnlessOverwriteAndOverwritesOnlyItsOwn(@TempDir Path tmp) throws Exception {
    Path mine = tmp.resolve("mine");
    Files.createDirectories(mine);
    Files.writeString(mine.resolve("keep.txt"), "mine");
    String model = dir.resolve("binary/model.dndr").toString();
    JobTestSupport.Result r = run("predict", config.toString(), "--model", model, "--output", mine.toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(mine + " exists"), r.err());
    assertTrue(r.err().contains("--overwrite"), r.err());
    JobTestSupport.Result refused = run("predict", config.toString(), "--model", model, "--output", mine.toString(),
        "--overwrite");
    assertEquals(Dendrite.BAD_INPUT, refused.code(), refused.err());
    assertTrue(refused.err().contains(mine + " is not empty and was not written by Dendrite"), refused.err());
    assertTrue(Files.exists(mine.resolve("keep.txt")), "a directory Dendrite never wrote is untouched");

    Path out = tmp.resolve("out");
    ok("predict", config.toString(), "--model", model, "--output", out.toString(), "--format", "csv");
    assertTrue(Files.readString(out.resolve(StagedOutput.MARKER)).contains("dendrite predict"));
    ok("predict", config.toString(), "--model", model, "--output", out.toString(), "--overwrite");
    try (Stream<Path> files = Files.list(out)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.endsWith(".parquet")), "parquet written: " + names);
      assertFalse(names.stream().anyMatch(n -> n.endsWith(".csv")), "the CSV output replaced: " + names);
    }
  }

  @Test
  void aValueThatIsNotANumberIsNamedByFileLineAndTokenLeavingNothing(@TempDir Path tmp) throws Exception {
    // Spark's LibSVM reader fails on it with a bare NumberFormatException: predict then finds the row itself
    JobTestSupport.Result r = predictWithFeatureOneReplaced(tmp, "bad.libsvm", 4, "abc");
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("bad.libsvm, line 5"), r.err());
    assertTrue(r.err().contains("'abc' is not a number"), r.err());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of("bad.libsvm"), files.map(f -> f.getFileName().toString()).toList(),
          "no output and no temporary directory left");
    }
  }

  @Test
  void aNotANumberThatSparksReaderAcceptsIsNamedByFileLineAndTokenToo(@TempDir Path tmp) throws Exception {
    // Spark reads "NaN" as a double without complaint; the network refuses the non-finite input, and predict
    // names the row as for a value that is no number at all, instead of writing NaN predictions
    JobTestSupport.Result r = predictWithFeatureOneReplaced(tmp, "nan.libsvm", 2, "NaN");
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("nan.libsvm, line 3"), r.err());
    assertTrue(r.err().contains("'NaN' is not a finite number"), r.err());
    assertFalse(Files.exists(tmp.resolve("out")), "no output");
  }

  /** Predicts the binary model on a copy of the LibSVM data whose line {@code index} has {@code value} as feature 1. */
  private JobTestSupport.Result predictWithFeatureOneReplaced(Path tmp, String name, int index, String value)
      throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(data));
    lines.set(index, lines.get(index).replaceFirst(" 1:[^ ]+", " 1:" + value));
    Path bad = tmp.resolve(name);
    Files.write(bad, lines);
    return run("predict", config.toString(), "--model", dir.resolve("binary/model.dndr").toString(), "--data",
        bad.toString(), "--output", tmp.resolve("out").toString());
  }

  @Test
  void refusesDataOfAnotherWidthLeavingNothing(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    JobTestSupport.Result r = run("predict", regressionConfig.toString(), "--model",
        dir.resolve("binary/model.dndr").toString(), "--output", out.toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("model expects 6 features"), r.err());
    assertTrue(r.err().contains("regression.csv has 3"), r.err());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(0, files.count(), "no output and no temporary directory left");
    }
  }

  @Test
  void refusesAMissingModel(@TempDir Path tmp) throws Exception {
    JobTestSupport.Result r = run("predict", config.toString(), "--model", tmp.resolve("gone.dndr").toString(),
        "--output", tmp.resolve("out").toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("gone.dndr does not exist"), r.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    JobTestSupport.Result r = run("predict", "--help");
    assertEquals(0, r.code());
    for (String option : new String[] {"--model", "--output", "--format", "--data", "--labels", "--set",
        "--overwrite", "default: parquet", "default: false"}) {
      assertTrue(r.out().contains(option), option + " in " + r.out());
    }
  }
}
