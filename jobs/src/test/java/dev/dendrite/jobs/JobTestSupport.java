package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of the command tests: a local Spark master, the small data sets, configs and a CLI runner. */
final class JobTestSupport {

  private JobTestSupport() {
  }

  /** A command line's exit code with what it printed. */
  record Result(int code, String out, String err) {
  }

  static void localMaster() {
    System.setProperty("spark.master", "local[2]");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    System.setProperty("spark.ui.enabled", "false");
  }

  static Path resource(String name) throws Exception {
    return Paths.get(JobTestSupport.class.getResource("/" + name).toURI());
  }

  /** Runs the CLI in-process, capturing standard output and error. */
  static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      int code = Dendrite.execute(args);
      return new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Runs a command that must succeed. */
  static Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), r.err());
    return r;
  }

  /** binary.libsvm with its -1/+1 labels mapped to classes 0/1. */
  static Path binary01(Path dir) throws Exception {
    Path data = dir.resolve("binary01.libsvm");
    Files.writeString(data, Files.readString(resource("binary.libsvm")).replaceAll("(?m)^-1 ", "0 ")
        .replaceAll("(?m)^\\+?1 ", "1 "));
    return data;
  }

  /** A two-class softmax network on 6 LibSVM features, standardized; train and test on {@code data}. */
  static Path libsvmConfig(Path dir, Path data, Path out) throws Exception {
    Path config = dir.resolve("binary.yaml");
    Files.writeString(config, """
        data:
          format: libsvm
          train: %s
          test: %s
          dimension: 6
          preprocessing: standard
        network:
          input_shape: [6]
          layers:
            - {type: dense, units: 8, activation: tanh}
            - {type: dense, units: 2, activation: softmax}
        training:
          loss: sparse_categorical_crossentropy
          optimizer: {type: adam, learning_rate: 0.02}
          batch_size: 32
          epochs: 12
          seed: 7
          validation_split: 0.2
        distributed: {mode: averaging, averaging_frequency: 4, partitions: 2}
        output: {dir: %s}
        """.formatted(data, data, out));
    return config;
  }

  /** A regression network on regression.csv's three columns x1..x3 (label y), min-max scaled. */
  static Path regressionConfig(Path dir, Path out) throws Exception {
    Path config = dir.resolve("regression.yaml");
    Files.writeString(config, """
        data:
          format: csv
          train: %s
          test: %s
          label: y
          preprocessing: minmax
        network:
          input_shape: [3]
          layers:
            - {type: dense, units: 16, activation: tanh}
            - {type: dense, units: 1, activation: linear}
        training:
          loss: mse
          optimizer: {type: adam, learning_rate: 0.01}
          batch_size: 32
          epochs: 10
          seed: 3
        distributed: {mode: averaging, averaging_frequency: 4, partitions: 2}
        output: {dir: %s}
        """.formatted(resource("regression.csv"), resource("regression.csv"), out));
    return config;
  }

  /** The feature rows of a LibSVM file ({@code #} lines skipped), dense, in file order. */
  static List<float[]> libsvmRows(Path file, int width) throws Exception {
    List<float[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      line = line.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      float[] x = new float[width];
      String[] parts = line.split("\\s+");
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split(":");
        x[Integer.parseInt(kv[0]) - 1] = Float.parseFloat(kv[1]);
      }
      rows.add(x);
    }
    return rows;
  }
}
