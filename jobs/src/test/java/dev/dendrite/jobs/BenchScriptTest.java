package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/bench's build on a fresh machine, with a stand-in {@code mvn} first on the PATH that records its
 * arguments: an offline build that fails for a missing download is retried online; any other failure is
 * shown and not retried.
 */
class BenchScriptTest {

  private static final Path SCRIPT = Paths.get("..", "bin", "bench").toAbsolutePath().normalize();

  /** Runs bin/bench with a fake mvn that prints {@code offlineOutput} and fails when called with -o. */
  private static String[] run(Path dir, String offlineOutput) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path calls = dir.resolve("calls.txt");
    Path mvn = bin.resolve("mvn");
    Files.writeString(mvn, """
        #!/usr/bin/env bash
        echo "$*" >> %s
        for a in "$@"; do
          if [ "$a" = "-o" ]; then echo '%s'; exit 1; fi
        done
        exit 3
        """.formatted(calls, offlineOutput));
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--quick", "--no-pytorch")
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/bench ended");
    List<String> lines = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    return new String[] {out, String.join("\n", lines), String.valueOf(p.exitValue())};
  }

  @Test
  void aBuildMissingJmhOfflineIsRetriedOnline(@TempDir Path dir) throws Exception {
    String[] r = run(dir, "[ERROR] Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and "
        + "the artifact org.openjdk.jmh:jmh-core:jar:1.37 has not been downloaded from it before.");
    String[] calls = r[1].split("\n");
    assertEquals(2, calls.length, "an offline then an online build: " + r[1]);
    assertTrue(List.of(calls[0].split(" ")).contains("-o"), calls[0]);
    assertFalse(List.of(calls[1].split(" ")).contains("-o"), "the retry is online: " + calls[1]);
    assertTrue(r[0].contains("building online"), r[0]);
    assertEquals("1", r[2], "the stand-in's online build fails, so bin/bench stops: " + r[0]);
  }

  @Test
  void anOfflineBuildFailingForAnotherReasonIsShownAndNotRetried(@TempDir Path dir) throws Exception {
    String[] r = run(dir, "[ERROR] BenchRunner.java:[12,5] cannot find symbol");
    assertEquals(1, r[1].split("\n").length, "one build only: " + r[1]);
    assertTrue(r[0].contains("cannot find symbol"), r[0]);
    assertEquals("1", r[2]);
  }
}
