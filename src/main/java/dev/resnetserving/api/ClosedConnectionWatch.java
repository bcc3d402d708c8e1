package dev.resnetserving.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices clients that hung up while their request waits for the model. A servlet container does
 * not read from a connection whose request is in async processing, so it cannot see the client's
 * FIN; the kernel can: the server's end of such a connection is in CLOSE_WAIT. Once per period,
 * while some request has been pending for a whole period, this reads Linux's {@code /proc/net/tcp}
 * and {@code tcp6} and cancels the pending work of connections found there. Reading them walks the
 * kernel's whole connection table (its cost is in docs/benchmarks.md), so requests that finish
 * within a period are never looked for. Elsewhere it watches nothing, and the request deadline
 * still bounds the waste.
 */
final class ClosedConnectionWatch implements AutoCloseable {

  /** Both ends of a client's TCP connection, as the server sees them. */
  record Connection(InetAddress remote, int remotePort, int localPort) {}

  private static final Logger log = LoggerFactory.getLogger(ClosedConnectionWatch.class);
  private static final String CLOSE_WAIT = "08";

  private record Pending(Future<?> work, long sinceNanos) {}

  private final List<Path> tables;
  private final long periodNanos;
  private final Map<Connection, Pending> watched = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * @param periodMillis time between reads, and how long a request must have waited to be looked
   *     for; 0 watches nothing
   */
  ClosedConnectionWatch(List<Path> tables, long periodMillis) {
    this.tables = periodMillis > 0 ? tables.stream().filter(Files::isReadable).toList() : List.of();
    this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
    if (periodMillis > 0 && this.tables.isEmpty()) {
      log.info("No /proc/net/tcp here: clients that hang up are noticed at their deadline only");
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "resnet-closed-connections");
              thread.setDaemon(true);
              return thread;
            });
    if (!this.tables.isEmpty()) {
      timer.scheduleWithFixedDelay(
          () -> check(System.nanoTime()), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
  }

  static ClosedConnectionWatch ofProcNet(Duration period) {
    return new ClosedConnectionWatch(
        List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")), period.toMillis());
  }

  void watch(Connection connection, Future<?> pending) {
    if (!tables.isEmpty()) {
      watched.put(connection, new Pending(pending, System.nanoTime()));
    }
  }

  void forget(Connection connection) {
    watched.remove(connection);
  }

  /**
   * Cancels the work of watched connections in CLOSE_WAIT, once any has waited a period by {@code
   * now}.
   */
  void check(long now) {
    if (watched.values().stream().noneMatch(pending -> now - pending.sinceNanos() >= periodNanos)) {
      return;
    }
    Set<Connection> closed = new HashSet<>();
    for (Path table : tables) {
      try {
        closed.addAll(closeWait(Files.readAllLines(table)));
      } catch (IOException | RuntimeException e) {
        log.debug("Cannot read {}: {}", table, e.toString());
      }
    }
    watched.forEach(
        (connection, pending) -> {
          if (closed.contains(connection)) {
            pending.work().cancel(false);
            watched.remove(connection);
          }
        });
  }

  /** The connections of a {@code /proc/net/tcp} or {@code tcp6} table that are in CLOSE_WAIT. */
  static Set<Connection> closeWait(List<String> table) throws UnknownHostException {
    Set<Connection> connections = new HashSet<>();
    for (String line : table) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length < 4 || !fields[3].equals(CLOSE_WAIT)) {
        continue;
      }
      String[] local = fields[1].split(":");
      String[] remote = fields[2].split(":");
      connections.add(
          new Connection(
              address(remote[0]), Integer.parseInt(remote[1], 16), Integer.parseInt(local[1], 16)));
    }
    return connections;
  }

  /** The kernel prints each 32-bit word of an address in host (little-endian) order. */
  private static InetAddress address(String hex) throws UnknownHostException {
    byte[] bytes = HexFormat.of().parseHex(hex);
    for (int word = 0; word < bytes.length; word += 4) {
      for (int i = 0; i < 2; i++) {
        byte swap = bytes[word + i];
        bytes[word + i] = bytes[word + 3 - i];
        bytes[word + 3 - i] = swap;
      }
    }
    return InetAddress.getByAddress(bytes);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
