package dev.dendrite.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for tests, bound to 127.0.0.1: {@code local[2]} (executors in this JVM) and
 * {@code local-cluster[2,1,1024]} (two separate executor JVMs started from SPARK_HOME/jars, which the
 * build fills with the runtime classpath; our classes reach them through extraClassPath).
 */
final class SparkTestSupport {

  private SparkTestSupport() {
  }

  static SparkSession local(int cores) {
    return base("local[" + cores + "]").getOrCreate();
  }

  static SparkSession cluster() {
    return cluster(2);
  }

  /** {@code local-cluster[executors,1,1024]}: that many executor JVMs of one core each. */
  static SparkSession cluster(int executors) {
    String classpath = System.getProperty("dendrite.test.classpath");
    String opens = System.getProperty("dendrite.spark.opens", "");
    if (classpath == null || System.getenv("SPARK_HOME") == null) {
      throw new IllegalStateException("local-cluster tests need SPARK_HOME and -Ddendrite.test.classpath "
          + "(set by the spark-driver pom's surefire configuration)");
    }
    SparkSession spark = base("local-cluster[" + executors + ",1,1024]")
        .config("spark.executor.extraClassPath", classpath)
        .config("spark.executor.extraJavaOptions", opens + " --add-modules=jdk.incubator.vector")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .getOrCreate();
    awaitExecutors(spark, executors);
    return spark;
  }

  /** Waits (up to a minute per two executors) until {@code count} executors besides the driver have registered. */
  static void awaitExecutors(SparkSession spark, int count) {
    long deadline = System.nanoTime() + 30_000_000_000L * Math.max(2, count);
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < count + 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(count + " executors did not register within " + 30 * Math.max(2, count)
            + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static SparkSession.Builder base(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("dendrite-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", master.startsWith("local[") ? master.replaceAll("\\D", "") : "2");
  }
}
