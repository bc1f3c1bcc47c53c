package dev.dendrite.spark;

import dev.dendrite.core.linalg.BlasThreads;
import dev.dendrite.core.linalg.Gemms;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's warning that the training tasks an executor runs at once will compete with OpenBLAS's own
 * threads: each task's products start one BLAS thread per core unless the executors' environment says
 * otherwise ({@link BlasThreads}). The {@code dendrite} jobs set {@code spark.executorEnv.OPENBLAS_NUM_THREADS=1};
 * an application of its own (a Spark ML pipeline, say) may not.
 */
final class ExecutorBlasThreads {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorBlasThreads.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,.*");

  private ExecutorBlasThreads() {
  }

  /** Logs the warning, once per JVM, when {@code partitions} training tasks would compete so. */
  static void warnIfTasksCompete(SparkContext sc, String gemmName, int partitions) {
    if (sc.isLocal()) { // the tasks run in this JVM, whose OpenBLAS loaded with this environment
      Gemms.warnIfThreadsCompete(gemmName, Math.min(partitions, sc.defaultParallelism()));
      return;
    }
    int tasks = Math.min(partitions, tasksPerExecutor(sc.conf(), sc.master()));
    BlasThreads.competingThreadsWarning(tasks, tasks, executorEnvironment(sc.conf()))
        .filter(w -> WARNED.compareAndSet(false, true))
        .ifPresent(w -> LOG.warn("dendrite: on the executors, " + w));
  }

  /**
   * How many tasks one executor runs at once: its cores over each task's, where the settings or the
   * master say; YARN and Kubernetes give an executor one core unless told, a standalone worker all of its
   * cores (counted as 2 here: more than one).
   */
  static int tasksPerExecutor(SparkConf conf, String master) {
    int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    if (conf.contains("spark.executor.cores")) {
      return Math.max(1, conf.getInt("spark.executor.cores", 1) / taskCpus);
    }
    Matcher localCluster = LOCAL_CLUSTER.matcher(master);
    if (localCluster.matches()) {
      return Math.max(1, Integer.parseInt(localCluster.group(1)) / taskCpus);
    }
    return master.startsWith("spark://") ? 2 : 1;
  }

  /** The variables OpenBLAS reads, as {@code spark.executorEnv.*} sets them for the executors. */
  static Map<String, String> executorEnvironment(SparkConf conf) {
    Map<String, String> env = new HashMap<>();
    for (String name : BlasThreads.VARIABLES) {
      String key = "spark.executorEnv." + name;
      if (conf.contains(key)) {
        env.put(name, conf.get(key));
      }
    }
    return env;
  }
}
