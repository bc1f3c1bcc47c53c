package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed data files, one bad row among good ones: every one must end {@code dendrite train} (or
 * {@code evaluate}) with exit code 2 and one paragraph naming the file, the line or record, the column
 * and the value, before training starts and without writing any output.
 */
class BadDataTest {

  @TempDir
  static Path shared;

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  /** Five good CSV rows of x1, x2 and a class 0..2 in y; {@code bad} (if not null) replaces line 4. */
  private static String csv(String bad) {
    List<String> lines = new ArrayList<>(List.of("x1,x2,y", "0.1,0.2,0", "0.3,0.1,1", "0.5,0.5,2", "0.2,0.9,1",
        "0.7,0.3,0", "0.4,0.4,2"));
    if (bad != null) {
      lines.set(3, bad);
    }
    return String.join("\n", lines) + "\n";
  }

  /** Good LibSVM lines of 3 features and classes 0..2; {@code bad} (if not null) replaces line 3. */
  private static String libsvm(String bad) {
    List<String> lines = new ArrayList<>(List.of("0 1:0.1 2:0.2", "1 2:0.5 3:0.1", "2 1:0.3 3:0.7", "1 1:0.9",
        "0 2:0.4 3:0.4", "2 1:0.6 2:0.1 3:0.2"));
    if (bad != null) {
      lines.set(2, bad);
    }
    return String.join("\n", lines) + "\n";
  }

  private static Path config(Path dir, String format, Path train, Path test, String loss, int inputs, int outputs)
      throws Exception {
    Path config = dir.resolve("job.yaml");
    Files.writeString(config, """
        data:
          format: %s
          train: %s
          test: %s
          label: y
        network:
          input_shape: [%d]
          layers:
            - {type: dense, units: %d, activation: %s}
        training:
          loss: %s
          optimizer: {type: sgd, learning_rate: 0.1}
          batch_size: 4
          epochs: 1
          seed: 1
        distributed: {mode: allreduce, partitions: 2}
        output: {dir: %s}
        """.formatted(format, train, test, inputs, outputs, outputs == 1 ? "linear" : "softmax", loss,
        dir.resolve("out")));
    return config;
  }

