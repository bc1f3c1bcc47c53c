package dev.dendrite.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine's theoretical fp32 peak per core from {@code /proc/cpuinfo}: FMA units × SIMD fp32 lanes ×
 * 2 flop × clock. The clock is the one the (possibly virtual) CPU reports, usually the base clock; a
 * core that boosts above it can exceed this "peak".
 *
 * @param model    the CPU model name
 * @param mhz      the reported clock in MHz (the highest over the listed cores)
 * @param lanes    fp32 lanes per SIMD register (16 with AVX-512, 8 with AVX/AVX2, 4 otherwise)
 * @param fmaUnits FMA pipes per core (2 assumed for AVX2 cores such as Zen 2/3/4, Haswell and later)
 * @param fma      whether the CPU has FMA (without it a multiply and an add count as one pair per pipe)
 * @param cores    logical CPUs listed
 */
public record MachinePeak(String model, double mhz, int lanes, int fmaUnits, boolean fma, int cores) {

  /** Reads /proc/cpuinfo; on a system without it, reports zeros rather than failing. */
  public static MachinePeak read() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    List<String> lines;
    try {
      lines = Files.readAllLines(cpuinfo);
    } catch (IOException e) {
      return new MachinePeak("unknown (no /proc/cpuinfo)", 0, 8, 2, true, Runtime.getRuntime().availableProcessors());
    }
    String model = "unknown";
    double mhz = 0;
    String flags = "";
    int cores = 0;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "processor" -> cores++;
        case "model name" -> model = value;
        case "cpu MHz" -> mhz = Math.max(mhz, Double.parseDouble(value));
        case "flags" -> flags = " " + value + " ";
        default -> { }
      }
    }
    int lanes = flags.contains(" avx512f ") ? 16 : flags.contains(" avx ") ? 8 : 4;
    boolean fma = flags.contains(" fma ");
    return new MachinePeak(model, mhz, lanes, 2, fma, cores);
  }

  /** GFLOP/s of one core: fmaUnits × lanes × 2 × GHz. */
  public double perCoreGflops() {
    return fmaUnits * lanes * 2 * mhz / 1000.0;
  }

  public String describe() {
    return String.format(Locale.ROOT,
        "%s, %d logical CPUs, %.0f MHz reported, %s, %d fp32 lanes: peak per core = %d FMA units x %d lanes x 2 flop"
            + " x %.3f GHz = %.1f GFLOP/s (all cores: %.1f)",
        model, cores, mhz, fma ? "FMA" : "no FMA", lanes, fmaUnits, lanes, mhz / 1000.0, perCoreGflops(),
        perCoreGflops() * cores);
  }
}
