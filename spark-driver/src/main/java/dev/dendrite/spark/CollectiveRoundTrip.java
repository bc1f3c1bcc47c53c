package dev.dendrite.spark;

import dev.dendrite.spark.collective.CollectiveGroup;
import dev.dendrite.spark.collective.CollectiveProbe;
import dev.dendrite.spark.collective.RunSecret;
import dev.dendrite.spark.collective.Tracker;
import dev.dendrite.spark.data.DataBlock;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * What one step of collective training pays besides its compute, measured where training runs: one
 * barrier job with a task per partition (on the executors, so across JVMs on a cluster) joins a group
 * and times repeated all-reduces of a vector as long as the parameters; beside it, the loopback TCP
 * bandwidth of the driver's machine (the physical limit of two JVMs on one machine).
 */
public final class CollectiveRoundTrip {

  private CollectiveRoundTrip() {
  }

  /** Milliseconds per all-reduce (median over the timed calls, and its 90th percentile) on rank 0. */
  public record Measurement(int partitions, int length, int repeats, boolean sharedMemory, double medianMillis,
                            double p90Millis, double loopbackBytesPerSecond) {

    /** Bytes each task sends (and receives) per all-reduce: 2(n−1)/n of the vector. */
    public long bytesPerTask() {
      return partitions == 1 ? 0 : 2L * (partitions - 1) * 4L * length / partitions;
    }

    /** How long those bytes take at the loopback bandwidth. */
    public double bandwidthFloorMillis() {
      return bytesPerTask() / loopbackBytesPerSecond * 1e3;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "collective all-reduce of %,d floats between %d tasks (%s): median %.3f ms "
              + "(p90 %.3f ms) over %d calls; %,d bytes per task per call take %.3f ms at the loopback bandwidth "
              + "(%.2f GB/s)", length, partitions, sharedMemory ? "through memory, one JVM" : "TCP", medianMillis, p90Millis, repeats, bytesPerTask(),
          bandwidthFloorMillis(), loopbackBytesPerSecond / 1e9);
    }
  }

  /** Times {@code repeats} all-reduces (after as many warm-up calls) of {@code length} floats between the tasks. */
  public static Measurement measure(JavaSparkContext sc, JavaRDD<DataBlock> blocks, int length, int repeats) {
    int partitions = blocks.getNumPartitions();
    SparkConf conf = sc.getConf();
    String advertised = conf.get("spark.driver.host", "localhost");
    CollectiveSettings settings = CollectiveSettings.defaults();
    RunSecret secret = RunSecret.random();
    try (Tracker tracker = Tracker.start(conf.get("spark.driver.bindAddress", advertised), partitions, secret,
        settings.portRange(), settings.timeout())) {
      sc.setJobDescription("dendrite benchmark: collective all-reduce round trip");
      Timing timing = new Timing(partitions, new InetSocketAddress(advertised, tracker.address().getPort()), secret,
          length, repeats);
      ClassTag<Timings> tag = ClassTag$.MODULE$.apply(Timings.class);
      RDD<Timings> timed = blocks.rdd().barrier().mapPartitions(timing, false, tag);
      List<Timings> results = JavaRDD.fromRDD(timed, tag).collect();
      double[] rank0 = results.get(0).millis().clone();
      Arrays.sort(rank0);
      return new Measurement(partitions, length, repeats, results.get(0).sharedMemory(), rank0[rank0.length / 2],
          rank0[(int) (rank0.length * 0.9)], CollectiveProbe.loopbackBandwidth(256L << 20));
    } catch (IOException e) {
      throw new UncheckedIOException("collective round trip: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("collective round trip: " + e.getMessage(), e);
    }
  }

  /** One task: join, warm up, then time each all-reduce. */
  /** One task's timed calls, and whether its group went through memory (every task in one JVM). */
  private record Timings(double[] millis, boolean sharedMemory) implements Serializable {
  }

  private static final class Timing extends AbstractFunction1<Iterator<DataBlock>, Iterator<Timings>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int size;
    private final InetSocketAddress tracker;
    private final RunSecret secret;
    private final int length;
    private final int repeats;

    Timing(int size, InetSocketAddress tracker, RunSecret secret, int length, int repeats) {
      this.size = size;
      this.tracker = tracker;
      this.secret = secret;
      this.length = length;
      this.repeats = repeats;
    }

    @Override
    public Iterator<Timings> apply(Iterator<DataBlock> ignored) {
      int rank = BarrierTaskContext.get().partitionId();
      String host = SparkEnv.get().blockManager().blockManagerId().host();
      CollectiveSettings settings = CollectiveSettings.defaults();
      float[] source = new float[length];
      for (int i = 0; i < length; i++) {
        source[i] = (float) Math.sin(i + rank);
      }
      float[] data = new float[length];
      double[] millis = new double[repeats];
      boolean shared;
      try (CollectiveGroup group = CollectiveGroup.join(rank, size, tracker, secret, host, settings.portRange(),
          settings.timeout(), true)) {
        shared = group.sharedMemory();
        for (int call = -repeats; call < repeats; call++) {
          System.arraycopy(source, 0, data, 0, length);
          long t0 = System.nanoTime();
          group.allReduce(data);
          if (call >= 0) {
            millis[call] = (System.nanoTime() - t0) / 1e6;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return CollectionConverters.asScala(Collections.singletonList(new Timings(millis, shared)).iterator());
    }
  }
}
