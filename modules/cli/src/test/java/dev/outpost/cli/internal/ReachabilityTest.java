package dev.outpost.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.cli.config.ConfigLoader;
import dev.outpost.cli.config.ResolvedConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one sentence said when the cluster or the registry does not answer, and how the registry is tried. */
class ReachabilityTest {

  @TempDir Path dir;

  @Test
  void aValueTheUserDidNotTypeSaysWhereItCameFrom() throws IOException {
    final Path file = dir.resolve("outpost.properties");
    Files.writeString(file, "schema.registry.url=http://registry:8081\n", StandardCharsets.UTF_8);
    final ResolvedConfig config = ConfigLoader.load(Map.of(), Optional.of(file), Map.of());

    assertThat(Reachability.message(config, true, true, Duration.ofSeconds(10)))
        .isEqualTo(
            "Cannot reach the Kafka cluster at localhost:9092 (the default), nor the schema registry at http://registry:8081"
                + " (from config file " + file + "), within 10s: check --bootstrap-servers and --schema-registry-url, or start"
                + " 'outpost demo' for a local stack; --connect-timeout sets how long to wait");
  }

  @Test
  void aRegistryAloneOutOfReachIsNamedAlone() {
    final ResolvedConfig config =
        ConfigLoader.load(Map.of("schema.registry.url", "http://127.0.0.1:1"), Optional.empty(), Map.of());

    assertThat(Reachability.message(config, false, true, Duration.ofMillis(2500)))
        .isEqualTo(
            "Cannot reach the schema registry at http://127.0.0.1:1 within 2500ms: check --schema-registry-url, or start"
                + " 'outpost demo' for a local stack; --connect-timeout sets how long to wait");
  }

  @Test
  void theRegistryAnswersWhenOneOfItsUrlsTakesAConnection() throws IOException {
    final int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      final String down = "http://127.0.0.1:" + closed;
      final String up = "http://127.0.0.1:" + open.getLocalPort();

      assertThat(Reachability.registryAnswers(down + "," + up, Duration.ofSeconds(2))).isTrue();
      assertThat(Reachability.registryAnswers(down, Duration.ofSeconds(2))).isFalse();
      assertThat(Reachability.registryAnswers("http://no-such-host.invalid:8081", Duration.ofSeconds(2))).isFalse();
    }
  }
}
