package dev.dendrite.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.core.network.Network;
import dev.dendrite.spark.DistributedTrainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering, checked on the compiled classes with {@code jdeps}: the packages of core, spark-driver
 * and jobs import each other without a cycle, and no package imports against the direction
 * jobs → spark-driver → core.
 */
class PackageDependenciesTest {

  /** Package → the packages it uses, of the three modules' main classes (dev.dendrite only). */
  private static Map<String, Set<String>> uses;

  @BeforeAll
  static void readDependencies() throws URISyntaxException {
    uses = dependencies(classes(Network.class), classes(DistributedTrainer.class), classes(Dendrite.class));
  }

  @Test
  void everyModuleIsRead() {
    for (String p : List.of("dev.dendrite.core.network", "dev.dendrite.spark", "dev.dendrite.jobs")) {
      assertTrue(uses.containsKey(p), "jdeps found no dependencies of " + p + " in " + uses.keySet());
    }
  }

  @Test
  void packagesFormNoCycle() {
    List<List<String>> cycles = cycles(uses);
    assertEquals(List.of(), cycles, "package cycles (each a strongly connected set of packages)");
  }

  @Test
  void importsGoOnlyFromJobsToSparkDriverToCore() {
    List<String> backwards = new ArrayList<>();
    uses.forEach((from, targets) -> {
      for (String to : targets) {
        if (layer(to) > layer(from)) {
          backwards.add(from + " -> " + to);
        }
      }
    });
    assertEquals(List.of(), backwards, "imports against jobs -> spark-driver -> core");
  }

  @Test
  void aCycleAndABackwardImportAreFound() {
    // the checks themselves: a two-package cycle, and core importing spark
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("dev.dendrite.core.a", new TreeSet<>(Set.of("dev.dendrite.core.b", "dev.dendrite.spark")));
    g.put("dev.dendrite.core.b", new TreeSet<>(Set.of("dev.dendrite.core.a")));
    assertEquals(List.of(List.of("dev.dendrite.core.a", "dev.dendrite.core.b")), cycles(g));
    assertTrue(layer("dev.dendrite.spark") > layer("dev.dendrite.core.a"), "spark sits above core");
  }

  /** 0 for core, 1 for spark-driver, 2 for jobs. */
  private static int layer(String pkg) {
    if (pkg.startsWith("dev.dendrite.core")) {
      return 0;
    }
    if (pkg.startsWith("dev.dendrite.spark")) {
      return 1;
    }
    if (pkg.startsWith("dev.dendrite.jobs")) {
      return 2;
    }
    throw new IllegalArgumentException("package " + pkg + " belongs to no module of the three");
  }

  private static String classes(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** {@code jdeps -verbose:package} over the given class directories or jars, dev.dendrite packages only. */
  private static Map<String, Set<String>> dependencies(String... paths) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
        () -> new IllegalStateException("this JDK has no jdeps tool"));
    List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "-e", "dev\\.dendrite\\..*"));
    args.addAll(List.of(paths));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
    assertEquals(0, code, "jdeps " + args + " failed: " + err + out);
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      String[] f = line.trim().split("\\s+");
      // "   dev.dendrite.jobs   -> dev.dendrite.spark   spark-driver-1.0.jar"
      if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("dev.dendrite.") && f[2].startsWith("dev.dendrite.")
          && !f[0].equals(f[2])) {
        graph.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
      }
    }
    return graph;
  }

  /** The strongly connected sets of more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> found = new ArrayList<>();
    int[] counter = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, found, counter);
      }
    }
    return found;
  }

  private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<List<String>> found, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]);
    counter[0]++;
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, found, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        component.sort(null);
        found.add(component);
      }
    }
  }
}
