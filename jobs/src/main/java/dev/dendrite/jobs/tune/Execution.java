package dev.dendrite.jobs.tune;

import java.util.Locale;

/**
 * Where trials run, chosen before the first one starts. <b>Parallel</b>: one trial per Spark task slot,
 * each on one core with the local trainer over a copy of the data every executor holds once. That needs
 * the data once for the executor plus once per trial running there, within a quarter of the executor's
 * memory (Spark keeps about 60 % for storage and execution, and training needs room too):
 * {@code bytes × (slots per executor + 1) <= memory / 4}. Otherwise <b>distributed</b>: one trial after
 * another, each a distributed run over the cached blocks as {@code dendrite train} trains.
 *
 * @param parallel whether trials run as parallel local trials
 * @param reason   the rule's numbers, for the log line
 */
public record Execution(boolean parallel, String reason) {

  /**
   * The choice for data of {@code bytes} on executors of {@code executorMemory} bytes running
   * {@code slotsPerExecutor} tasks at once; {@code requested} is the space's {@code execution} setting.
   */
  public static Execution choose(String requested, long bytes, long executorMemory, int slotsPerExecutor) {
    long need = bytes * (slotsPerExecutor + 1L);
    long limit = executorMemory / 4;
    String numbers = String.format(Locale.ROOT, "data %s x (%d trials per executor + 1) = %s %s a quarter of "
        + "executor memory %s", mb(bytes), slotsPerExecutor, mb(need), need <= limit ? "<=" : ">", mb(executorMemory));
    switch (requested) {
      case "parallel":
        return new Execution(true, "execution: parallel in the space (" + numbers + ")");
      case "distributed":
        return new Execution(false, "execution: distributed in the space (" + numbers + ")");
      default:
        return new Execution(need <= limit, numbers);
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
