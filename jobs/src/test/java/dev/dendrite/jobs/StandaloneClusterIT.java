package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.core.io.SavedModel;
import dev.dendrite.core.network.Network;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application jar on a real standalone cluster, as a cluster user runs it: a Spark Master and a
 * Worker started as separate JVMs on 127.0.0.1 from the project's own Spark jars (a SPARK_HOME whose
 * {@code jars/} holds Spark and Hadoop only, not our code), then {@code spark-submit --class
 * dev.dendrite.jobs.Dendrite dendrite-jobs.jar train conf/breast-cancer-libsvm.yaml}. The job must find
 * everything else it needs inside the jar, and its executors run in JVMs the Worker forks.
 */
class StandaloneClusterIT {

  private static final Path ROOT = Paths.get(System.getProperty("dendrite.root", "..")).toAbsolutePath().normalize();
  private static final Path JAR = Paths.get(System.getProperty("dendrite.jobs.jar", "target/dendrite-jobs.jar"));
  private static final Path LIB = Paths.get(System.getProperty("dendrite.jobs.lib", "target/lib"));
  private static final List<String> OPENS = Arrays.asList(System.getProperty("dendrite.spark.opens", "").trim().split("\\s+"));

  private static Path work;
  private static Path sparkHome;
  private static Process master;
  private static Process worker;
  private static int masterPort;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the application jar " + JAR + " is built by 'mvn package' before this test");
    work = Files.createTempDirectory("dendrite-standalone-");
    sparkHome = work.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    try (Stream<Path> libs = Files.list(LIB)) {
      for (Path lib : (Iterable<Path>) libs::iterator) {
        // the cluster's Spark: everything Spark and Hadoop bring, but not the libraries only we use
        if (!lib.getFileName().toString().startsWith("picocli")) {
          Files.createSymbolicLink(jars.resolve(lib.getFileName()), lib.toAbsolutePath());
        }
      }
    }
    masterPort = freePort();
    master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
    awaitPort(masterPort, master, "master");
    worker = start("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
        "--webui-port", Integer.toString(freePort()), "--cores", "2", "--memory", "2g",
        "--work-dir", work.resolve("worker").toString(), "spark://127.0.0.1:" + masterPort);
  }

  @AfterAll
  static void stopCluster() {
    for (Process p : new Process[] {worker, master}) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete " + work + ": " + e);
      }
    }
  }

  @Test
  void sparkSubmitTrainsOnTheStandaloneClusterAndTheModelLoads() throws Exception {
    Path out = work.resolve("breast-cancer");
    String text = submit("spark://127.0.0.1:" + masterPort, out, "4", "allreduce");
    assertTrue(text.contains("dendrite train: 4 epochs"), tail(text));
    // executors in other JVMs: the step's vectors go through Spark (broadcast, task results)
    assertTrue(text.contains("vectors travel through Spark"), tail(text));

    // the model file appears, loads, and predicts from the 30 features the config declares
    SavedModel model = ModelFile.read(out.resolve("model" + ModelFile.EXTENSION));
    Network net = model.toNetwork();
    assertEquals(30, net.inputSize());
    float[] p = net.forward(new float[30], 0, 1, false, null);
    assertTrue(p[0] >= 0, "a probability: " + p[0]);
    assertTrue(p[0] <= 1, "a probability: " + p[0]);
    Map<String, Object> metrics = Json.parseObject(Files.readString(out.resolve("metrics.json")), "metrics.json");
    assertEquals("spark://127.0.0.1:" + masterPort, metrics.get("spark_master"));

    // the executors ran in JVMs the Worker started: each left its stderr under work-dir/app-*/N/
    try (Stream<Path> files = Files.walk(work.resolve("worker"))) {
      long executors = files.filter(f -> f.getFileName().toString().equals("stderr")).count();
      assertTrue(executors >= 1, "no executor directory under the worker's work dir");
    }
  }

  /**
   * The shipped config's {@code auto} mode on the standalone cluster: the Worker's two executors give a
   * task slot per partition, so the tasks train in one barrier job and all-reduce with each other over
   * TCP; the model is the one all-reduce through Spark trains, to the bit.
   */
  @Test
  void sparkSubmitTrainsCollectivelyOnTheStandaloneClusterToTheModelOfAllReduce() throws Exception {
    Path viaSpark = work.resolve("breast-cancer-allreduce");
    submit("spark://127.0.0.1:" + masterPort, viaSpark, "3", "allreduce");
    Path collective = work.resolve("breast-cancer-collective");
    String text = submit("spark://127.0.0.1:" + masterPort, collective, "3", "auto");
    assertTrue(text.contains("auto mode: collective (all 2 partitions run at once"), tail(text));
    assertTrue(text.contains("all 2 workers registered"), tail(text));
    assertArrayEquals(ModelFile.read(viaSpark.resolve("model" + ModelFile.EXTENSION)).parameters(),
        ModelFile.read(collective.resolve("model" + ModelFile.EXTENSION)).parameters());
  }

  /**
   * In local mode the application's classes come from the jar spark-submit loads, and the tasks, run
   * in the same JVM, must see the same classes for the in-process vector exchange to be chosen.
   */
  @Test
  void sparkSubmitInLocalModeHandsVectorsOverInProcess() throws Exception {
    Path out = work.resolve("breast-cancer-local");
    String text = submit("local[2]", out, "2", "allreduce");
    assertTrue(text.contains("dendrite train: 2 epochs"), tail(text));
    assertTrue(text.contains("vectors travel in-process"), tail(text));
    assertEquals(30, ModelFile.read(out.resolve("model" + ModelFile.EXTENSION)).toNetwork().inputSize());
  }

  /** spark-submit of the application jar's train job on {@code master}; returns its output once it ended with 0. */
  private static String submit(String master, Path out, String epochs, String mode) throws Exception {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--deploy-mode", "client",
        "--class", "dev.dendrite.jobs.Dendrite",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.cores=1",
        "--conf", "spark.cores.max=2",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", OPENS) + " --add-modules=jdk.incubator.vector",
        JAR.toAbsolutePath().toString(),
        "train", "conf/breast-cancer-libsvm.yaml", "--output", out.toString(), "--set", "training.epochs=" + epochs,
        "--set", "distributed.mode=" + mode));
    Path log = work.resolve(out.getFileName() + "-submit.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env());
    Process submit = pb.start();
    boolean ended = submit.waitFor(5, TimeUnit.MINUTES);
    String text = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended) {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly();
    }
    assertTrue(ended, "spark-submit did not end within 5 minutes:\n" + tail(text));
    assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + tail(text));
    return text;
  }

  private static Process start(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve(name + ".log").toFile());
    pb.environment().putAll(env());
    return pb.start();
  }

  /** java with Spark's module flags and SPARK_HOME/jars on the class path, as spark-class runs it. */
  private static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(OPENS);
    cmd.add("--add-modules=jdk.incubator.vector");
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + File.separator + "*");
    return cmd;
  }

  private static Map<String, String> env() {
    return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1", "OPENBLAS_NUM_THREADS", "1");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port, Process p, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited:\n" + tail(Files.readString(work.resolve(name + ".log"))));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(name + " did not listen on port " + port + " within 60 s");
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : "..." + text.substring(text.length() - 6000);
  }
}