  static Stream<Arguments> malformedFiles() {
    return Stream.of(
        // CSV: line 4 of x1,x2,y
        Arguments.of("csv wrong column count", "csv", csv("0.5,0.5"), "line 4", null, "'0.5,0.5'"),
        Arguments.of("csv non-numeric value", "csv", csv("0.5,abc,2"), "line 4", "column 'x2' (index 1)", "'abc'"),
        Arguments.of("csv NaN feature", "csv", csv("NaN,0.5,2"), "line 4", "column 'x1' (index 0)", "'NaN'"),
        Arguments.of("csv infinite feature", "csv", csv("0.5,-Infinity,2"), "line 4", "column 'x2'", "'-Infinity'"),
        Arguments.of("csv feature overflowing float", "csv", csv("1e39,0.5,2"), "line 4", "column 'x1'", "'1e39'"),
        Arguments.of("csv empty cell", "csv", csv("0.5,,2"), "line 4", "column 'x2'", "''"),
        Arguments.of("csv NaN label", "csv", csv("0.5,0.5,NaN"), "line 4", "column 'y' (index 2)", "'NaN'"),
        Arguments.of("csv non-integer label", "csv", csv("0.5,0.5,1.5"), "line 4", "column 'y'", "'1.5'"),
        Arguments.of("csv negative label", "csv", csv("0.5,0.5,-1"), "line 4", "column 'y'", "'-1'"),
        Arguments.of("csv label past the classes", "csv", csv("0.5,0.5,3"), "line 4", "column 'y'", "'3'"),
        Arguments.of("csv label 1e9", "csv", csv("0.5,0.5,1e9"), "line 4", "column 'y'", "'1e9'"),
        Arguments.of("csv unclosed quote", "csv", csv("0.5,\"0.5,2"), "line 4", null, "'0.5,\"0.5,2'"),
        // LibSVM: line 3 of 3 features
        Arguments.of("libsvm index 0", "libsvm", libsvm("2 0:0.3 3:0.7"), "line 3", "token 2", "'0:0.3'"),
        Arguments.of("libsvm out-of-order indices", "libsvm", libsvm("2 3:0.3 1:0.7"), "line 3", "token 3", "'1:0.7'"),
        Arguments.of("libsvm duplicate index", "libsvm", libsvm("2 1:0.3 1:0.7"), "line 3", "token 3", "'1:0.7'"),
        Arguments.of("libsvm index past dimension", "libsvm", libsvm("2 1:0.3 4:0.7"), "line 3", "token 3", "'4:0.7'"),
        Arguments.of("libsvm non-numeric value", "libsvm", libsvm("2 1:0.3 3:x"), "line 3", "token 3", "'x'"),
        Arguments.of("libsvm NaN value", "libsvm", libsvm("2 1:nan 3:0.7"), "line 3", "token 2", "'nan'"),
        Arguments.of("libsvm label 1e9", "libsvm", libsvm("1e9 1:0.3"), "line 3", "label (token 1)", "'1e9'"),
        Arguments.of("libsvm label -1", "libsvm", libsvm("-1 1:0.3"), "line 3", "label (token 1)", "'-1'"),
        Arguments.of("libsvm label NaN", "libsvm", libsvm("NaN 1:0.3"), "line 3", "label (token 1)", "'NaN'"),
        Arguments.of("libsvm not index:value", "libsvm", libsvm("2 1:0.3 0.7"), "line 3", "token 3", "'0.7'"),
        Arguments.of("libsvm empty file", "libsvm", "", "holds no examples", null, null),
        Arguments.of("csv header only", "csv", "x1,x2,y\n", "holds no examples", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFiles")
  void aMalformedTrainingFileEndsWithExitTwoNamingFileLineColumnAndValue(String name, String format, String content,
                                                                          String where, String column, String value,
                                                                          @TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad." + format);
    Files.writeString(bad, content);
    Path good = dir.resolve("good." + format);
    Files.writeString(good, format.equals("csv") ? csv(null) : libsvm(null));
    Path config = config(dir, format, bad, good, "sparse_categorical_crossentropy", format.equals("csv") ? 2 : 3, 3);
    assertRefused(JobTestSupport.run("train", config.toString()), dir, bad, where, column, value);
  }

  @Test
  void lineNumbersCountFromTheStartOfTheFileWhenItIsReadInManySplits(@TempDir Path dir) throws Exception {
    StringBuilder rows = new StringBuilder("x1,x2,y\n");
    for (int i = 2; i <= 300; i++) {
      rows.append(i == 250 ? "0.5,0.5,1e39" : "0." + i % 10 + ",0." + i % 7 + "," + i % 3).append(i % 2 == 0 ? "\r\n" : "\n");
    }
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, rows.toString());
    Path good = dir.resolve("good.csv");
    Files.writeString(good, rows.toString().replace("1e39", "2"));
    System.setProperty("spark.hadoop.mapreduce.input.fileinputformat.split.maxsize", "512");  // ~10 splits each
    try {
      Path config = config(dir, "csv", good, good, "sparse_categorical_crossentropy", 2, 3);
      JobTestSupport.Result r = JobTestSupport.ok("train", config.toString(), "--set", "training.batch_size=128");
      Path trained = dir.resolve("out/metrics.json");
      String metrics = Files.readString(trained);
      assertTrue(metrics.contains("\"training_examples\" : 299") || metrics.contains("\"training_examples\": 299"),
          "every row once, the header of no split read as a row: " + metrics + r.err());
      Path second = Files.createDirectories(dir.resolve("second"));
      Path refused = config(second, "csv", bad, good, "sparse_categorical_crossentropy", 2, 3);
      assertRefused(JobTestSupport.run("train", refused.toString()), second, bad, "line 250", "column 'y'", "'1e39'");
    } finally {
      System.clearProperty("spark.hadoop.mapreduce.input.fileinputformat.split.maxsize");
    }
  }

  @Test
  void aBadTestFileIsFoundBeforeTrainingStarts(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.csv");
    Files.writeString(good, csv(null));
    Path bad = dir.resolve("test.csv");
    Files.writeString(bad, csv("0.5,0.5,7"));
    Path config = config(dir, "csv", good, bad, "sparse_categorical_crossentropy", 2, 3);
    JobTestSupport.Result r = JobTestSupport.run("train", config.toString(), "--set", "training.epochs=1000");
    assertRefused(r, dir, bad, "line 4", "column 'y'", "'7'");
    assertFalse(r.out().contains("Epoch 1/"), "no epoch ran: " + r.out());
  }

  @Test
  void aBadRowInTheValidationSplitIsNamedToo(@TempDir Path dir) throws Exception {
    // every row goes to the validation split's side or the training side: a bad row is named either way
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, csv("0.5,0.5,-2"));
    Path config = config(dir, "csv", bad, bad, "sparse_categorical_crossentropy", 2, 3);
    assertRefused(JobTestSupport.run("train", config.toString(), "--set", "training.validation_split=0.5"),
        dir, bad, "line 4", "column 'y'", "'-2'");
  }

  @Test
  void regressionTargetsMayBeAnyFiniteNumberButNotNaN(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, csv("0.5,0.5,nan"));
    Path config = config(dir, "csv", bad, bad, "mse", 2, 1);
    assertRefused(JobTestSupport.run("train", config.toString()), dir, bad, "line 4", "column 'y'", "'nan'");
    Path big = dir.resolve("big.csv");
    Files.writeString(big, csv("0.5,0.5,-1e9"));
    JobTestSupport.ok("train", config(dir, "csv", big, big, "mse", 2, 1).toString());
  }

