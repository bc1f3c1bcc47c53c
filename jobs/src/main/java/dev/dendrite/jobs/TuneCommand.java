package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.io.Json;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.History;
import dev.dendrite.jobs.report.TuneHtml;
import dev.dendrite.jobs.tune.Execution;
import dev.dendrite.jobs.tune.ResultsTable;
import dev.dendrite.jobs.tune.Search;
import dev.dendrite.jobs.tune.SearchSpace;
import dev.dendrite.jobs.tune.Trial;
import dev.dendrite.jobs.tune.TrialResult;
import dev.dendrite.spark.data.Blocks;
import dev.dendrite.spark.DistributedTrainer;
import dev.dendrite.spark.ExecutorWatchdog;
import dev.dendrite.spark.tune.LocalTrials;
import dev.dendrite.spark.data.TrainingData;
import dev.dendrite.spark.tune.TrialData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dendrite tune CONFIG --space SPACE.yaml --output DIR}: searches the space's config keys (grid,
 * random or successive halving), training each trial on the config's data and scoring it on the
 * held-out rows; writes the results table (JSON, CSV), the best configuration as a YAML file that
 * {@code dendrite train} runs, and {@code tune.html}. Small data trains one trial per Spark task slot with
 * the local trainer; data too large for that trains one trial after another as distributed runs (see
 * {@link Execution}). Every trial's configuration is checked before Spark starts.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Search hyperparameters: train the configurations a space file describes and keep the best.")
