package dev.dendrite.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The fp32 FMA throughput one core actually reaches (at whatever clock it runs now): {@value #CHAINS}
 * independent chains of vector FMAs, enough to cover the FMA latency on both FMA pipes, no memory
 * traffic. {@link BenchRunner} reports {@link #flopsPerInvocation()} / time next to the theoretical peak.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeakBenchmark {

  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int ROUNDS = 4096;
  static final int CHAINS = 12;

  /** Multiplier below 1 and addend: every chain converges to a normal fixed point, no denormals. */
  public float mul = 0.999f;
  public float add = 1e-3f;

  /** Floating-point operations per call: chains × lanes × 2 (multiply and add) × rounds. */
  static long flopsPerInvocation() {
    return (long) CHAINS * SPECIES.length() * 2 * ROUNDS;
  }

  @Benchmark
  public float fma() {
    FloatVector m = FloatVector.broadcast(SPECIES, mul);
    FloatVector a = FloatVector.broadcast(SPECIES, add);
    FloatVector c0 = FloatVector.broadcast(SPECIES, 0f);
    FloatVector c1 = FloatVector.broadcast(SPECIES, 1f);
    FloatVector c2 = FloatVector.broadcast(SPECIES, 2f);
    FloatVector c3 = FloatVector.broadcast(SPECIES, 3f);
    FloatVector c4 = FloatVector.broadcast(SPECIES, 4f);
    FloatVector c5 = FloatVector.broadcast(SPECIES, 5f);
    FloatVector c6 = FloatVector.broadcast(SPECIES, 6f);
    FloatVector c7 = FloatVector.broadcast(SPECIES, 7f);
    FloatVector c8 = FloatVector.broadcast(SPECIES, 8f);
    FloatVector c9 = FloatVector.broadcast(SPECIES, 9f);
    FloatVector c10 = FloatVector.broadcast(SPECIES, 10f);
    FloatVector c11 = FloatVector.broadcast(SPECIES, 11f);
    for (int i = 0; i < ROUNDS; i++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
      c10 = c10.fma(m, a);
      c11 = c11.fma(m, a);
    }
    FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10)
        .add(c11);
    return sum.reduceLanes(VectorOperators.ADD);
  }
}
