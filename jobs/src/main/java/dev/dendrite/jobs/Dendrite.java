package dev.dendrite.jobs;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.spark.NoExecutorsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code dendrite train|evaluate|predict|benchmark|tune CONFIG [--set key=value]...},
 * {@code dendrite export --model PATH --output FILE} and {@code dendrite sample --model M --count N --output DIR}. Run by
 * {@code bin/dendrite} on a laptop or with {@code spark-submit --class dev.dendrite.jobs.Dendrite} on a
 * cluster. Bad input ends with a one-paragraph message and a non-zero exit code, never a stack trace.
 */
@Command(name = "dendrite", mixinStandardHelpOptions = true, version = "Dendrite 0.1.0",
    description = "Train neural networks data-parallel on Apache Spark.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ExportCommand.class,
        SampleCommand.class, BenchmarkCommand.class, TuneCommand.class, CommandLine.HelpCommand.class})
public final class Dendrite implements Runnable {

  /** Exit code for bad configuration or input files. */
  public static final int BAD_INPUT = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = execute(args);
    if (code != 0 || !inYarnClusterDriver()) {
      System.exit(code);
    }
  }

  /**
   * Whether this JVM is a YARN ApplicationMaster running the driver ({@code --deploy-mode cluster}). There
   * the application succeeds only when {@code main} returns: the ApplicationMaster reads any
   * {@code System.exit}, even with 0, as the driver ending before it reported a final status, and marks
   * the application FAILED. A non-zero exit there is meant to fail it. The ApplicationMaster sets both
   * properties before it calls {@code main}; in client mode the driver's JVM has no {@code spark.yarn.app.id}.
   */
  static boolean inYarnClusterDriver() {
    return "cluster".equals(System.getProperty("spark.submit.deployMode"))
        && System.getProperty("spark.yarn.app.id") != null;
  }

  /** Runs a command line and returns its exit code (for tests and spark-submit). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Dendrite());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof ConfigException || e instanceof IllegalArgumentException
          || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
        err.println("dendrite " + commandLine.getCommandName() + ": " + e.getMessage());
        err.flush();
        return BAD_INPUT;
      }
      if (e instanceof NoExecutorsException) { // the cluster, not the input: no trace, but not exit 0 or 2
        err.println("dendrite " + commandLine.getCommandName() + ": " + e.getMessage());
        err.flush();
        return 1;
      }
      err.println("dendrite " + commandLine.getCommandName() + " failed: " + e);
      e.printStackTrace(err);
      err.flush();
      return 1;
    });
    try {
      return cli.execute(args);
    } catch (org.apache.hadoop.fs.FSError e) { // a disk error that no writer turned into a named IOException
      PrintWriter err = cli.getErr();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("dendrite: a disk error while writing: " + cause.getMessage() + " (is the disk full?)");
      err.flush();
      return BAD_INPUT;
    }
  }
}
