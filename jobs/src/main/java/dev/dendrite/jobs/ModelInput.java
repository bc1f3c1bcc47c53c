package dev.dendrite.jobs;

import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.Task;
import dev.dendrite.spark.HadoopFiles;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A saved model as {@code evaluate} and {@code predict} use it: the network with its parameters, the
 * fitted preprocessing saved with it (applied as saved, never refitted), the loss it was trained with and
 * the task that loss implies, and the class names of the job's {@code data.class_names}.
 *
 * @param path         the model file read (a directory argument resolves to its {@code model.dndr})
 * @param saved        the file's contents
 * @param network      a network holding the saved parameters
 * @param preprocessor the saved fitted preprocessing, or null for none
 * @param loss         the saved loss name, or the config's {@code training.loss} for a file without one
 * @param task         what the outputs mean
 * @param classNames   one name per class for classification when configured, else empty
 */
record ModelInput(Path path, SavedModel saved, Network network, Preprocessor preprocessor, String loss, Task task,
                  List<String> classNames) {

  /** Reads {@code location} (any Hadoop path: a model file, or a train output directory holding one). */
  static ModelInput read(String location, JobConfig job, Configuration conf) throws IOException {
    Path path = locate(location, conf);
    SavedModel saved = HadoopFiles.readModel(path, conf);
    Network network = saved.toNetwork();
    Preprocessor preprocessor = null;
    if (!saved.preprocessing().isEmpty()) {
      try {
        preprocessor = Preprocessor.fromMap(saved.preprocessing());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model file " + path + ": its saved preprocessing cannot be read: "
            + e.getMessage(), e);
      }
      if (!preprocessor.isFitted() || preprocessor.width() != network.inputSize()) {
        throw new IllegalArgumentException("model file " + path + ": its saved " + preprocessor.type()
            + " preprocessing is " + (preprocessor.isFitted() ? "fitted on " + preprocessor.width()
            + " features, but the network takes " + network.inputSize() : "not fitted"));
      }
    }
    String loss = saved.loss() != null ? saved.loss() : job.training().loss();
    Task task = Task.of(loss, network.outputSize());
    List<String> names = job.data().classNames();
    if (task.isClassification() && task != Task.MULTILABEL && !names.isEmpty()) {
      int classes = task == Task.MULTICLASS ? Math.max(2, network.outputSize() / network.outputPositions()) : 2;
      if (names.size() != classes) {
        throw new IllegalArgumentException("data.class_names lists " + names.size() + " names, but the model in "
            + path + " predicts " + classes + " classes");
      }
    } else {
      names = List.of();
    }
    return new ModelInput(path, saved, network, preprocessor, loss, task, names);
  }

  /** The model file at {@code location}: the file itself, or the model file inside a train output directory. */
  static Path locate(String location, Configuration conf) throws IOException {
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException("model file " + path + " does not exist (--model takes the model"
          + ModelFile.EXTENSION + " that 'dendrite train' writes into its output directory)");
    }
    if (fs.getFileStatus(path).isDirectory()) {
      Path inside = new Path(path, "model" + ModelFile.EXTENSION);
      if (!fs.exists(inside)) {
        throw new IllegalArgumentException("--model " + path + " is a directory without a model"
            + ModelFile.EXTENSION + "; pass the model file itself");
      }
      path = inside;
    }
    return path;
  }

  /** The class names as an array for {@link dev.dendrite.core.metrics.ConfusionMatrix#toTable}, or null. */
  String[] classNameArray() {
    return classNames.isEmpty() ? null : classNames.toArray(new String[0]);
  }
}
