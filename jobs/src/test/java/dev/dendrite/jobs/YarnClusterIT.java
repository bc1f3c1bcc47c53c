package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application jar on YARN, submitted as a Hadoop cluster's user submits it: an in-process
 * MiniYARNCluster (one ResourceManager, two NodeManagers) and MiniDFSCluster on this machine's loopback
 * address, a HADOOP_CONF_DIR written from their configuration, the breast-cancer data on {@code hdfs://},
 * and {@code spark-submit --master yarn --class dev.dendrite.jobs.Dendrite dendrite-jobs.jar ...} from a
 * SPARK_HOME of Spark's own jars (with spark-yarn; not our code). The driver runs in the YARN
 * ApplicationMaster ({@code --deploy-mode cluster}) or in the submitting JVM ({@code client}); the
 * executors run in containers the NodeManagers start. The containers find Spark through
 * {@code spark.yarn.jars=local:SPARK_HOME/jars/*} (present on every node, so nothing is uploaded).
 *
 * <p>Lean on purpose (two cores): one small data set, {@value #EPOCHS} epochs, one executor core each.
 */
class YarnClusterIT {

  private static final Path ROOT = Paths.get(System.getProperty("dendrite.root", "..")).toAbsolutePath().normalize();
  private static final Path JAR = Paths.get(System.getProperty("dendrite.jobs.jar", "target/dendrite-jobs.jar"));
  private static final Path LIB = Paths.get(System.getProperty("dendrite.jobs.lib", "target/lib"));
  private static final List<String> OPENS = Arrays.asList(System.getProperty("dendrite.spark.opens", "").trim().split("\\s+"));
  private static final String CONFIG = "breast-cancer-libsvm.yaml";
  /** Enough steps (12 per epoch) that an executor can be killed while the model trains. */
  private static final int EPOCHS = 8;
  private static final int TEST_ROWS = 114;

  private static Path work;
  private static Path sparkHome;
  private static Path hadoopConf;
  private static MiniDFSCluster dfs;
  private static MiniYARNCluster yarn;
  private static FileSystem fs;
  private static YarnClient resourceManager;
  private static String hdfs;
  /** The weights that cluster mode trained undisturbed, once trained. */
  private static float[] undisturbed;

  @BeforeAll
  static void startClusters() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the application jar " + JAR + " is built by 'mvn package' before this test");
    long begin = System.nanoTime();
    work = Files.createTempDirectory("dendrite-yarn-");
    sparkHome = work.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    try (Stream<Path> libs = Files.list(LIB)) {
      for (Path lib : (Iterable<Path>) libs::iterator) {
        // the cluster's Spark, built for YARN: everything Spark and Hadoop bring, not the libraries only we use
        if (!lib.getFileName().toString().startsWith("picocli")) {
          Files.createSymbolicLink(jars.resolve(lib.getFileName()), lib.toAbsolutePath());
        }
      }
    }
    try (Stream<Path> names = Files.list(jars)) {
      assertTrue(names.anyMatch(j -> j.getFileName().toString().startsWith("spark-yarn_")),
          "no spark-yarn jar in " + LIB + ": the jobs pom's provided spark-yarn dependency is copied there");
    }
    // every daemon and container addresses the others by MiniYARNCluster's host name: it must stay on this machine
    assertTrue(InetAddress.getByName(MiniYARNCluster.getHostname()).isLoopbackAddress(),
        MiniYARNCluster.getHostname() + " is not a loopback address");

    Configuration dfsConf = new Configuration();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
    dfsConf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    dfsConf.set("dfs.namenode.http-address", "127.0.0.1:0");
    dfsConf.set("dfs.datanode.address", "127.0.0.1:0");
    dfsConf.set("dfs.datanode.http.address", "127.0.0.1:0");
    dfsConf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    dfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
    fs = dfs.getFileSystem();
    hdfs = fs.getUri().toString();

    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", hdfs); // Spark's staging directory (application jar, __spark_conf__) is on HDFS
    conf.set(YarnConfiguration.RM_SCHEDULER,
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
    // a JVM's virtual and resident size overshoot its container's accounting; this machine is not shared by users
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // a NodeManager on a disk over 90% full (the default) marks itself unhealthy and gets no containers
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
    // quicker container grants and reports than a production cluster's one-second heartbeats
    conf.setLong(YarnConfiguration.RM_NM_HEARTBEAT_INTERVAL_MS, 250);
    yarn = new MiniYARNCluster("YarnClusterIT", 1, 2, 1, 1);
    yarn.init(conf);
    yarn.start();
    Configuration started = yarn.getConfig();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (started.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) { // the RM writes its port after start()
      assertTrue(System.nanoTime() < deadline, "the ResourceManager did not publish its address within 30 s");
      Thread.sleep(100);
    }
    assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the two NodeManagers did not register within 60 s");

    // HADOOP_CONF_DIR / YARN_CONF_DIR for spark-submit: where the RM and HDFS are. Spark ships this directory
    // to the ApplicationMaster and executors inside __spark_conf__.zip.
    hadoopConf = Files.createDirectories(work.resolve("hadoop-conf"));
    for (String name : List.of("core-site.xml", "yarn-site.xml")) {
      try (OutputStream out = Files.newOutputStream(hadoopConf.resolve(name))) {
        started.writeXml(out);
      }
    }
    resourceManager = YarnClient.createYarnClient();
    resourceManager.init(started);
    resourceManager.start();

    fs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
    for (String f : List.of("breast-cancer-train.libsvm", "breast-cancer-test.libsvm")) {
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(ROOT.resolve("examples/data").resolve(f).toUri()),
          new org.apache.hadoop.fs.Path("/data/" + f));
    }
    System.out.printf("YarnClusterIT: HDFS and YARN up in %.1f s%n", (System.nanoTime() - begin) / 1e9);
  }

  @AfterAll
  static void stopClusters() {
    if (resourceManager != null) {
      resourceManager.stop();
    }
    long begin = System.nanoTime();
    if (yarn != null) {
      // each NodeManager's stop waits ~10 s for its log handler's pending deletions (kept 3 h): both at once
      List<Thread> stops = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread t = new Thread(yarn.getNodeManager(i)::stop, "stop-nm-" + i);
        t.start();
        stops.add(t);
      }
      for (Thread t : stops) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      yarn.stop();
    }
    long yarnStopped = System.nanoTime();
    if (dfs != null) {
      dfs.shutdown();
    }
    System.out.printf("YarnClusterIT: YARN stopped in %.1f s, HDFS in %.1f s%n", (yarnStopped - begin) / 1e9,
        (System.nanoTime() - yarnStopped) / 1e9);
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete " + work + ": " + e);
      }
    }
  }

  /**
   * Cluster mode: the driver runs in the ApplicationMaster's container, reads the data from HDFS and
   * writes the model, metrics and report to HDFS; then {@code evaluate} (cluster mode) and
   * {@code predict} (client mode) apply the model from HDFS.
   */
  @Test
  void clusterModeTrainsFromHdfsToHdfsAndTheModelEvaluatesAndPredicts() throws Exception {
    String out = trainedInClusterMode();
    SavedModel model = readModel(out + "/model" + ModelFile.EXTENSION);
    assertEquals(30, model.toNetwork().inputSize());
    Map<String, Object> metrics = Json.parseObject(read(out + "/metrics.json"), "metrics.json");
    assertEquals("yarn", metrics.get("spark_master"), "metrics.json: " + metrics);
    assertEquals(EPOCHS, ((Number) metrics.get("epochs")).intValue(), "metrics.json: " + metrics);
    assertTrue(read(out + "/report.html").contains("<html"), "report.html is not a page");

    Submission evaluate = submit("cluster", "evaluate", 1, jobArgs("cluster", "evaluate", "--model", out));
    evaluate.assertSucceeded();
    Map<String, Object> evaluation = Json.parseObject(read(out + "/evaluation.json"), "evaluation.json");
    assertEquals(TEST_ROWS, ((Number) evaluation.get("examples")).intValue(), "evaluation.json: " + evaluation);
    assertTrue(evaluation.get("metrics") instanceof Map<?, ?> m && !m.isEmpty(), "evaluation.json: " + evaluation);
    evaluate.assertExecutorsRanInContainers(1);

    String predictions = hdfs + "/out/predictions";
    Submission predict = submit("client", "predict", 1,
        jobArgs("client", "predict", "--model", out + "/model" + ModelFile.EXTENSION, "--output", predictions,
            "--format", "csv"));
    predict.assertSucceeded();
    long rows = 0;
    for (FileStatus part : fs.listStatus(new org.apache.hadoop.fs.Path(predictions), p -> p.getName().endsWith(".csv"))) {
      rows += read(part.getPath().toString()).lines().skip(1).filter(l -> !l.isBlank()).count(); // a header each
    }
    assertEquals(TEST_ROWS, rows, "prediction rows in " + predictions);
    predict.assertExecutorsRanInContainers(1);
  }

  /**
   * Client mode, the driver in the submitting JVM: one executor's container is killed through the
   * ResourceManager once training has begun. Spark reruns the lost tasks, asks YARN for a new container,
   * and the model ends bit-identical to the undisturbed cluster-mode run of the same configuration.
   */
  @Test
  void aKilledExecutorContainerIsReplacedAndTheModelIsBitIdenticalToAnUndisturbedRun() throws Exception {
    float[] reference = readModel(trainedInClusterMode() + "/model" + ModelFile.EXTENSION).parameters();
    String out = hdfs + "/out/killed";
    Running run = start("client", "killed", 2, jobArgs("client", "train", "--output", out));
    ContainerId killed = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (killed == null && run.process.isAlive() && System.nanoTime() < deadline) {
      if (run.log().contains("steps per epoch")) { // the trainer's first line: the executors hold their data
        ApplicationReport app = application(run.name);
        ApplicationAttemptReport attempt = resourceManager.getApplicationAttemptReport(app.getCurrentApplicationAttemptId());
        for (ContainerReport c : resourceManager.getContainers(attempt.getApplicationAttemptId())) {
          if (!c.getContainerId().equals(attempt.getAMContainerId()) && killed == null) {
            killed = c.getContainerId();
          }
        }
        assertTrue(killed != null, "no executor container while training:\n" + tail(run.log()));
        resourceManager.signalToContainer(killed, SignalContainerCommand.FORCEFUL_SHUTDOWN);
      } else {
        Thread.sleep(100);
      }
    }
    assertTrue(killed != null, "training never began:\n" + tail(run.log()));
    Submission s = run.await();
    s.assertSucceeded();
    String text = s.text;
    int lost = text.indexOf("Lost executor");
    int trained = text.indexOf("dendrite train: ");
    assertTrue(lost >= 0,
        "the driver did not lose an executor before training ended" + " (killed " + killed + "):\n" + tail(text));
    assertTrue(lost < trained,
        "the driver did not lose an executor before training ended" + " (killed " + killed + "):\n" + tail(text));
    Map<String, String> executors = s.executorLogs();
    assertTrue(executors.size() >= 3, "Spark asked YARN for no new container after " + killed + " was killed: "
        + executors.keySet());
    assertArrayEquals(reference, readModel(out + "/model" + ModelFile.EXTENSION).parameters(),
        "the model after a killed container differs from the undisturbed run");
  }

  @Test
  void aMissingDataFileFailsTheApplicationWithTheJobsMessageAndWritesNothing() throws Exception {
    String missing = hdfs + "/data/no-such-file.libsvm";
    Submission s = submit("cluster", "missing-data", 1,
        jobArgs("cluster", "train", "--output", hdfs + "/out/missing-data", "--set", "data.train=" + missing));
    String driver = s.assertFailed();
    System.out.println("YarnClusterIT, the driver's message: " + messageLine(driver));
    assertTrue(driver.contains("dendrite train: "), "the driver log does not name " + missing + ":\n" + tail(driver));
    assertTrue(driver.contains(missing), "the driver log does not name " + missing + ":\n" + tail(driver));
    assertNothingWritten("missing-data");
  }

  @Test
  void anUnknownConfigKeyFailsTheApplicationWithTheJobsMessageAndWritesNothing() throws Exception {
    Submission s = submit("cluster", "unknown-key", 1,
        jobArgs("cluster", "train", "--output", hdfs + "/out/unknown-key", "--set", "training.epochz=2"));
    String driver = s.assertFailed();
    System.out.println("YarnClusterIT, the driver's message: " + messageLine(driver));
    assertTrue(driver.contains("dendrite train: training.epochz: unknown key"),
        "the driver log has no message for training.epochz:\n" + tail(driver));
    assertNothingWritten("unknown-key");
  }

  /** Trains once in cluster mode (the reference for the kill test too); returns the output directory. */
  private static synchronized String trainedInClusterMode() throws Exception {
    String out = hdfs + "/out/cluster";
    if (undisturbed == null) {
      Submission s = submit("cluster", "train", 2, jobArgs("cluster", "train", "--output", out));
      s.assertSucceeded();
      String driver = s.driverLog();
      assertTrue(driver.contains("dendrite train: " + EPOCHS + " epochs"), tail(driver));
      // the executors are other JVMs: the step's vectors go through Spark
      assertTrue(driver.contains("vectors travel through Spark"), tail(driver));
      s.assertExecutorsRanInContainers(2);
      undisturbed = readModel(out + "/model" + ModelFile.EXTENSION).parameters();
    }
    return out;
  }

  /**
   * The job's command line: in cluster mode the configuration reaches the driver's container through
   * {@code --files} and is named by its file name there; in client mode it is a local path.
   */
  private static List<String> jobArgs(String mode, String command, String... more) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.add(mode.equals("cluster") ? CONFIG : ROOT.resolve("conf").resolve(CONFIG).toString());
    args.addAll(List.of("--set", "data.train=" + hdfs + "/data/breast-cancer-train.libsvm",
        "--set", "data.test=" + hdfs + "/data/breast-cancer-test.libsvm"));
    if (command.equals("train")) {
      // all-reduce through Spark, whose data path across YARN containers this test checks
      args.addAll(List.of("--set", "training.epochs=" + EPOCHS, "--set", "distributed.mode=allreduce"));
    }
    args.addAll(List.of(more));
    return args;
  }

  private static Submission submit(String mode, String name, int executors, List<String> jobArgs) throws Exception {
    return start(mode, name, executors, jobArgs).await();
  }

  /**
   * Starts spark-submit as spark-class would: SPARK_HOME/jars and HADOOP_CONF_DIR on the class path.
   * Training gets two executors (the vectors cross JVMs); the other jobs one, to spare two busy cores.
   */
  private static Running start(String mode, String name, int executors, List<String> jobArgs) throws IOException {
    String appName = "dendrite-it-" + name;
    String javaOptions = String.join(" ", OPENS) + " --add-modules=jdk.incubator.vector";
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(OPENS);
    cmd.add("--add-modules=jdk.incubator.vector");
    cmd.add("-cp");
    cmd.add(hadoopConf + File.pathSeparator + sparkHome.resolve("jars") + File.separator + "*");
    cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", "yarn", "--deploy-mode", mode, "--name", appName,
        "--class", "dev.dendrite.jobs.Dendrite",
        "--num-executors", Integer.toString(executors), "--executor-cores", "1", "--executor-memory", "512m", "--driver-memory", "768m"));
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.yarn.jars", "local:" + sparkHome.resolve("jars") + "/*");
    conf.put("spark.yarn.maxAppAttempts", "1");
    conf.put("spark.yarn.am.memory", "512m");
    conf.put("spark.yarn.scheduler.heartbeat.interval-ms", "1000");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.driver.extraJavaOptions", javaOptions);
    conf.put("spark.executor.extraJavaOptions", javaOptions);
    conf.put("spark.yarn.am.extraJavaOptions", javaOptions);
    for (String prefix : List.of("spark.executorEnv.", "spark.yarn.appMasterEnv.")) {
      conf.put(prefix + "OPENBLAS_NUM_THREADS", "1");
      conf.put(prefix + "SPARK_LOCAL_IP", "127.0.0.1");
      conf.put(prefix + "JAVA_HOME", System.getProperty("java.home"));
    }
    if (mode.equals("client")) {
      conf.put("spark.driver.host", "127.0.0.1");
      conf.put("spark.driver.bindAddress", "127.0.0.1");
    } else {
      cmd.addAll(List.of("--files", ROOT.resolve("conf").resolve(CONFIG).toString()));
    }
    conf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    cmd.add(JAR.toAbsolutePath().toString());
    cmd.addAll(jobArgs);
    Path log = work.resolve(name + "-submit.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1", "OPENBLAS_NUM_THREADS", "1",
        "HADOOP_CONF_DIR", hadoopConf.toString(), "YARN_CONF_DIR", hadoopConf.toString()));
    return new Running(appName, mode, pb.start(), log);
  }

  /** A spark-submit still running. */
  private record Running(String name, String mode, Process process, Path logFile) {

    String log() throws IOException {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    }

    Submission await() throws Exception {
      boolean ended = process.waitFor(4, TimeUnit.MINUTES);
      if (!ended) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      String text = log();
      assertTrue(ended, "spark-submit " + name + " did not end within 4 minutes:\n" + tail(text));
      return new Submission(name, mode, process.exitValue(), text, endedApplication(name));
    }
  }

  /** An ended spark-submit: its exit code and output, and its application as the ResourceManager reports it. */
  private record Submission(String name, String mode, int exitCode, String text, ApplicationReport app) {

    void assertSucceeded() throws Exception {
      assertEquals(0, exitCode, () -> "spark-submit " + name + " failed:\n" + tail(text) + "\ndriver:\n" + driverTail());
      assertEquals(YarnApplicationState.FINISHED, app.getYarnApplicationState(), app.toString());
      assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), app.toString());
    }

    private String driverTail() {
      try {
        return tail(driverLog());
      } catch (Exception e) {
        return "(the driver log cannot be read: " + e + ")";
      }
    }

    /** Asserts that the application failed in YARN and returns its driver log. */
    String assertFailed() throws Exception {
      String driver = driverLog();
      assertNotEquals(0, exitCode, "spark-submit " + name + " succeeded:\n" + tail(text));
      assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus(), app + "\n" + tail(driver));
      assertFalse(driver.contains("\tat dev.dendrite."), "a stack trace instead of the job's message:\n" + tail(driver));
      return driver;
    }

    /** The driver's output: the ApplicationMaster container's logs in cluster mode, spark-submit's in client mode. */
    String driverLog() throws Exception {
      if (mode.equals("client")) {
        return text;
      }
      ContainerId am = resourceManager.getApplicationAttemptReport(app.getCurrentApplicationAttemptId()).getAMContainerId();
      return containerLogs(app.getApplicationId()).getOrDefault(am.toString(), "(no log of " + am + ")");
    }

    /** Each executor container's stderr, by container id. */
    Map<String, String> executorLogs() throws IOException {
      return containerLogs(app.getApplicationId()).entrySet().stream()
          .filter(e -> e.getValue().contains("YarnCoarseGrainedExecutorBackend"))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    void assertExecutorsRanInContainers(int atLeast) throws IOException {
      Map<String, String> executors = executorLogs();
      assertTrue(executors.size() >= atLeast, name + ": " + executors.size() + " executor containers, expected at least "
          + atLeast + ": " + containerLogs(app.getApplicationId()).keySet());
    }
  }

  /**
   * The application named {@code name} once the ResourceManager has recorded its end (or after 60 s): in
   * client mode spark-submit can exit while the ApplicationMaster is still unregistering, and the report
   * then still says RUNNING.
   */
  private static ApplicationReport endedApplication(String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    ApplicationReport app = application(name);
    while (!EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
        .contains(app.getYarnApplicationState()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      app = application(name);
    }
    return app;
  }

  /** The application that spark-submit named {@code name}. */
  private static ApplicationReport application(String name) throws Exception {
    return resourceManager.getApplications().stream().filter(a -> a.getName().equals(name))
        .reduce((a, b) -> a.getApplicationId().compareTo(b.getApplicationId()) > 0 ? a : b)
        .orElseThrow(() -> new AssertionError("no YARN application named " + name));
  }

  /** stdout and stderr of each container of the application, from the NodeManagers' log directories. */
  private static Map<String, String> containerLogs(ApplicationId app) throws IOException {
    Map<String, String> logs = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      for (String dir : yarn.getNodeManager(i).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
        Path appDir = Paths.get(dir.replaceFirst("^file:", "")).resolve(app.toString());
        if (!Files.isDirectory(appDir)) {
          continue;
        }
        try (Stream<Path> containers = Files.list(appDir)) {
          for (Path c : (Iterable<Path>) containers::iterator) {
            StringBuilder text = new StringBuilder();
            for (String f : List.of("stdout", "stderr")) {
              if (Files.isRegularFile(c.resolve(f))) {
                text.append(Files.readString(c.resolve(f), StandardCharsets.UTF_8));
              }
            }
            logs.put(c.getFileName().toString(), text.toString());
          }
        }
      }
    }
    return logs;
  }

  /** No output, temporary directory or claim of {@code name} under /out. */
  private static void assertNothingWritten(String name) throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/out");
    List<String> left = !fs.exists(dir) ? List.of() : Arrays.stream(fs.listStatus(dir))
        .map(f -> f.getPath().getName()).filter(n -> n.startsWith(name) || n.startsWith("." + name))
        .collect(Collectors.toList());
    assertEquals(List.of(), left, "left behind in " + hdfs + "/out");
  }

  private static SavedModel readModel(String path) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return ModelFile.read(in, path);
    }
  }

  private static String read(String path) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String messageLine(String log) {
    return log.lines().filter(l -> l.startsWith("dendrite train: ")).findFirst().orElse("(none)");
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
  }
}
