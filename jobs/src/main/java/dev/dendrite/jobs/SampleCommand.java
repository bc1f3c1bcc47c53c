package dev.dendrite.jobs;

import dev.dendrite.core.network.Network;
import dev.dendrite.jobs.report.ImageGrid;
import dev.dendrite.spark.HadoopFiles;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dendrite sample --model M --count N --output DIR}: draws N codes z ~ N(0, I) and writes the images
 * a variational autoencoder's decoder makes of them as grey PNG files {@code sample-0000.png ...} (one file
 * pixel per output value, intensities in [0, 1] clipped), with {@code samples.json} naming the model, seed
 * and image size. Runs on the driver alone, no Spark job; the directory appears whole or not at all, as
 * every output does.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write images a variational autoencoder decodes from random codes z ~ N(0, I) as PNG files.")
public final class SampleCommand implements Callable<Integer> {

  /** The most images one call writes. */
  static final int MAX_COUNT = 100_000;

  @Option(names = "--model", paramLabel = "PATH", required = true,
      description = "the model file of a variational autoencoder (any Hadoop path), or its train output directory")
  String model;

  @Option(names = "--count", paramLabel = "N", defaultValue = "16",
      description = "how many images to write, 1.." + MAX_COUNT + " (default: ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--output", paramLabel = "DIR", required = true, description = "the directory to write")
  String output;

  @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
      description = "the seed of the codes: the same seed draws the same images (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--overwrite", description = "replace an existing output directory that Dendrite wrote")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("--count " + count + ": expected 1.." + MAX_COUNT + " images");
    }
    TrainingData.requireLocalFile(model, "model file");
    Configuration hadoop = new Configuration();
    Path path = ModelInput.locate(model, hadoop);
    Network network = HadoopFiles.readModel(path, hadoop).toNetwork();
    if (AutoencoderImages.samplingLayer(network) < 0) {
      throw new IllegalArgumentException("model file " + path + " has no sampling layer: only a variational "
          + "autoencoder's decoder draws images from codes z ~ N(0, I) (see conf/fashion-mnist-vae.yaml)");
    }
    int[] hw = AutoencoderImages.imageSize(network);
    if (hw == null) {
      throw new IllegalArgumentException("model file " + path + ": its input " + network.inputShape() + " and "
          + "output of " + network.outputSize() + " values are not one grey image ([1, h, w], [h, w] or a flat "
          + "square with as many outputs as inputs), so its samples cannot be written as images");
    }
    int size = hw[0] * hw[1];
    try (StagedOutput out = StagedOutput.begin(output, overwrite, "--output DIR", StagedOutput.Kind.DIRECTORY,
        "sample", hadoop)) {
      int batch = 256;
      for (int first = 0; first < count; first += batch) {
        int n = Math.min(batch, count - first);
        // each batch draws from its own stream, so the images do not depend on the batch size's history
        float[] images = AutoencoderImages.decodePrior(network, n, dev.dendrite.core.random.Rng.mix(seed, first));
        for (int i = 0; i < n; i++) {
          out.writeBytes(String.format(Locale.ROOT, "sample-%04d.png", first + i),
              ImageGrid.png(images, i * size, hw[0], hw[1]));
        }
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("model", path.toString());
      info.put("count", count);
      info.put("seed", seed);
      info.put("height", hw[0]);
      info.put("width", hw[1]);
      info.put("files", "sample-0000.png .. " + String.format(Locale.ROOT, "sample-%04d.png", count - 1));
      out.write("samples.json", dev.dendrite.core.io.Json.write(info, true));
      out.commit();
      System.out.println("dendrite sample: " + count + " images of " + hw[0] + "x" + hw[1] + " in " + out.target());
    }
    return 0;
  }
}
