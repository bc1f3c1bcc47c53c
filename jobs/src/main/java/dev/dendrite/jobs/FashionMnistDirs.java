package dev.dendrite.jobs;

import dev.dendrite.spark.data.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For {@code bin/dendrite}: the directories where a command line's configuration expects Fashion-MNIST
 * files that are not there, one per line, so the launcher can fetch them before the job starts. The data
 * paths are read from the configuration file after the {@code --set} overrides and resolved as the job
 * resolves them: a path without a scheme (or with {@code file:}) relative to the working directory. A
 * configuration that cannot be read prints nothing: the job itself then names the problem.
 */
public final class FashionMnistDirs {

  /** The four files bin/fetch-data puts into a directory. */
  static final Set<String> FILES = Set.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

  private FashionMnistDirs() {
  }

  /** {@code args}: the command line given to bin/dendrite, e.g. {@code train conf/x.yaml --set k=v}. */
  public static void main(String[] args) {
    for (Path dir : missing(args)) {
      System.out.println(dir);
    }
  }

  static List<Path> missing(String[] args) {
    Path config = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--set") && i + 1 < args.length) {
        overrides.add(args[++i]);
      } else if (args[i].startsWith("--set=")) {
        overrides.add(args[i].substring("--set=".length()));
      } else if (config == null && !args[i].startsWith("-") && Files.isRegularFile(Paths.get(args[i]))) {
        config = Paths.get(args[i]);
      }
    }
    Set<Path> dirs = new LinkedHashSet<>();
    if (config == null) {
      return List.of();
    }
    Object data;
    try {
      Map<String, Object> tree = ConfigFiles.load(config);
      for (String o : overrides) {
        ConfigFiles.override(tree, o);
      }
      data = tree.get("data");
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    if (!(data instanceof Map)) {
      return List.of();
    }
    for (Object value : ((Map<?, ?>) data).values()) {
      Path file = localPath(value);
      if (file != null && FILES.contains(String.valueOf(file.getFileName())) && !Files.exists(file)) {
        dirs.add(file.toAbsolutePath().normalize().getParent());
      }
    }
    return List.copyOf(dirs);
  }

  /** The local file a data path names, as {@link TrainingData#requireLocalFile} reads it, or null. */
  private static Path localPath(Object value) {
    if (!(value instanceof String path) || path.isBlank()) {
      return null;
    }
    boolean local = !path.contains("://") || path.startsWith("file:");
    if (!local) {
      return null;
    }
    try {
      return Paths.get(path.replaceFirst("^file:", ""));
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
