package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dendrite benchmark} on the small LibSVM set: every figure present and sane, the table printed. */
class BenchmarkCommandTest {

  @BeforeAll
  static void localMaster() {
    JobTestSupport.localMaster();
  }

  @Test
  void timesOneJvmAndEachModeAndTheOverheads(@TempDir Path dir) throws Exception {
    Path config = JobTestSupport.libsvmConfig(dir, JobTestSupport.binary01(dir), dir.resolve("out"));
    Path out = dir.resolve("bench.json");
    JobTestSupport.Result r = JobTestSupport.ok("benchmark", config.toString(), "--epochs", "2",
        "--modes", "allreduce,averaging", "--trials", "2", "--repeats", "3", "--output", out.toString());
    Map<String, Object> results = Json.parseObject(Files.readString(out), out.toString());
    assertEquals(2, ((Number) results.get("partitions")).intValue());
    Map<?, ?> local = (Map<?, ?>) results.get("local");
    assertTrue(((Number) local.get("epoch_seconds")).doubleValue() > 0);
    assertTrue(((Number) local.get("test_accuracy")).doubleValue() > 0.7, local.toString());
    List<?> runs = (List<?>) results.get("distributed");
    assertEquals(2, runs.size());
    for (Object o : runs) {
      Map<?, ?> run = (Map<?, ?>) o;
      assertTrue(((Number) run.get("samples_per_second")).doubleValue() > 0, run.toString());
      double ratio = ((Number) run.get("epoch_time_ratio_to_local")).doubleValue();
      assertTrue(ratio > 0, run.toString());
      List<?> ratios = (List<?>) run.get("trials_epoch_time_ratio_to_local");
      assertEquals(2, ratios.size(), run.toString());
      // the median of two trials is their mean
      assertEquals((((Number) ratios.get(0)).doubleValue() + ((Number) ratios.get(1)).doubleValue()) / 2, ratio, 1e-9);
      assertTrue(run.containsKey("test_accuracy"), run.toString());
    }
    Map<?, ?> overhead = (Map<?, ?>) results.get("overhead");
    double floor = ((Number) overhead.get("trivial_job_ms")).doubleValue();
    double allReduce = ((Number) overhead.get("allreduce_overhead_ms")).doubleValue();
    assertTrue(floor > 0, overhead.toString());
    assertTrue(allReduce > 0, overhead.toString());
    assertEquals(allReduce / floor, ((Number) overhead.get("allreduce_overhead_ratio_to_trivial_job")).doubleValue(),
        1e-9);
    double publish = ((Number) overhead.get("publish_release_ms")).doubleValue();
    double readingJob = ((Number) overhead.get("job_reading_published_ms")).doubleValue();
    assertTrue(publish > 0, overhead.toString());
    assertTrue(readingJob > 0, overhead.toString());
    // the rest of the round trip, after publishing and the job that reads the vector: the way back and the sum
    assertEquals(Math.max(0, allReduce - publish - readingJob),
        ((Number) overhead.get("vectors_back_and_sum_ms")).doubleValue(), 1e-9, overhead.toString());
    // local mode hands vectors over in-process and also reports what Spark's own data path costs
    assertEquals("in-process", overhead.get("exchange"), overhead.toString());
    Map<?, ?> spark = (Map<?, ?>) overhead.get("through_spark");
    assertEquals("spark", spark.get("exchange"), overhead.toString());
    assertTrue(((Number) spark.get("allreduce_overhead_ms")).doubleValue() > 0, spark.toString());
    assertTrue(r.out().contains("in-process (by reference"), r.out());
    assertTrue(r.out().contains("through Spark (broadcast"), r.out());
    assertTrue(r.out().contains("| allreduce"), r.out());
    assertTrue(r.out().contains("| averaging"), r.out());
    assertTrue(r.out().contains("trivial job"), r.out());
  }

  @Test
  void refusesFewerThanTwoEpochs(@TempDir Path dir) throws Exception {
    Path config = JobTestSupport.libsvmConfig(dir, JobTestSupport.binary01(dir), dir.resolve("out"));
    JobTestSupport.Result r = JobTestSupport.run("benchmark", config.toString(), "--epochs", "1");
    assertEquals(Dendrite.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--epochs"), r.err());
  }
}
