package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FullDiskFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staged outputs on the local file system: claims, commits that never replace, markers, leftovers, disk errors. */
class StagedOutputTest {

  private static final Configuration CONF = new Configuration();

  private static StagedOutput dir(Path target, boolean overwrite) throws IOException {
    return StagedOutput.begin(target.toString(), overwrite, "--output DIR", StagedOutput.Kind.DIRECTORY, "train",
        CONF);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void twoConcurrentRunsCannotBothCommitTheSameOutput(@TempDir Path root) throws Exception {
    Path target = root.resolve("race");
    try (StagedOutput first = dir(target, false)) {
      first.write("model.txt", "first");
      IllegalArgumentException second = assertThrows(IllegalArgumentException.class, () -> dir(target, false));
      assertTrue(second.getMessage().contains("is being written by another run"), second.getMessage());
      assertTrue(second.getMessage().contains("dendrite train, pid " + ProcessHandle.current().pid()),
          second.getMessage());
      IllegalArgumentException overwriting = assertThrows(IllegalArgumentException.class, () -> dir(target, true));
      assertTrue(overwriting.getMessage().contains("is being written by another run"), overwriting.getMessage());
      first.commit();
    }
    assertEquals("first", Files.readString(target.resolve("model.txt")));
    assertEquals(List.of("race"), names(root), "only the output is left: no claim, no temporary directory");
  }

  @Test
  void commitNeverReplacesADirectoryThatAppearedMeanwhile(@TempDir Path root) throws Exception {
    Path target = root.resolve("out");
    try (StagedOutput out = dir(target, false)) {
      out.write("model.txt", "ours");
      Files.createDirectories(target);
      Files.writeString(target.resolve("thesis.txt"), "theirs");
      IOException e = assertThrows(IOException.class, out::commit);
      assertTrue(e.getMessage().contains("output directory file:" + target), e.getMessage());
      assertTrue(e.getMessage().contains("appeared while this run was writing it"), e.getMessage());
    }
    assertEquals(List.of("thesis.txt"), names(target), "nothing moved into or out of the directory that appeared");
    assertEquals(List.of("out"), names(root));
  }

  @Test
  void theRenameThatCommitsNeverReplacesNorMovesInside(@TempDir Path root) throws Exception {
    org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(CONF);
    Path src = Files.createDirectories(root.resolve("src"));
    Files.writeString(src.resolve("a"), "a");
    Path dst = Files.createDirectories(root.resolve("dst"));
    Files.writeString(dst.resolve("b"), "b");
    assertThrows(IOException.class, () -> StagedOutput.renameNoReplace(fs, hadoop(src), hadoop(dst)));
    assertEquals(List.of("b"), names(dst));
    Path empty = Files.createDirectories(root.resolve("empty"));
    assertThrows(IOException.class, () -> StagedOutput.renameNoReplace(fs, hadoop(src), hadoop(empty)));
    assertEquals(List.of(), names(empty));
    assertEquals(List.of("a"), names(src));
  }

  @Test
  void overwriteRefusesADirectoryDendriteNeverWrote(@TempDir Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("thesis"));
    Files.writeString(target.resolve("thesis.tex"), "years of work");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dir(target, true));
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not written by Dendrite"), e.getMessage());
    assertTrue(e.getMessage().contains(StagedOutput.MARKER), e.getMessage());
    assertEquals(List.of("thesis.tex"), names(target));
    assertEquals(List.of("thesis"), names(root), "no claim or temporary directory left");
    Path file = Files.writeString(root.resolve("photo.jpg"), "jpeg");
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> dir(file, true));
    assertTrue(f.getMessage().contains("is a file"), f.getMessage());
  }

  @Test
  void overwriteReplacesADendriteOutputOrAnEmptyDirectory(@TempDir Path root) throws Exception {
    Path target = Files.createDirectories(root.resolve("out"));
    try (StagedOutput out = dir(target, true)) {
      out.write("model.txt", "one");
      out.commit();
    }
    Map<String, Object> marker = Json.parseObject(Files.readString(target.resolve(StagedOutput.MARKER)), "marker");
    assertEquals("dendrite train", marker.get("command"));
    assertTrue(marker.containsKey("written"), marker.toString());
    try (StagedOutput out = dir(target, true)) {
      out.write("other.txt", "two");
      out.commit();
    }
    assertEquals(List.of(StagedOutput.MARKER, "other.txt"), names(target).stream()
        .filter(n -> !n.endsWith(".crc")).toList(), "the old output is replaced, not merged");
    assertEquals(List.of("out"), names(root));
  }

  @Test
  void commitRefusesToReplaceWhatTurnedForeignMeanwhile(@TempDir Path root) throws Exception {
    Path target = root.resolve("out");
    try (StagedOutput out = dir(target, true)) {
      out.write("model.txt", "ours");
      Files.createDirectories(target);
      Files.writeString(target.resolve("photo.jpg"), "theirs");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, out::commit);
      assertTrue(e.getMessage().contains("not written by Dendrite"), e.getMessage());
    }
    assertEquals(List.of("photo.jpg"), names(target));
  }

  @Test
  void aJsonFileOutputReplacesOnlyAJsonFileDendriteWrote(@TempDir Path root) throws Exception {
    Path foreign = Files.writeString(root.resolve("thesis.docx"), "not json");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> json(foreign));
    assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not written by Dendrite"), e.getMessage());
    assertEquals("not json", Files.readString(foreign));
    Path otherJson = Files.writeString(root.resolve("package.json"), "{\"name\": \"x\"}");
    assertThrows(IllegalArgumentException.class, () -> json(otherJson));

    Path ours = root.resolve("evaluation.json");
    for (int i = 0; i < 2; i++) { // written, then replaced
      try (StagedOutput out = json(ours)) {
        out.writeJson(Map.of("examples", i));
        out.commit();
      }
    }
    Map<String, Object> written = Json.parseObject(Files.readString(ours), "evaluation.json");
    assertEquals(1L, written.get("examples"));
    assertEquals("dendrite evaluate", ((Map<?, ?>) written.get(StagedOutput.MARKER_FIELD)).get("command"));

    Path legacy = Files.writeString(root.resolve("old.json"),
        "{\"model\": \"m\", \"data\": \"d\", \"loss\": \"mse\", \"task\": \"regression\", \"examples\": 3, "
            + "\"metrics\": {}}");
    try (StagedOutput out = json(legacy)) { // an evaluate result written before the marker field
      out.writeJson(Map.of("examples", 4));
      out.commit();
    }
    assertTrue(Files.readString(legacy).contains(StagedOutput.MARKER_FIELD));
  }

  private static StagedOutput json(Path target) throws IOException {
    return StagedOutput.begin(target.toString(), true, "--output FILE", StagedOutput.Kind.JSON_FILE, "evaluate",
        CONF);
  }

  @Test
  void temporaryOutputsOfAKilledRunAreRemovedOnTheNextRun(@TempDir Path root) throws Exception {
    Path target = root.resolve("out");
    Path old = Files.createDirectories(root.resolve(".out.tmp-1234567890"));
    Files.writeString(old.resolve("model.dndr"), "half");
    Files.createDirectories(root.resolve(".out.tmp-0123456789abcdef"));
    Files.createDirectories(root.resolve(".out.old-0123456789abcdef"));
    Files.createDirectories(root.resolve(".other.tmp-1")); // another target's: not ours to remove
    Files.writeString(root.resolve(".out.dendrite-lock"), Json.write(Map.of("run", "dead", "command",
        "dendrite train", "host", StagedOutput.Claim.HOST, "pid", Long.MAX_VALUE, "started", "2020-01-01T00:00:00Z")));
    try (StagedOutput out = dir(target, false)) {
      assertEquals(List.of(".other.tmp-1", ".out.dendrite-lock", out.tmp().getName()), names(root),
          "the dead run's claim is taken over and its temporary outputs removed");
      out.write("model.txt", "whole");
      out.commit();
    }
    assertEquals(List.of(".other.tmp-1", "out"), names(root));
  }

  @Test
  void aClaimOfAnotherHostIsStaleOnlyWhenItsHeartbeatStopped(@TempDir Path root) throws Exception {
    Path target = root.resolve("out");
    Path claim = Files.writeString(root.resolve(".out.dendrite-lock"), Json.write(Map.of("run", "remote",
        "command", "dendrite train", "host", "another-host.example", "pid", 42, "started", "2020-01-01T00:00:00Z")));
    IllegalArgumentException live = assertThrows(IllegalArgumentException.class, () -> dir(target, false));
    assertTrue(live.getMessage().contains("pid 42 on another-host.example"), live.getMessage());
    assertTrue(live.getMessage().contains("delete file:" + claim), live.getMessage());
    Files.setLastModifiedTime(claim, FileTime.fromMillis(System.currentTimeMillis() - StagedOutput.STALE_MILLIS
        - 60_000));
    try (StagedOutput out = dir(target, false)) {
      assertTrue(Files.readString(claim).contains(StagedOutput.Claim.HOST), "taken over");
    }
    assertFalse(Files.exists(claim), "released on close");
  }

  @Test
  void theHeartbeatKeepsTheClaimFresh(@TempDir Path root) throws Exception {
    Path claim = root.resolve(".out.dendrite-lock");
    try (StagedOutput out = dir(root.resolve("out"), false)) {
      long past = System.currentTimeMillis() - StagedOutput.STALE_MILLIS - 60_000;
      Files.setLastModifiedTime(claim, FileTime.fromMillis(past));
      out.heartbeat();
      long touched = Files.getLastModifiedTime(claim).toMillis();
      assertTrue(touched > past + StagedOutput.STALE_MILLIS, "touched at " + touched + ", was " + past);
    }
  }

  @Test
  void aRunThatLostItsClaimDoesNotCommit(@TempDir Path root) throws Exception {
    Path target = root.resolve("out");
    try (StagedOutput out = dir(target, false)) {
      out.write("model.txt", "ours");
      Files.writeString(root.resolve(".out.dendrite-lock"), Json.write(Map.of("run", "usurper", "command",
          "dendrite train", "host", "h", "pid", 7)));
      IOException e = assertThrows(IOException.class, out::commit);
      assertTrue(e.getMessage().contains("lost its claim"), e.getMessage());
      assertTrue(e.getMessage().contains("pid 7 on h"), e.getMessage());
    }
    assertFalse(Files.exists(target));
    assertTrue(Files.exists(root.resolve(".out.dendrite-lock")), "the other run's claim stays");
  }

  @Test
  void theCurrentDirectoryAndRelativePathsResolveAndTheRootIsRefused() {
    IllegalArgumentException dot = assertThrows(IllegalArgumentException.class, () -> dir(Path.of("."), false));
    String cwd = Path.of("").toAbsolutePath().toString();
    assertTrue(dot.getMessage().startsWith("output directory file:" + cwd + " exists"), dot.getMessage());
    IllegalArgumentException top = assertThrows(IllegalArgumentException.class, () -> dir(Path.of("/"), true));
    assertTrue(top.getMessage().contains("the output / is the root of file:///"), top.getMessage());
  }

  @Test
  void aFullDiskWhileWritingIsAnIOExceptionNamingTheFile(@TempDir Path root) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.fulldisk.impl", FullDiskFileSystem.class.getName());
    conf.setBoolean("fs.fulldisk.impl.disable.cache", true);
    String target = "fulldisk://" + root.resolve("out").toUri().getPath();
    try (StagedOutput out = StagedOutput.begin(target, false, "--output DIR", StagedOutput.Kind.DIRECTORY, "train",
        conf)) {
      IOException e = assertThrows(IOException.class, () -> out.write("report.html", "<html>"));
      assertTrue(e.getMessage().contains("cannot write " + out.tmp() + "/report.html: No space left on device"),
          e.getMessage());
    }
    assertEquals(List.of(), names(root), "nothing left behind");
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }
}
