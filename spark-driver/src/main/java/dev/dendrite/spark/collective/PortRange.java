package dev.dendrite.spark.collective;

import java.io.IOException;
import java.io.Serializable;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The ports a listening socket may take (setting {@code distributed.collective.ports}): {@code 0}, any
 * free port, or a range {@code 40000-40100} that a firewall lets through (a single port is a range of one).
 */
public record PortRange(int from, int to) implements Serializable {

  private static final String FORMS = "0 (any free port), a port like 40000, or a range like 40000-40100";

  public PortRange {
    if (from < 0 || to > 65535 || from > to || (from == 0 && to != 0)) {
      throw new IllegalArgumentException("distributed.collective.ports: " + from + "-" + to
          + " is not a port range; expected " + FORMS);
    }
  }

  /** Any free port. */
  public static PortRange any() {
    return new PortRange(0, 0);
  }

  /** Parses {@code "0"}, {@code "40000"} or {@code "40000-40100"}; anything else is an error naming the value. */
  public static PortRange parse(String text) {
    String t = text == null ? "" : text.strip();
    try {
      int dash = t.indexOf('-');
      if (dash < 0) {
        int port = Integer.parseInt(t);
        return new PortRange(port, port);
      }
      return new PortRange(Integer.parseInt(t.substring(0, dash).strip()), Integer.parseInt(t.substring(dash + 1).strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("distributed.collective.ports: '" + text + "' is not a port range; expected "
          + FORMS, e);
    }
  }

  /** Binds {@code server} to {@code host} and the first free port of this range. */
  void bind(ServerSocketChannel server, String host) throws IOException {
    for (int port = from; port <= to; port++) {
      try {
        server.bind(new InetSocketAddress(host, port), 64);
        return;
      } catch (BindException e) {
        boolean taken = String.valueOf(e.getMessage()).contains("in use");
        if (!taken) {
          throw new BindException("cannot listen on " + host + " port " + port + " (" + e.getMessage() + "): is " + host
              + " an address of this machine?");
        }
        if (port == to) {
          throw new BindException("no free port in " + this + " on " + host + " (" + e.getMessage()
              + "); widen distributed.collective.ports");
        }
      }
    }
  }

  @Override
  public String toString() {
    return from == 0 ? "any port" : from == to ? "port " + from : "ports " + from + "-" + to;
  }
}