public final class TuneCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(TuneCommand.class);

  @Parameters(index = "0", paramLabel = "CONFIG", description = "the job configuration the trials start from")
  Path config;

  @Option(names = "--space", required = true, paramLabel = "SPACE",
      description = "the search space (YAML), e.g. conf/breast-cancer-space.yaml")
  Path spaceFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a configuration key (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--output", paramLabel = "DIR", description = "output directory (default: output.dir + '-tune')")
  String output;

  @Option(names = "--overwrite", description = "replace an existing output directory (default: ${DEFAULT-VALUE})")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    JobConfig job = JobConfig.load(config, overrides);
    SearchSpace space = SearchSpace.read(spaceFile, ConfigFiles.load(spaceFile));
    long seed = space.seed() != null ? space.seed() : job.training().seed();
    TrialConfigs trials = TrialConfigs.of(job.tree(), space, seed, spaceFile.toString(), TrainingData::checkTargets);
    String outDir = output != null ? output : job.outputDir() + "-tune";
    TrainCommand.checkLocalInputs(job);
    SparkSession spark = JobSession.start(job, "tune");
    try {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      try (StagedOutput out = StagedOutput.begin(outDir, overwrite, "--output DIR", StagedOutput.Kind.DIRECTORY,
          "tune", hadoop);
           ExecutorWatchdog watchdog = ExecutorWatchdog.wholeCommand(spark.sparkContext(),
               job.distributed().executorTimeoutSeconds())) {
        String summary;
        try {
          summary = tune(spark, job, space, seed, trials, out);
        } catch (FSError e) {
          throw out.diskError(e);
        }
        out.commit();
        System.out.println(summary + "; results in " + out.target());
      }
    } finally {
      spark.stop();
    }
    return 0;
  }

  private String tune(SparkSession spark, JobConfig job, SearchSpace space, long seed, TrialConfigs trials,
                      StagedOutput out) throws IOException {
    long start = System.nanoTime();
    Network base = new Network(job.network()).initialize(job.training().seed());
    TrainingData data = TrainingData.load(spark, job.data(), job.training(), base, JobSession.partitions(spark, job));
    LocalTrials local = null;
    try {
      if (data.validation == null) {
        throw new ConfigException("training.validation_split", "tune scores every trial on held-out rows: set it "
            + "above 0 (e.g. 0.2) in " + config);
      }
      long validationExamples = Blocks.tally(data.validation).examples();
      int targetWidth = job.training().createLoss().targetWidth(base.outputSize());
      long bytes = TrialData.estimatedBytes(data.trainExamples + validationExamples, base.inputSize(), targetWidth);
      Execution execution = execution(spark, space.execution(), bytes);
      PrintStream console = System.out;
      String how = execution.parallel() ? "in parallel as Spark tasks, one per task slot, each on one core with the "
          + "local trainer" : "one after another as distributed runs";
      console.printf(Locale.ROOT, "dendrite tune: %s search, %d configurations, %s (%s); trials run %s (%s)%n",
          space.method(), trials.configurations().size(), space.metric(), space.maximize() ? "maximize" : "minimize",
          how, execution.reason());
      LOG.info("tune: trials run {} ({})", how, execution.reason());
      if (execution.parallel()) {
        local = new LocalTrials(JavaSparkContext.fromSparkContext(spark.sparkContext()),
            TrialData.collect(data.train, data.validation));
      }
      List<Integer> rungs = space.method().equals("halving")
          ? Search.rungEpochs(space.minEpochs(), job.training().epochs(), space.factor())
          : List.of(job.training().epochs());
      List<TrialResult> all = new ArrayList<>();
      List<Integer> alive = new ArrayList<>();
      for (int i = 0; i < trials.configurations().size(); i++) {
        alive.add(i);
      }
      Progress progress = new Progress(space, console);
      List<TrialResult> last = List.of();
      for (int rung = 0; rung < rungs.size(); rung++) {
        List<Trial> batch = new ArrayList<>();
        for (int i : alive) {
          batch.add(new Trial(i, trials.configurations().get(i), rung, rungs.get(rung)));
        }
        progress.rung(rung, rungs.size(), batch.size());
        last = execution.parallel() ? runLocal(local, trials, batch, space, progress)
            : runDistributed(job, data, trials, batch, space, progress);
        all.addAll(last);
        List<TrialResult> ranked = Search.ranked(last, space);
        alive = new ArrayList<>();
        for (TrialResult r : ranked.subList(0, Search.survivors(ranked.size(), space.factor()))) {
          alive.add(r.trial().index());
        }
      }
      TrialResult best = Search.ranked(last, space).get(0);
      double seconds = (System.nanoTime() - start) / 1e9;
      write(out, spark, job, space, seed, execution, all, best, seconds);
      String value = Double.isNaN(best.value()) ? "no trial measured it (all diverged?)"
          : String.format(Locale.ROOT, "%s %.4f", space.metric(), best.value());
      return String.format(Locale.ROOT, "dendrite tune: %d trials in %.1f s; best: trial %d, %s (%s)", all.size(),
          seconds, best.trial().index(), value, best.trial().label());
    } finally {
      if (local != null) {
        local.close();
      }
      data.release();
    }
  }

  private List<TrialResult> runLocal(LocalTrials local, TrialConfigs trials, List<Trial> batch, SearchSpace space,
                                     Progress progress) {
    List<LocalTrials.Spec> specs = new ArrayList<>();
    Map<Integer, Trial> byIndex = new LinkedHashMap<>();
    for (Trial t : batch) {
      Map<String, Object> tree = trials.tree(t.index(), t.epochs());
      specs.add(new LocalTrials.Spec(t.index(), section(tree, "network"), section(tree, "training"), t.label()));
      byIndex.put(t.index(), t);
    }
    List<TrialResult> results = new ArrayList<>();
    for (LocalTrials.Outcome o : local.run(specs, o -> progress.finished(score(byIndex.get(o.index()), o, space)))) {
      results.add(score(byIndex.get(o.index()), o, space));
    }
    return results;
  }

  private static TrialResult score(Trial t, LocalTrials.Outcome o, SearchSpace space) {
    return TrialResult.of(t, History.fromMap(o.history()), o.seconds(), o.executor(), space.metric());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> tree, String name) {
    Object s = tree.get(name);
    return s instanceof Map ? (Map<String, Object>) s : new LinkedHashMap<>();
  }

  private List<TrialResult> runDistributed(JobConfig job, TrainingData data, TrialConfigs trials, List<Trial> batch,
                                           SearchSpace space, Progress progress) {
    List<TrialResult> results = new ArrayList<>();
    for (Trial t : batch) {
      JobConfig trial = JobConfig.read(trials.tree(t.index(), t.epochs()));
      Network network = new Network(trial.network()).initialize(trial.training().seed());
      long start = System.nanoTime();
      History history = new DistributedTrainer(trial.training(), job.distributed())
          .fitBlocks(network, data.train, data.validation);
      TrialResult r = TrialResult.of(t, history, (System.nanoTime() - start) / 1e9, "distributed", space.metric());
      progress.finished(r);
      results.add(r);
    }
    return results;
  }

  /** The {@link Execution} rule with this cluster's executor memory and task slots per executor. */
  static Execution execution(SparkSession spark, String requested, long bytes) {
    SparkConf conf = spark.sparkContext().getConf();
    boolean localMode = spark.sparkContext().master().startsWith("local");
    long memory = localMode ? Runtime.getRuntime().maxMemory() : conf.getSizeAsBytes("spark.executor.memory", "1g");
    int slots = localMode ? spark.sparkContext().defaultParallelism()
        : Math.max(1, conf.getInt("spark.executor.cores", 1) / Math.max(1, conf.getInt("spark.task.cpus", 1)));
    return Execution.choose(requested, bytes, memory, slots);
  }

  private void write(StagedOutput out, SparkSession spark, JobConfig job, SearchSpace space, long seed,
                     Execution execution, List<TrialResult> all, TrialResult best, double seconds) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("config", config.toString());
    json.put("space", spaceFile.toString());
    json.put("method", space.method());
    json.put("metric", space.metric());
    json.put("goal", space.maximize() ? "maximize" : "minimize");
    json.put("seed", seed);
    json.put("execution", execution.parallel() ? "parallel" : "distributed");
    json.put("execution_reason", execution.reason());
    json.put("seconds", seconds);
    json.put("best", ResultsTable.row(best, false));
    List<Object> rows = new ArrayList<>();
    for (TrialResult r : all) {
      rows.add(ResultsTable.row(r, true));
    }
    json.put("trials", rows);
    out.write("results.json", Json.write(json, true));
    out.write("results.csv", ResultsTable.csv(space, all));
    Redaction redaction = Redaction.of(spark.sparkContext().getConf());
    Map<String, Object> bestTree = TrialConfigs.apply(job.tree(), best.trial().settings(), null);
    String header = String.format(Locale.ROOT, "# The best of %d trials of dendrite tune (%s search over %s), "
        + "%s %s at epoch %d.%n#   bin/dendrite train best.yaml%n", all.size(), space.method(), spaceFile,
        space.metric(), Double.isNaN(best.value()) ? "not measured" : String.format(Locale.ROOT, "%.6g", best.value()),
        best.scoredEpoch());
    out.write("best.yaml", header + ConfigFiles.toYaml(redaction.config(bestTree)));
    out.write("tune.html", TuneHtml.write(config.getFileName().toString(), space, all, best,
        execution.parallel() ? "in parallel as Spark tasks" : "one after another as distributed runs", seconds));
  }

  /** One line per finished trial, with the best so far. */
  static final class Progress {
    private final SearchSpace space;
    private final PrintStream out;
    private int done;
    private int total;
    private int rung;
    private int rungs;
    private TrialResult best;

    Progress(SearchSpace space, PrintStream out) {
      this.space = space;
      this.out = out;
    }

    void rung(int rung, int rungs, int trials) {
      this.rung = rung;
      this.rungs = rungs;
      this.total = trials;
      this.done = 0;
      this.best = null;
    }

    void finished(TrialResult r) {
      done++;
      if (best == null || space.better(r.value(), best.value())
          || (r.value() == best.value() && r.trial().index() < best.trial().index())) {
        best = r;
      }
      String value = Double.isNaN(r.value()) ? "-" : String.format(Locale.ROOT, "%.4f", r.value());
      String bestValue = Double.isNaN(best.value()) ? "-" : String.format(Locale.ROOT, "%.4f", best.value());
      out.printf(Locale.ROOT, "[%d/%d] trial %d%s: %s %s | %s | %d epochs, %.1f s, %s | best %s (trial %d)%n", done,
          total, r.trial().index(), rungs > 1 ? String.format(Locale.ROOT, " [rung %d/%d, %d epochs]", rung + 1, rungs,
              r.trial().epochs()) : "", space.metric(), value, r.trial().label(), r.epochsRun(), r.seconds(),
          r.stopReason().startsWith("diverged") ? "diverged" : "on executor " + r.executor(), bestValue,
          best.trial().index());
    }
  }
}
