package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.api.ClosedConnectionWatch.Connection;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosedConnectionWatchTest {

  @Test
  void findsTheConnectionsInCloseWaitOfAnIpv4Table() throws Exception {
    List<String> table = List.of(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
        "   1: 0100007F:1F90 0100007F:C350 08 00000000:00000000 00:00000000 00000000     0        0 2 1",
        "   2: 0100007F:1F90 0100007F:C351 01 00000000:00000000 00:00000000 00000000     0        0 3 1");

    assertThat(ClosedConnectionWatch.closeWait(table))
        .containsExactly(new Connection(InetAddress.getByName("127.0.0.1"), 0xC350, 8080));
  }

  @Test
  void readsIpv4MappedAndIpv6AddressesOfTheTcp6Table() throws Exception {
    List<String> table = List.of(
        "  sl  local_address                         remote_address                        st",
        "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 08 0",
        "   1: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D432 08 0");

    assertThat(ClosedConnectionWatch.closeWait(table)).containsExactlyInAnyOrder(
        new Connection(InetAddress.getByName("127.0.0.1"), 0xD431, 8080),
        new Connection(InetAddress.getByName("::1"), 0xD432, 8080));
  }
}
