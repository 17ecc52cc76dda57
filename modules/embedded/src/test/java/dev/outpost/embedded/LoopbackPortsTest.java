package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Port choice for the embedded cluster, without starting a broker. */
class LoopbackPortsTest {

  @Test
  void preferredPortIsUsedWhenFree() throws IOException {
    final int free = anyFreePort();

    final List<Integer> ports = LoopbackPorts.choose(free, 3);

    assertThat(ports).hasSize(3).doesNotHaveDuplicates();
    assertThat(ports.get(0)).isEqualTo(free);
  }

  @Test
  void busyPreferredPortFallsBackToAFreeOne() throws IOException {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      final int taken = busy.getLocalPort();
      assertThat(LoopbackPorts.isFree(taken)).as("port %d is held by this test", taken).isFalse();

      final List<Integer> ports = LoopbackPorts.choose(taken, 2);

      assertThat(ports).hasSize(2).doesNotHaveDuplicates().doesNotContain(taken);
      assertThat(ports).allSatisfy(port -> assertThat(LoopbackPorts.isFree(port)).isTrue());
    }
  }

  @Test
  void wildcardListenerOnPreferredPortAlsoCountsAsTaken() throws IOException {
    // Another Kafka on 0.0.0.0:9092 must push the embedded broker elsewhere, not share the port.
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(0));
      final int taken = busy.getLocalPort();

      assertThat(LoopbackPorts.choose(taken, 1)).doesNotContain(taken);
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> LoopbackPorts.choose(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one port");
    assertThatThrownBy(() -> LoopbackPorts.choose(70_000, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a TCP port");
  }

  private static int anyFreePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return socket.getLocalPort();
    }
  }
}
