package dev.dendrite.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.data.CsvReader;
import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.LibSvmReader;
import dev.dendrite.core.data.Preprocessor;
import dev.dendrite.core.data.Splits;
import dev.dendrite.core.data.StandardScaler;
import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.ShallowModel;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.random.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end from files: logistic regression on a LibSVM file and a regression network on a CSV
 * file, with preprocessing fitted on the training split, the history written as JSON, and the model
 * saved with its preprocessing and reloaded to predict the same values.
 */
class FileTrainingTest {

  private static Path resource(String name) throws Exception {
    return Paths.get(FileTrainingTest.class.getResource("/data/" + name).toURI());
  }

  @Test
  void logisticRegressionFromLibSvm(@TempDir Path dir) throws Exception {
    Dataset all = LibSvmReader.read(resource("binary.libsvm"),
        LibSvmReader.Options.defaults().withSignedToBinary(true));
    List<Dataset> parts = Splits.stratified(all, new Rng(1), 0.8, 0.2);
    ShallowModel model = ShallowModel.logisticRegression(all.featureWidth());
    TrainingConfig config = TrainingConfig.of("binary_crossentropy", OptimizerConfig.sgd(0.5))
        .withBatchSize(16).withEpochs(40).withSeed(3);
    History history = new LocalTrainer(config).fit(model.network(), parts.get(0), parts.get(1));
    double accuracy = history.last().metric("val_accuracy");
    // labels are the sign of a linear function with 5 % of them flipped: about 95 % is the ceiling
    assertTrue(accuracy > 0.85, "validation accuracy " + accuracy);
    Path json = dir.resolve("history.json");
    history.writeJson(json);
    Map<String, Object> read = Json.parseObject(Files.readString(json), json.toString());
    assertEquals(40, ((List<?>) read.get("epochs")).size());
  }

  @Test
  void regressionFromCsvSavedAndReloaded(@TempDir Path dir) throws Exception {
    Dataset all = CsvReader.read(resource("regression.csv"),
        CsvReader.Options.defaults().withLabel("y").withTargetKind(Dataset.TargetKind.REGRESSION));
    List<Dataset> parts = Splits.random(all, new Rng(2), 0.8, 0.2);
    Dataset train = parts.get(0);
    Dataset test = parts.get(1);
    Preprocessor scaler = new StandardScaler().fit(train);
    scaler.transform(train);
    scaler.transform(test);
    Network net = Network.builder(3).dense(16, "tanh").dense(1).seed(5).build();
    TrainingConfig config = TrainingConfig.of("mse", OptimizerConfig.adam(0.01)).withBatchSize(32).withEpochs(60)
        .withSeed(5);
    History history = new LocalTrainer(config).fit(net, train, test);
    double mse = history.last().metric("val_mse");
    assertTrue(mse < 0.1, "validation MSE " + mse + " (the file's noise variance is about 0.01)");

    Path file = dir.resolve("regression" + ModelFile.EXTENSION);
    ModelFile.write(SavedModel.of(net).withLoss("mse").withPreprocessing(scaler.toMap())
        .withTraining(Map.of("seed", 5, "data", all.description(), "val_mse", mse)), file);
    SavedModel saved = ModelFile.read(file);
    Network reloaded = saved.toNetwork();
    Preprocessor restored = Preprocessor.fromMap(saved.preprocessing());
    float[] raw = {0.3f, -1.2f, 0.5f};
    float[] a = raw.clone();
    scaler.transform(a, 0, 1);
    float[] b = raw.clone();
    restored.transform(b, 0, 1);
    assertArrayEquals(a, b);
    assertArrayEquals(net.predict(a), reloaded.predict(b));
  }
}
