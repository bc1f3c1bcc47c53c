package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where bin/dendrite fetches Fashion-MNIST: the directories of the configured files that are missing. */
class FashionMnistDirsTest {

  @TempDir
  Path dir;

  private Path config(String train, String test) throws Exception {
    Path config = dir.resolve("fm.yaml");
    Files.writeString(config, """
        # data/fashion-mnist is where bin/fetch-data puts the files by default
        data:
          format: idx
          train: %s
          train_labels: %s/train-labels-idx1-ubyte.gz
          test: %s
        output: {dir: out}
        """.formatted(train, train.substring(0, train.lastIndexOf('/')), test));
    return config;
  }

  @Test
  void theDirectoryOfAMissingConfiguredFileIsFetchedNotTheWorkingDirectorysDataFolder() throws Exception {
    Path elsewhere = dir.resolve("datasets/fm");
    Path config = config(elsewhere.resolve("train-images-idx3-ubyte.gz").toString(),
        elsewhere.resolve("t10k-images-idx3-ubyte.gz").toString());
    assertEquals(List.of(elsewhere), FashionMnistDirs.missing(new String[] {"train", config.toString()}));
  }

  @Test
  void relativePathsResolveAgainstTheWorkingDirectoryAsInTheJob() throws Exception {
    Path config = config("data/fashion-mnist-x/train-images-idx3-ubyte.gz",
        "data/fashion-mnist-x/t10k-images-idx3-ubyte.gz");
    Path expected = Paths.get("").toAbsolutePath().resolve("data/fashion-mnist-x");
    assertEquals(List.of(expected), FashionMnistDirs.missing(new String[] {"train", config.toString()}));
  }

  @Test
  void filesThatArePresentNeedNoFetch() throws Exception {
    Path present = dir.resolve("present");
    Files.createDirectories(present);
    for (String f : FashionMnistDirs.FILES) {
      Files.writeString(present.resolve(f), "");
    }
    Path config = config(present.resolve("train-images-idx3-ubyte.gz").toString(),
        "file:" + present.resolve("t10k-images-idx3-ubyte.gz"));
    assertEquals(List.of(), FashionMnistDirs.missing(new String[] {"train", config.toString(), "--output", "o"}));
  }

  @Test
  void setOverridesDecideWhichFilesAreNeeded() throws Exception {
    Path present = dir.resolve("present");
    Files.createDirectories(present);
    for (String f : FashionMnistDirs.FILES) {
      Files.writeString(present.resolve(f), "");
    }
    Path config = config(present.resolve("train-images-idx3-ubyte.gz").toString(),
        present.resolve("t10k-images-idx3-ubyte.gz").toString());
    Path other = dir.resolve("other");
    assertEquals(List.of(other), FashionMnistDirs.missing(new String[] {"train", config.toString(),
        "--set", "data.test=" + other.resolve("t10k-images-idx3-ubyte.gz")}));
  }

  @Test
  void aCommentMentioningFashionMnistOrARemotePathFetchesNothing() throws Exception {
    Path config = config("hdfs://nn:8020/data/fashion-mnist/train-images-idx3-ubyte.gz",
        "examples/data/other.csv");
    assertEquals(List.of(), FashionMnistDirs.missing(new String[] {"train", config.toString()}));
  }
}
