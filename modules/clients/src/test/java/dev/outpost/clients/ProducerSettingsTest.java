package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProducerSettingsTest {

  @Test
  void addsAcksAllAndIdempotenceAndKeepsEverythingElse() {
    // given: connection settings only
    final Map<String, Object> given = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092", "security.protocol", "SSL");

    // when
    final Map<String, Object> safe = ProducerSettings.safe(given);

    // then
    assertThat(safe)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092")
        .containsEntry("security.protocol", "SSL")
        .hasSize(4);
    assertThat(given).doesNotContainKey(ProducerConfig.ACKS_CONFIG);
  }

  @Test
  void whatACallerSetsForItsOwnReasonWins() {
    // given: a transactional writer of large records, batching and compressing
    final Map<String, Object> given = new HashMap<>();
    given.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "outpost-replay.ns");
    given.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    given.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    given.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    given.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    given.put(ProducerConfig.CLIENT_ID_CONFIG, "outpost-replay-ns");

    // when
    final Map<String, Object> safe = ProducerSettings.safe(given);

    // then
    assertThat(safe).containsAllEntriesOf(given).containsAllEntriesOf(ProducerSettings.SAFE_DEFAULTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"all", "ALL", " all ", "-1"})
  void takesAcksAllHoweverItIsWritten(final String acks) {
    assertThat(ProducerSettings.safe(Map.of(ProducerConfig.ACKS_CONFIG, acks))).containsEntry(ProducerConfig.ACKS_CONFIG, "all");
  }

  @Test
  void takesIdempotenceOnAsAStringOrABoolean() {
    assertThat(ProducerSettings.safe(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")))
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    assertThat(ProducerSettings.safe(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.TRUE)))
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "leader"})
  void refusesWeakerAcksNamingTheSetting(final String acks) {
    assertThatThrownBy(() -> ProducerSettings.safe(Map.of(ProducerConfig.ACKS_CONFIG, acks)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks=" + acks);
  }

  @Test
  void refusesIdempotenceOffAsAStringOrABoolean() {
    assertThatThrownBy(() -> ProducerSettings.safe(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.idempotence=false");
    assertThatThrownBy(() -> ProducerSettings.safe(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.FALSE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.idempotence=false");
  }

  @Test
  void kafkaAcceptsTheSettingsAndRefusesWhatWouldQuietlyTurnIdempotenceOff() {
    // given: the safe settings, and a producer that is never sent to (no broker is reached)
    final Map<String, Object> safe = ProducerSettings.safe(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"));

    // then: Kafka takes them as they are
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(safe, new StringSerializer(), new StringSerializer())) {
      assertThat(producer.metrics()).isNotEmpty();
    }

    // and: with idempotence set explicitly, Kafka itself refuses retries=0 instead of turning it off
    final Map<String, Object> noRetries = new HashMap<>(safe);
    noRetries.put(ProducerConfig.RETRIES_CONFIG, 0);
    assertThatThrownBy(() -> new KafkaProducer<>(noRetries, new StringSerializer(), new StringSerializer()))
        .hasMessageContaining(ProducerConfig.RETRIES_CONFIG);
  }
}
