package dev.dendrite.jobs;

import dev.dendrite.core.io.Json;
import dev.dendrite.core.io.ModelFile;
import dev.dendrite.spark.HadoopFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output (a directory or one JSON file, on any Hadoop file system) that appears whole or not at all,
 * never replaces what it should not, and never races another run for the same target.
 *
 * <p>The life of an output {@code DIR/NAME}:
 * <ol>
 * <li><b>Claim.</b> {@link #begin} creates the claim file {@code DIR/.NAME.dendrite-lock} exclusively (an
 *     atomic create-if-absent: {@code O_EXCL} on the local file system, HDFS's create without overwrite
 *     elsewhere), holding JSON that names the run: command, host, pid, process start, start time. A second
 *     run for the same target finds a live claim and fails at once, naming the first run; so two
 *     concurrent runs can never both report success, with or without {@code --overwrite}. While the run
 *     lives, a daemon thread touches the claim every {@value #HEARTBEAT_MILLIS} ms.</li>
 * <li><b>Stale leftovers.</b> A claim is stale when its process is gone (same host: the pid is not
 *     running, or runs a process started at another instant) or when it has not been touched for
 *     {@value #STALE_MILLIS} ms (another host: a {@code kill -9}ed driver stops its heartbeat; the age is
 *     generous so that clock skew and a long GC pause do not count as death). A stale claim is taken over.
 *     Holding the claim proves that no live run writes to this target, so every temporary name of the
 *     target ({@code .NAME.tmp-*}, {@code .NAME.old-*}) left by an interrupted run is then removed.</li>
 * <li><b>Stage.</b> The job writes to {@code DIR/.NAME.tmp-RUN}, a sibling of the target.</li>
 * <li><b>Commit.</b> {@link #commit} writes the marker (a {@value #MARKER} file into a directory, a
 *     {@value #MARKER_FIELD} field into a JSON file: which command wrote it, when), checks that the claim
 *     is still this run's, and renames the temporary output into place with a rename that never replaces
 *     (Hadoop's own local rename would move a directory <i>inside</i> an existing one). If the target
 *     appeared meanwhile and {@code --overwrite} was not given, the commit fails and nothing is replaced.
 *     With {@code --overwrite} the old output is first renamed aside to {@code .NAME.old-RUN} (put back if
 *     the new one cannot be renamed in), then deleted.</li>
 * <li><b>Only our own.</b> {@code --overwrite} replaces only a Dendrite output (a directory with the
 *     marker file, a JSON file with the marker field or the shape of an older {@code evaluate} or
 *     {@code benchmark} result) or an
 *     empty directory; anything else is refused, named, before the job starts and again at commit.</li>
 * <li><b>Close.</b> {@link #close} deletes the temporary output unless committed, and releases the claim
 *     if it is still this run's.</li>
 * </ol>
 * A disk error while writing ({@link FSError}, which Hadoop throws as an {@code Error}) becomes an
 * {@link IOException} naming the file (see {@link #diskError}).
 */
final class StagedOutput implements AutoCloseable {

  /** The marker file in every output directory Dendrite commits. */
  static final String MARKER = ".dendrite-output";

  /** The marker field in every JSON file output Dendrite commits. */
  static final String MARKER_FIELD = "dendrite_output";

  static final long HEARTBEAT_MILLIS = 60_000;

  static final long STALE_MILLIS = 15 * 60_000;

  /** A JSON file larger than this is not an output of ours (and is not read to find out). */
  private static final long MAX_JSON_BYTES = 64L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(StagedOutput.class);

  /** What an output is. */
  enum Kind {
    /** A directory that {@link #begin} creates and the job fills. */
    DIRECTORY,
    /** A directory that a writer creates itself (e.g. Spark's): its temporary path is left free. */
    WRITER_DIRECTORY,
    /** One JSON file, written by {@link #writeJson}. */
    JSON_FILE
  }

  private final FileSystem fs;
  private final Path target;
  private final Path tmp;
  private final Kind kind;
  private final boolean overwrite;
  private final String choices;
  private final String command;
  private final Claim claim;
  private final ScheduledExecutorService heartbeat;
  private boolean committed;

  private StagedOutput(FileSystem fs, Path target, Kind kind, boolean overwrite, String choices, String command,
                       Claim claim) {
    this.fs = fs;
    this.target = target;
    this.kind = kind;
    this.overwrite = overwrite;
    this.choices = choices;
    this.command = command;
    this.claim = claim;
    this.tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + claim.run);
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dendrite-output-claim " + target);
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts an output at {@code target} for {@code dendrite COMMAND}: refuses an existing target unless
   * {@code overwrite} (and then anything but a Dendrite output or an empty directory), naming
   * {@code choices} (e.g. {@code --output DIR or output.dir}) as the way to pick another; claims the
   * target, removes what interrupted runs left, and creates the temporary directory for
   * {@link Kind#DIRECTORY}.
   */
  static StagedOutput begin(String target, boolean overwrite, String choices, Kind kind, String command,
                            Configuration conf) throws IOException {
    Path given = new Path(target);
    FileSystem fs = given.getFileSystem(conf);
    Path path = fs.makeQualified(given); // "." and relative paths become absolute, so they have a parent
    if (path.getParent() == null) {
      throw new IllegalArgumentException("the output " + target + " is the root of " + fs.getUri()
          + ": choose a directory below it (" + choices + ")");
    }
    if (fs.exists(path)) {
      if (!overwrite) {
        throw new IllegalArgumentException(describe(fs, path) + " exists; choose another (" + choices
            + ") or pass --overwrite to replace it");
      }
      checkReplaceable(fs, path, kind, choices);
    }
    Path parent = path.getParent();
    if (!fs.exists(parent)) {
      fs.mkdirs(parent);
    }
    Claim claim = Claim.acquire(fs, path, command, choices);
    StagedOutput out = null;
    try {
      out = new StagedOutput(fs, path, kind, overwrite, choices, command, claim);
      out.removeLeftovers();
      if (kind == Kind.DIRECTORY && !fs.mkdirs(out.tmp)) {
        throw new IOException("cannot create the temporary directory " + out.tmp);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        out.close();
      } else {
        claim.release(fs);
      }
      throw e;
    }
  }

  /** Where the job writes: a temporary sibling of the target. */
  Path tmp() {
    return tmp;
  }

  /** Where the output appears after {@link #commit}. */
  Path target() {
    return target;
  }

  /** Writes a UTF-8 text file {@code name} into the temporary directory. */
  void write(String name, String text) throws IOException {
    writeText(new Path(tmp, name), text);
  }

  /** Writes a binary file {@code name} (e.g. a PNG image) into the temporary directory. */
  void writeBytes(String name, byte[] bytes) throws IOException {
    Path file = new Path(tmp, name);
    try (OutputStream out = fs.create(file, true)) {
      out.write(bytes);
    } catch (FSError e) {
      throw diskError(file, e);
    }
  }

  /** Writes {@code json} (an object) with the marker field as the temporary file itself. */
  void writeJson(Map<String, Object> json) throws IOException {
    Map<String, Object> marked = new LinkedHashMap<>(json);
    marked.put(MARKER_FIELD, marker());
    writeText(tmp, Json.write(marked, true));
  }

  private void writeText(Path file, String text) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (FSError e) {
      throw diskError(file, e);
    }
  }

  /**
   * The error to report for a disk error while writing {@code file} (or somewhere below it): Hadoop throws
   * {@link FSError} (an {@code Error}) when the local disk fails, e.g. when it is full.
   */
  static IOException diskError(Path file, FSError e) {
    return HadoopFiles.diskError(file, e);
  }

  /** The disk error ({@link FSError}) in {@code t}'s chain of causes, or null. */
  static FSError diskErrorIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FSError e) {
        return e;
      }
    }
    return null;
  }

  /** {@link #diskError} for a write somewhere in the temporary output. */
  IOException diskError(FSError e) {
    return diskError(tmp, e);
  }

  /** Puts the temporary output in place of the target; see the class comment for what it refuses. */
  void commit() throws IOException {
    if (!fs.exists(tmp)) {
      throw new IOException("nothing was written to " + tmp);
    }
    if (kind != Kind.JSON_FILE) {
      write(MARKER, Json.write(marker(), true));
    }
    claim.verify(fs, target);
    Path old = null;
    if (fs.exists(target)) {
      if (!overwrite) {
        throw new IOException(describe(fs, target) + " appeared while this run was writing it (another program "
            + "made it); nothing was replaced and this run's output is discarded; choose another (" + choices
            + ") or pass --overwrite");
      }
      checkReplaceable(fs, target, kind, choices);
      old = new Path(target.getParent(), "." + target.getName() + ".old-" + claim.run);
      renameNoReplace(fs, target, old);
    }
    try {
      renameNoReplace(fs, tmp, target);
    } catch (IOException e) {
      if (old != null && !fs.exists(target)) {
        renameNoReplace(fs, old, target);
        old = null;
      }
      if (fs.exists(target)) {
        throw new IOException(describe(fs, target) + " appeared while this run was committing it; nothing was "
            + "replaced and this run's output is discarded; choose another (" + choices + ")", e);
      }
      throw new IOException("cannot rename " + tmp + " to " + target + ": " + e.getMessage(), e);
    } finally {
      if (old != null && fs.exists(old) && fs.exists(target)) {
        fs.delete(old, true);
      }
    }
    committed = true;
  }

  /** Deletes the temporary output unless it was committed, and releases the claim. */
  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    try {
      if (!committed && fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    } finally {
      claim.release(fs);
    }
  }

  /** Touches the claim so that other runs see this one alive (run every {@value #HEARTBEAT_MILLIS} ms). */
  void heartbeat() {
    try {
      fs.setTimes(claim.file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot touch the output claim {}: {}", claim.file, e.toString());
    }
  }

  private Map<String, Object> marker() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "dendrite " + command);
    m.put("version", ModelFile.LIBRARY_VERSION);
    m.put("written", Instant.now().toString());
    m.put("host", Claim.HOST);
    return m;
  }

  /** Removes the temporary names of this target that interrupted runs left (the claim proves them stale). */
  private void removeLeftovers() throws IOException {
    String tmpPrefix = "." + target.getName() + ".tmp-";
    String oldPrefix = "." + target.getName() + ".old-";
    for (FileStatus s : fs.listStatus(target.getParent())) {
      String name = s.getPath().getName();
      if (name.startsWith(tmpPrefix) || name.startsWith(oldPrefix)) {
        fs.delete(s.getPath(), true);
        LOG.warn("removed {}, left by an interrupted run writing {}", s.getPath(), target);
      }
    }
  }

  private static String describe(FileSystem fs, Path path) throws IOException {
    return (fs.getFileStatus(path).isDirectory() ? "output directory " : "output file ") + path;
  }

  /** Refuses to replace {@code path} unless it is a Dendrite output of this kind or an empty directory. */
  static void checkReplaceable(FileSystem fs, Path path, Kind kind, String choices) throws IOException {
    FileStatus s = fs.getFileStatus(path);
    String refusal = " so --overwrite will not replace it: choose another (" + choices + "), or move or delete it "
        + "yourself";
    if (kind == Kind.JSON_FILE) {
      if (s.isDirectory()) {
        throw new IllegalArgumentException("the output " + path + " is a directory, not a file written by Dendrite,"
            + refusal);
      }
      if (!isOurJson(fs, path, s)) {
        throw new IllegalArgumentException("the output file " + path + " was not written by Dendrite (it is not a "
            + "JSON object with a " + MARKER_FIELD + " field),"  + refusal);
      }
      return;
    }
    if (!s.isDirectory()) {
      throw new IllegalArgumentException("the output " + path + " is a file, not a directory written by Dendrite,"
          + refusal);
    }
    if (!fs.exists(new Path(path, MARKER)) && fs.listStatus(path).length > 0) {
      throw new IllegalArgumentException("the output directory " + path + " is not empty and was not written by "
          + "Dendrite (it has no " + MARKER + " file)," + refusal);
    }
  }

  /**
   * A JSON object with the marker field, or with the fields every {@code evaluate} or {@code benchmark} result
   * had before the marker field was added.
   */
  private static boolean isOurJson(FileSystem fs, Path path, FileStatus s) throws IOException {
    if (s.getLen() > MAX_JSON_BYTES) {
      return false;
    }
    Map<String, Object> json;
    try (InputStream in = fs.open(path)) {
      json = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8), path.toString());
    } catch (RuntimeException e) { // not JSON, or not an object
      return false;
    }
    return json.get(MARKER_FIELD) instanceof Map
        || json.keySet().containsAll(List.of("model", "data", "task", "examples", "metrics")) // evaluate
        || json.keySet().containsAll(List.of("config", "spark_master", "local", "distributed", "overhead"));
  }

  /**
   * Renames {@code src} to {@code dst}, failing when {@code dst} exists. On the local file system through
   * {@code java.nio} (Hadoop's local rename moves a directory <i>into</i> an existing one and replaces a
   * file), moving a file's checksum file along; elsewhere with Hadoop's rename that never overwrites
   * (atomic on HDFS).
   */
  static void renameNoReplace(FileSystem fs, Path src, Path dst) throws IOException {
    if (fs instanceof LocalFileSystem local) {
      File from = local.pathToFile(src);
      File to = local.pathToFile(dst);
      boolean file = from.isFile();
      Files.move(from.toPath(), to.toPath());
      if (file) {
        File fromCrc = local.pathToFile(local.getChecksumFile(src));
        File toCrc = local.pathToFile(local.getChecksumFile(dst));
        if (fromCrc.exists()) {
          Files.move(fromCrc.toPath(), toCrc.toPath(), StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(toCrc.toPath());
        }
      }
    } else {
      FileUtil.rename(fs, src, dst, Options.Rename.NONE);
    }
  }

  /**
   * The claim on one target: a small JSON file beside it, created exclusively, naming the run that holds
   * it. See the class comment for when a claim is stale.
   */
  static final class Claim {

    static final String HOST = host();

    private static final ProcessHandle SELF = ProcessHandle.current();

    final Path file;
    final String run;

    private Claim(Path file, String run) {
      this.file = file;
      this.run = run;
    }

    static Path fileOf(Path target) {
      return new Path(target.getParent(), "." + target.getName() + ".dendrite-lock");
    }

    /** Claims {@code target} for this run, taking over a stale claim; fails naming a live one. */
    static Claim acquire(FileSystem fs, Path target, String command, String choices) throws IOException {
      Path file = fileOf(target);
      String run = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", run);
      m.put("command", "dendrite " + command);
      m.put("host", HOST);
      m.put("pid", SELF.pid());
      m.put("process_start", SELF.info().startInstant().map(Instant::toString).orElse(null));
      m.put("started", Instant.now().toString());
      byte[] json = Json.write(m, true).getBytes(StandardCharsets.UTF_8);
      for (int attempt = 0; attempt < 2; attempt++) {
        if (createExclusive(fs, file, json)) {
          return new Claim(file, run);
        }
        String stale = staleness(fs, file);
        if (stale == null) {
          throw new IllegalArgumentException(target + " is being written by another run (" + describe(fs, file)
              + "); wait for it to end or choose another output (" + choices + "). If no such run is alive, "
              + "delete " + file);
        }
        LOG.warn("taking over the claim {} on {}: {}", file, target, stale);
        fs.delete(file, false);
      }
      throw new IllegalArgumentException(target + " is being claimed by another run at the same moment ("
          + file + "); choose another output (" + choices + ")");
    }

    /** Fails unless the claim file still names this run (another run may have judged it stale). */
    void verify(FileSystem fs, Path target) throws IOException {
      Map<String, Object> m = read(fs, file);
      if (m == null || !run.equals(m.get("run"))) {
        throw new IOException("this run lost its claim on " + target + " to another run (" + describe(fs, file)
            + "); nothing was replaced and this run's output is discarded");
      }
    }

    /** Deletes the claim file if it is still this run's. */
    void release(FileSystem fs) throws IOException {
      Map<String, Object> m = read(fs, file);
      if (m != null && run.equals(m.get("run"))) {
        fs.delete(file, false);
      }
    }

    /** Why an existing claim is stale, or null while its run may be alive. */
    static String staleness(FileSystem fs, Path file) throws IOException {
      FileStatus s;
      try {
        s = fs.getFileStatus(file);
      } catch (java.io.FileNotFoundException e) {
        return "it is gone";
      }
      long age = System.currentTimeMillis() - s.getModificationTime();
      if (age > STALE_MILLIS) {
        return "not touched for " + age / 60_000 + " min";
      }
      Map<String, Object> m = read(fs, file);
      if (m != null && HOST.equals(m.get("host")) && m.get("pid") instanceof Number pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid.longValue());
        Object start = m.get("process_start");
        boolean alive = p.isPresent() && (start == null || p.get().info().startInstant()
            .map(i -> i.toString().equals(start)).orElse(true));
        if (!alive) {
          return "its process " + pid + " on " + HOST + " is gone";
        }
      }
      return null;
    }

    /** The claim's JSON object, or null when it is missing or unreadable (e.g. being written). */
    private static Map<String, Object> read(FileSystem fs, Path file) throws IOException {
      try (InputStream in = fs.open(file)) {
        return Json.parseObject(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8), file.toString());
      } catch (java.io.FileNotFoundException e) {
        return null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    private static String describe(FileSystem fs, Path file) throws IOException {
      Map<String, Object> m = read(fs, file);
      if (m == null) {
        return "claim file " + file;
      }
      return m.get("command") + ", pid " + m.get("pid") + " on " + m.get("host") + ", started " + m.get("started")
          + "; claim file " + file;
    }

    /** Creates {@code file} with {@code bytes} unless it exists, atomically: false when it exists. */
    private static boolean createExclusive(FileSystem fs, Path file, byte[] bytes) throws IOException {
      if (fs instanceof LocalFileSystem local) {
        java.nio.file.Path p = local.pathToFile(file).toPath();
        try {
          Files.write(p, bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE);
          return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
          return false;
        }
      }
      try (OutputStream out = fs.create(file, false)) {
        out.write(bytes);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        return false;
      }
    }

    private static String host() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown host");
      }
    }
  }
}
