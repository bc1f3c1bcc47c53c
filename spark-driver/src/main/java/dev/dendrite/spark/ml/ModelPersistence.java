package dev.dendrite.spark.ml;

import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import dev.dendrite.spark.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiFunction;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * ML persistence of the network models ({@link NeuralNetworkModel}): Spark's standard metadata (class,
 * uid, params) in {@code path/metadata}, and the network as a documented Dendrite model file in
 * {@code path/data/model.dndr} — never Java serialization.
 */
final class ModelPersistence {

  static final String DATA_FILE = "data/model.dndr";

  private ModelPersistence() {
  }

  static final class Writer extends MLWriter {
    private final Params instance;
    private final Network network;

    Writer(Params instance, Network network) {
      this.instance = instance;
      this.network = network;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
      try {
        HadoopFiles.writeModel(SavedModel.of(network), new Path(path, DATA_FILE),
            sparkSession().sparkContext().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + path + ": " + e.getMessage(), e);
      }
    }
  }

  static final class Reader<M extends Params> extends MLReader<M> {
    private final BiFunction<String, Network, M> factory;

    Reader(BiFunction<String, Network, M> factory) {
      this.factory = factory;
    }

    @Override
    public M load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession());
      SavedModel saved;
      try {
        saved = HadoopFiles.readModel(new Path(path, DATA_FILE), sparkSession().sparkContext().hadoopConfiguration());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the model from " + path + ": " + e.getMessage(), e);
      }
      M model = factory.apply(metadata.uid(), saved.toNetwork());
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }
  }
}
