package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.embedded.EmbeddedKafkaCluster.ControllerMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder's and the lifecycle's guard rails, checked without starting a broker. */
class EmbeddedKafkaClusterTest {

  @Test
  void listenerAndStorageSettingsCannotBeOverridden() {
    final EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder();
    for (final String key :
        new String[] {"listeners", "advertised.listeners", "controller.quorum.voters", "log.dirs",
            "node.id", " listeners "}) {
      assertThatThrownBy(() -> builder.brokerProperty(key, "PLAINTEXT://0.0.0.0:9092"))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("managed by the embedded cluster");
    }
    assertThatThrownBy(() -> builder.brokerProperties(Map.of("listeners", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void otherBrokerSettingsAreAccepted() {
    assertThat(
            EmbeddedKafkaCluster.builder()
                .brokerProperty("log.retention.hours", "1")
                .brokerProperties(Map.of("num.io.threads", "1"))
                .build())
        .isNotNull();
  }

  @Test
  void rejectsImpossibleLayoutsAndTimeouts() {
    final EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder();
    assertThatThrownBy(() -> builder.brokers(0)).hasMessageContaining("between 1 and");
    assertThatThrownBy(() -> builder.brokers(EmbeddedKafkaCluster.DEDICATED_CONTROLLER_ID))
        .hasMessageContaining("between 1 and");
    assertThatThrownBy(() -> builder.preferredPort(65_536)).hasMessageContaining("Not a TCP port");
    assertThatThrownBy(() -> builder.startupTimeout(Duration.ZERO))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> builder.controllerMode(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void controllerIdFollowsTheMode() {
    assertThat(EmbeddedKafkaCluster.builder().build().controllerId()).isZero();
    assertThat(
            EmbeddedKafkaCluster.builder()
                .brokers(3)
                .controllerMode(ControllerMode.DEDICATED)
                .build()
                .controllerId())
        .isEqualTo(EmbeddedKafkaCluster.DEDICATED_CONTROLLER_ID);
  }

  @Test
  void aClusterThatWasNotStartedRefusesToServeAndClosesQuietly() {
    final EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder().brokers(2).build();

    assertThat(cluster.brokerCount()).isEqualTo(2);
    assertThat(cluster.brokerIds()).containsExactly(0, 1);
    assertThat(cluster.runningBrokerIds()).isEmpty();
    assertThatThrownBy(cluster::bootstrapServers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
    cluster.close();
    cluster.close();
    assertThatThrownBy(cluster::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("started once");
  }
}
