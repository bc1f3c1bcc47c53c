package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.spark.collective.PortRange;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of collective training (the {@code distributed.collective} section): the ports the tasks and
 * the driver's tracker listen on ({@code 0} = any free port, or a range such as {@code 40000-40100} for
 * firewalls), how long any wait on a peer may take before the whole group fails, how often the replicas
 * compare a checksum of their parameters, and how many times the driver reruns the group after a failure.
 */
public record CollectiveSettings(String ports, int timeoutSeconds, int checkEvery, int attempts)
    implements Serializable {

  public CollectiveSettings {
    try {
      PortRange.parse(ports);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("collective.ports", e.getMessage());
    }
    if (timeoutSeconds < 1) {
      throw new ConfigException("collective.timeout_seconds", "must be >= 1, got " + timeoutSeconds);
    }
    if (checkEvery < 0) {
      throw new ConfigException("collective.check_every", "must be >= 0 (0 = never), got " + checkEvery);
    }
    if (attempts < 1) {
      throw new ConfigException("collective.attempts", "must be >= 1, got " + attempts);
    }
  }

  /** Any free port, 60 s timeout, a checksum every 100 steps, 3 attempts. */
  public static CollectiveSettings defaults() {
    return new CollectiveSettings("0", 60, 100, 3);
  }

  public PortRange portRange() {
    return PortRange.parse(ports);
  }

  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  public CollectiveSettings withTimeoutSeconds(int seconds) {
    return new CollectiveSettings(ports, seconds, checkEvery, attempts);
  }

  public CollectiveSettings withPorts(String ports) {
    return new CollectiveSettings(ports, timeoutSeconds, checkEvery, attempts);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ports", ports);
    m.put("timeout_seconds", timeoutSeconds);
    m.put("check_every", checkEvery);
    m.put("attempts", attempts);
    return m;
  }

  public static CollectiveSettings read(ConfigMap m) {
    CollectiveSettings d = defaults();
    CollectiveSettings c = new CollectiveSettings(m.string("ports", d.ports()),
        m.integer("timeout_seconds", d.timeoutSeconds(), 1, 86_400),
        m.integer("check_every", d.checkEvery(), 0, Integer.MAX_VALUE),
        m.integer("attempts", d.attempts(), 1, 100));
    m.finish();
    return c;
  }
}
