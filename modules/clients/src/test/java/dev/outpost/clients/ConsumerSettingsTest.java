package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {

  @Test
  void turnsAutoCommitOffSetsTheLevelNamedAndKeepsEverythingElse() {
    // given
    final Map<String, Object> given =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092",
            ConsumerConfig.GROUP_ID_CONFIG, "outpost-subscribe",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

    // when
    final Map<String, Object> committed = ConsumerSettings.safe(given, IsolationLevel.READ_COMMITTED);
    final Map<String, Object> uncommitted = ConsumerSettings.safe(given, IsolationLevel.READ_UNCOMMITTED);

    // then
    assertThat(committed)
        .containsAllEntriesOf(given)
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .hasSize(5);
    assertThat(uncommitted).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
  }

  @Test
  void theLevelTheCodeNamesReplacesTheOneInTheProperties() {
    // given: a configuration file's isolation level, shared by every client
    final Map<String, Object> given = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");

    // then
    assertThat(ConsumerSettings.safe(given, IsolationLevel.READ_COMMITTED))
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  @Test
  void takesAutoCommitOffAsWrittenAndRefusesItOn() {
    assertThat(ConsumerSettings.safe(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), IsolationLevel.READ_COMMITTED))
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    assertThatThrownBy(() -> ConsumerSettings.safe(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true"), IsolationLevel.READ_COMMITTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.auto.commit=true");
    assertThatThrownBy(() -> ConsumerSettings.safe(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Boolean.TRUE), IsolationLevel.READ_COMMITTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.auto.commit=true");
  }

  @Test
  void theLevelIsNeverDefaulted() {
    assertThatThrownBy(() -> ConsumerSettings.safe(Map.of(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("isolationLevel");
  }
}
