package dev.dendrite.jobs;

import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.io.onnx.OnnxExport;
import dev.dendrite.spark.HadoopFiles;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dendrite export --model PATH --format onnx --output FILE}: writes a saved model, with its saved
 * preprocessing, as a standard ONNX model that takes the raw features {@code dendrite predict} takes. No
 * Spark: the model is read (any Hadoop path) and converted on this JVM; the output is a local file, written
 * under a temporary name and renamed.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a saved model (with its preprocessing) in a standard format for serving elsewhere.")
public final class ExportCommand implements Callable<Integer> {

  /** Export formats. */
  public enum Format { onnx }

  @Option(names = "--model", paramLabel = "PATH", required = true,
      description = "the model file (any Hadoop path), e.g. out/model.dndr; a train output directory works "
          + "too (required)")
  String model;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "onnx: ONNX opset " + OnnxExport.OPSET + ", IR version " + OnnxExport.IR_VERSION
          + "; input 'features' [batch, inputs], output 'output' [batch, outputs] (default: ${DEFAULT-VALUE})")
  Format format = Format.onnx;

  @Option(names = "--output", paramLabel = "FILE", required = true,
      description = "the local file to write, e.g. model.onnx (required)")
  java.nio.file.Path output;

  @Option(names = "--overwrite", description = "replace an existing output file (default: ${DEFAULT-VALUE})")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    java.nio.file.Path target = output.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException("--output " + output + " is a directory; name the file to write, e.g. "
          + output.resolve("model" + OnnxExport.EXTENSION));
    }
    if (Files.exists(target) && !overwrite) {
      throw new IllegalArgumentException("--output " + output + " already exists; pass --overwrite to replace it");
    }
    if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
      throw new IllegalArgumentException("--output " + output + ": directory " + target.getParent()
          + " does not exist");
    }
    Path path = modelPath(model, new Configuration());
    SavedModel saved = HadoopFiles.readModel(path, new Configuration());
    try {
      OnnxExport.write(saved, target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model file " + path + ": " + e.getMessage(), e);
    }
    System.out.println("dendrite export: " + path + " written as ONNX (opset " + OnnxExport.OPSET + ", IR version "
        + OnnxExport.IR_VERSION + ", " + Files.size(target) + " bytes) to " + target + "; input '"
        + OnnxExport.INPUT + "' [batch, " + saved.toNetwork().inputSize() + "] raw features"
        + (saved.preprocessing().isEmpty() ? "" : " (the saved preprocessing is in the graph)") + ", output '"
        + OnnxExport.OUTPUT + "' [batch, " + saved.toNetwork().outputSize() + "]");
    return 0;
  }

  /** {@code location}, or the model file inside it when it is a train output directory. */
  private static Path modelPath(String location, Configuration conf) throws java.io.IOException {
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
      return inside;
    }
    return path;
  }
}