  @Test
  void anIdxLabelPastTheClassesIsNamedWithItsRecord(@TempDir Path dir) throws Exception {
    Path images = dir.resolve("images.idx");
    Path labels = dir.resolve("labels.idx");
    Files.write(images, idx(2051, new int[] {6, 2, 2}, new byte[24]));
    Files.write(labels, idx(2049, new int[] {6}, new byte[] {0, 1, 2, 3, (byte) 200, 9}));
    Path config = dir.resolve("idx.yaml");
    Files.writeString(config, """
        data: {format: idx, train: %s, train_labels: %s}
        network:
          input_shape: [4]
          layers:
            - {type: dense, units: 10, activation: softmax}
        training: {loss: sparse_categorical_crossentropy, optimizer: {type: sgd}, batch_size: 2, epochs: 1}
        distributed: {partitions: 2}
        output: {dir: %s}
        """.formatted(images, labels, dir.resolve("out")));
    assertRefused(JobTestSupport.run("train", config.toString()), dir, labels, "record 5", "the label", "'200'");
  }

  static Stream<Arguments> malformedParquet() {
    return Stream.of(
        Arguments.of("NaN feature", "nan.parquet", "record 3", "column 'features' element 1", "'NaN'"),
        Arguments.of("label past the classes", "label.parquet", "record 3", "column 'y'", "'5.0'"),
        Arguments.of("wrong vector size", "size.parquet", "record 3", "column 'features'", "'[0.5,0.5,0.5]'"));
  }

  @ParameterizedTest(name = "parquet {0}")
  @MethodSource("malformedParquet")
  void aMalformedParquetRowIsNamedWithItsRecord(String name, String file, String where, String column, String value,
                                                @TempDir Path dir) throws Exception {
    Path data = shared.resolve(file);
    if (!Files.exists(data)) {
      writeParquet();
    }
    Path config = config(dir, "parquet", data, data, "sparse_categorical_crossentropy", 2, 3);
    JobTestSupport.Result r = JobTestSupport.run("train", config.toString());
    assertRefused(r, dir, data, where, column, value);
    assertTrue(r.err().contains("part-"), "names the Parquet part file: " + r.err());
  }

  @Test
  void evaluateRefusesALabelTheModelHasNoClassFor(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.csv");
    Files.writeString(good, csv(null));
    Path config = config(dir, "csv", good, good, "sparse_categorical_crossentropy", 2, 3);
    JobTestSupport.ok("train", config.toString());
    Path bad = dir.resolve("huge.csv");
    Files.writeString(bad, csv("0.5,0.5,1e9"));
    Path metrics = dir.resolve("evaluation.json");
    JobTestSupport.Result r = JobTestSupport.run("evaluate", config.toString(), "--model",
        dir.resolve("out/model.dndr").toString(), "--data", bad.toString(), "--output", metrics.toString());
    assertEquals(Dendrite.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(bad.toString()), r.err());
    assertTrue(r.err().contains("line 4"), r.err());
    assertTrue(r.err().contains("column 'y'"), r.err());
    assertTrue(r.err().contains("'1e9'"), r.err());
    assertTrue(r.err().contains("0..2"), r.err());
    assertFalse(Files.exists(metrics), "no metrics written");
  }

  /** Exit 2, one line naming the file, the row, the column and the value; no trace, no output directory. */
  private static void assertRefused(JobTestSupport.Result r, Path dir, Path file, String where, String column,
                                    String value) throws Exception {
    String err = r.err();
    assertEquals(Dendrite.BAD_INPUT, r.code(), err);
    String message = err.lines().filter(l -> l.startsWith("dendrite ")).findFirst().orElse("");
    assertTrue(message.contains(file.getFileName().toString()), "names the file: " + err);
    assertTrue(message.contains(where), "names " + where + ": " + err);
    if (column != null) {
      assertTrue(message.contains(column), "names " + column + ": " + err);
    }
    if (value != null) {
      assertTrue(message.contains(value), "names the value " + value + ": " + err);
    }
    assertFalse(err.contains("\tat ") || err.contains("Job aborted") || err.contains("SparkException"),
        "no stack trace: " + err);
    assertFalse(Files.exists(dir.resolve("out")), "no output directory written");
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary output left");
    }
  }

  private static byte[] idx(int magic, int[] dims, byte[] values) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(values);
    }
    return bytes.toByteArray();
  }

  /** Three Parquet data sets of 5 rows (features of 2, label y in 0..2), each with a bad row 3. */
  private static void writeParquet() {
    SparkSession spark = SparkSession.builder().getOrCreate();
    try {
      StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false)
          .add("y", DataTypes.DoubleType, false);
      write(spark, schema, "nan.parquet", RowFactory.create(Vectors.dense(0.5, Double.NaN), 1.0));
      write(spark, schema, "label.parquet", RowFactory.create(Vectors.dense(0.5, 0.5), 5.0));
      write(spark, schema, "size.parquet", RowFactory.create(Vectors.dense(0.5, 0.5, 0.5), 1.0));
    } finally {
      spark.stop();
    }
  }

  private static void write(SparkSession spark, StructType schema, String name, Row bad) {
    List<Row> rows = new ArrayList<>(List.of(RowFactory.create(Vectors.dense(0.1, 0.2), 0.0),
        RowFactory.create(Vectors.dense(0.3, 0.4), 1.0), bad, RowFactory.create(Vectors.dense(0.5, 0.6), 2.0),
        RowFactory.create(Vectors.dense(0.7, 0.8), 0.0)));
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(shared.resolve(name).toString());
  }
}
