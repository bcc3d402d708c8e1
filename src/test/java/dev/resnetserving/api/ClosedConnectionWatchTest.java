package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.api.ClosedConnectionWatch.Connection;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosedConnectionWatchTest {

  @Test
  void findsTheConnectionsInCloseWaitOfAnIpv4Table() throws Exception {
    List<String> table =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
            "   1: 0100007F:1F90 0100007F:C350 08 00000000:00000000 00:00000000 00000000     0        0 2 1",
            "   2: 0100007F:1F90 0100007F:C351 01 00000000:00000000 00:00000000 00000000     0        0 3 1");

    assertThat(ClosedConnectionWatch.closeWait(table))
        .containsExactly(new Connection(InetAddress.getByName("127.0.0.1"), 0xC350, 8080));
  }

  @Test
  void readsIpv4MappedAndIpv6AddressesOfTheTcp6Table() throws Exception {
    List<String> table =
        List.of(
            "  sl  local_address                         remote_address                        st",
            "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 08 0",
            "   1: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D432 08 0");

    assertThat(ClosedConnectionWatch.closeWait(table))
        .containsExactlyInAnyOrder(
            new Connection(InetAddress.getByName("127.0.0.1"), 0xD431, 8080),
            new Connection(InetAddress.getByName("::1"), 0xD432, 8080));
  }

  @Test
  void looksOnlyForRequestsThatWaitedAPeriodAndCancelsThoseWhoseClientLeft(@TempDir Path dir)
      throws Exception {
    Path table =
        Files.write(
            dir.resolve("tcp"),
            List.of(
                "  sl  local_address rem_address   st",
                "   0: 0100007F:1F90 0100007F:C350 08 0",
                "   1: 0100007F:1F90 0100007F:C351 01 0"));
    Connection gone = new Connection(InetAddress.getByName("127.0.0.1"), 0xC350, 8080);
    Connection waiting = new Connection(InetAddress.getByName("127.0.0.1"), 0xC351, 8080);
    CompletableFuture<Void> goneWork = new CompletableFuture<>();
    CompletableFuture<Void> waitingWork = new CompletableFuture<>();
    long hour = TimeUnit.HOURS.toMillis(1);
    try (ClosedConnectionWatch watch = new ClosedConnectionWatch(List.of(table), hour)) {
      watch.watch(gone, goneWork);
      watch.watch(waiting, waitingWork);

      watch.check(System.nanoTime());
      assertThat(goneWork).as("younger than a period: not looked for yet").isNotCancelled();

      watch.check(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(hour));
      assertThat(goneWork).isCancelled();
      assertThat(waitingWork).isNotDone();
    }
  }

  @Test
  void aZeroPeriodWatchesNothing(@TempDir Path dir) throws Exception {
    Path table =
        Files.write(
            dir.resolve("tcp"),
            List.of(
                "  sl  local_address rem_address   st", "   0: 0100007F:1F90 0100007F:C350 08 0"));
    CompletableFuture<Void> work = new CompletableFuture<>();
    try (ClosedConnectionWatch watch = new ClosedConnectionWatch(List.of(table), 0)) {
      watch.watch(new Connection(InetAddress.getByName("127.0.0.1"), 0xC350, 8080), work);
      watch.check(System.nanoTime() + TimeUnit.DAYS.toNanos(1));
      assertThat(work).isNotDone();
    }
  }
}
