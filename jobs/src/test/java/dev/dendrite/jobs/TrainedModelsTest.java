package dev.dendrite.jobs;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the commands that apply a saved model: before the first test, {@code dendrite train} makes a
 * binary LibSVM model (in {@code dir/binary}) and a regression model (in {@code dir/regression}).
 */
abstract class TrainedModelsTest {

  @TempDir
  static Path dir;
  static Path data;
  static Path config;
  static Path regressionConfig;

  @BeforeAll
  static void trainModels() throws Exception {
    JobTestSupport.localMaster();
    data = JobTestSupport.binary01(dir);
    config = JobTestSupport.libsvmConfig(dir, data, dir.resolve("binary"));
    JobTestSupport.ok("train", config.toString());
    regressionConfig = JobTestSupport.regressionConfig(dir, dir.resolve("regression"));
    JobTestSupport.ok("train", regressionConfig.toString());
  }
}
