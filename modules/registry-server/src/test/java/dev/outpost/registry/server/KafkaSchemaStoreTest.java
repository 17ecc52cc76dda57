package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.registry.CompatibilityLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaSchemaStore}'s logic without a broker, over Kafka's mock clients (see {@link
 * FakeTopic}). The broker-backed test lives in modules/embedded.
 */
class KafkaSchemaStoreTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FakeTopic topic = new FakeTopic();
  private final AtomicInteger topicChecks = new AtomicInteger();

  private KafkaSchemaStore store(final FakeTopic over, final Duration timeout) {
    return new KafkaSchemaStore(
        FakeTopic.NAME,
        timeout,
        topicChecks::incrementAndGet,
        over::producer,
        over::consumer,
        "test store");
  }

  @Test
  void idsSurviveARestartOfServerAndStore() {
    final int v1;
    final int v2;
    try (KafkaSchemaStore store = store(topic, TIMEOUT);
        RegistryServer server = RegistryServer.builder().store(store).build()) {
      server.start();
      final RegistryHttp http = new RegistryHttp(server.url());
      v1 = http.register("alerts-value", Schemas.V1);
      v2 = http.register("alerts-value", Schemas.V2);
      http.setLevel("alerts-value", "FULL");
    }
    assertThat(topic.records()).hasSize(3);
    assertThat(new String(topic.records().get(0).key(), StandardCharsets.UTF_8))
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"alerts-value\",\"version\":1,\"magic\":1}");

    try (KafkaSchemaStore store = store(topic, TIMEOUT);
        RegistryServer server = RegistryServer.builder().store(store).build()) {
      server.start();
      final RegistryHttp http = new RegistryHttp(server.url());
      assertThat(http.get("/subjects/alerts-value/versions/1").body().get("id").asInt())
          .isEqualTo(v1);
      assertThat(http.register("alerts-value", Schemas.V2)).isEqualTo(v2);
      assertThat(http.get("/config/alerts-value").body().get("compatibilityLevel").asText())
          .isEqualTo("FULL");
      assertThat(http.register("news-value", "\"string\"")).isEqualTo(v2 + 1);
    }
    assertThat(topicChecks).hasValue(2);
  }

  @Test
  void replayReadsTheWholeTopicInOrderAndSkipsWhatItCannotRead() {
    topic.write(bytes("not a key"), bytes("{}"));
    for (final TopicDump.Line line : TopicDump.confluentTopic()) {
      topic.write(line.key(), line.value());
    }
    try (KafkaSchemaStore store = store(topic, TIMEOUT)) {
      final List<StoreRecord> records = store.replay();
      assertThat(records).hasSize(12);
      assertThat(records.get(0)).isEqualTo(new StoreRecord.Config(null, CompatibilityLevel.FULL));
      assertThat(records.get(11)).isEqualTo(new StoreRecord.Config("temp-value", null));
      // A second replay reads from the beginning again.
      assertThat(store.replay()).isEqualTo(records);
    }
  }

  @Test
  void appendReturnsOnlyOnceItsOwnConsumerReadTheRecordBack() {
    final StoreRecord record = new StoreRecord.Config(null, CompatibilityLevel.NONE);
    try (KafkaSchemaStore store = store(topic, TIMEOUT)) {
      store.replay();
      store.append(record);
      assertThat(store.replay()).containsExactly(record);
    }

    // A consumer on another topic never sees the write: the append must time out, not return.
    final FakeTopic elsewhere = new FakeTopic();
    try (KafkaSchemaStore blind =
        new KafkaSchemaStore(
            FakeTopic.NAME,
            Duration.ofMillis(200),
            () -> { },
            topic::producer,
            elsewhere::consumer,
            "blind store")) {
      assertThatThrownBy(() -> blind.append(record))
          .isInstanceOf(SchemaStoreException.class)
          .hasMessageContaining("Timed out");
    }
  }

  @Test
  void twoRegistriesOnOneTopicTakeTurnsAndNeverShareAnId() {
    try (KafkaSchemaStore firstStore = store(topic, TIMEOUT);
        KafkaSchemaStore secondStore = store(topic, TIMEOUT);
        RegistryServer first = RegistryServer.builder().store(firstStore).build();
        RegistryServer second = RegistryServer.builder().store(secondStore).build()) {
      first.start();
      second.start();
      final RegistryHttp one = new RegistryHttp(first.url());
      final RegistryHttp two = new RegistryHttp(second.url());

      final int a = one.register("a-value", Schemas.V1);
      // The second registry started before the first wrote: its next id would be the same one.
      final int b = two.register("b-value", Schemas.V2_NO_DEFAULT);
      final int c = one.register("c-value", "\"string\"");
      final int shared = two.register("d-value", Schemas.V1);

      assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
      assertThat(shared).as("the same schema keeps its id across registries").isEqualTo(a);
      for (final RegistryHttp http : List.of(one, two)) {
        assertThat(http.get("/schemas/ids/" + b).status()).isEqualTo(200);
        assertThat(http.get("/schemas/ids/" + c).status()).isEqualTo(200);
        assertThat(http.get("/subjects/d-value/versions/1").body().get("id").asInt()).isEqualTo(a);
      }
    }
    assertThat(topic.records()).hasSize(4);
  }

  @Test
  void aFencedWriteIsNotCommittedAndTheFencedStoreRereadsBeforeItWrites() {
    final StoreRecord mine = new StoreRecord.Config("mine", CompatibilityLevel.FULL);
    final StoreRecord theirs = new StoreRecord.Config("theirs", CompatibilityLevel.NONE);
    try (KafkaSchemaStore first = store(topic, TIMEOUT);
        KafkaSchemaStore second = store(topic, TIMEOUT)) {
      first.replay();
      second.replay();
      first.append(mine);
      // The second store takes the writes over, finds the first's record, and writes only once it
      // has handed that record on.
      assertThatThrownBy(() -> second.append(theirs))
          .isInstanceOf(SchemaStoreConflictException.class)
          .hasMessageContaining("1 records another registry wrote");
      assertThat(second.catchUp()).containsExactly(mine);
      second.append(theirs);

      // The first store was fenced by the second: its write is refused, and nothing is written.
      assertThatThrownBy(() -> first.append(mine))
          .isInstanceOf(SchemaStoreConflictException.class)
          .hasMessageContaining("Another registry took over");
      assertThat(topic.records()).hasSize(2);
      // It takes the writes back, finds what the other wrote, and refuses until that is applied.
      assertThatThrownBy(() -> first.append(mine))
          .isInstanceOf(SchemaStoreConflictException.class)
          .hasMessageContaining("1 records another registry wrote");
      assertThat(first.catchUp()).containsExactly(theirs);
      first.append(mine);
      assertThat(second.catchUp()).containsExactly(mine);
      assertThat(first.catchUp()).isEmpty();
    }
    assertThat(topic.records()).hasSize(3);
    assertThat(topic.records()).extracting(record -> record.offset()).containsExactly(0L, 1L, 2L);
  }

  @Test
  void recordsAppendedTogetherLandTogetherOrNotAtAll() {
    final List<StoreRecord> permanentDelete =
        List.of(
            new StoreRecord.VersionTombstone("a-value", 2),
            new StoreRecord.VersionTombstone("a-value", 1),
            new StoreRecord.Config("a-value", null),
            new StoreRecord.Mode("a-value", null));
    try (KafkaSchemaStore first = store(topic, TIMEOUT);
        KafkaSchemaStore second = store(topic, TIMEOUT)) {
      first.replay();
      second.replay();
      first.appendAll(permanentDelete);
      assertThat(topic.records()).hasSize(4);
      assertThat(second.catchUp()).isEqualTo(permanentDelete);
      assertThat(first.replay()).isEqualTo(permanentDelete);

      // The second store fences the first: the first's next change is refused whole.
      second.append(new StoreRecord.Mode(null, "READONLY"));
      assertThatThrownBy(() -> first.appendAll(permanentDelete))
          .isInstanceOf(SchemaStoreConflictException.class);
      assertThat(topic.records()).hasSize(5);
    }
  }

  @Test
  void aWriteThatIsNeverAcknowledgedFails() {
    final MockProducer<byte[], byte[]> stuck =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (KafkaSchemaStore store =
        new KafkaSchemaStore(
            FakeTopic.NAME, Duration.ofMillis(200), () -> { }, () -> stuck, topic::consumer, "s")) {
      assertThatThrownBy(() -> store.append(new StoreRecord.Config(null, CompatibilityLevel.FULL)))
          .isInstanceOf(SchemaStoreException.class)
          .hasMessageContaining("Failed to write to topic " + FakeTopic.NAME);
    }
  }

  @Test
  void aStoreFailureIsA50001AndLeavesTheStateUnchanged() {
    final MockProducer<byte[], byte[]> failing =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (KafkaSchemaStore store =
            new KafkaSchemaStore(
                FakeTopic.NAME, TIMEOUT, () -> { }, () -> failing, topic::consumer, "s");
        RegistryServer server = RegistryServer.builder().store(store).build()) {
      server.start();
      failing.sendException = new org.apache.kafka.common.errors.TimeoutException("broker gone");
      final RegistryHttp http = new RegistryHttp(server.url());
      final RegistryHttp.Reply reply =
          http.post("/subjects/alerts-value/versions", RegistryHttp.schemaBody(Schemas.V1));
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.errorCode()).isEqualTo(50001);
      assertThat(http.get("/subjects").body()).isEmpty();
    }
  }

  @Test
  void aTopicThatCannotBePreparedStopsTheServerFromStarting() {
    try (KafkaSchemaStore store =
            new KafkaSchemaStore(
                FakeTopic.NAME,
                TIMEOUT,
                () -> {
                  throw new SchemaStoreException("no brokers", null);
                },
                topic::producer,
                topic::consumer,
                "s");
        RegistryServer server = RegistryServer.builder().store(store).build()) {
      assertThatThrownBy(server::start)
          .isInstanceOf(SchemaStoreException.class)
          .hasMessage("no brokers");
      assertThatThrownBy(server::url).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aClosedStoreRefusesWork() {
    final KafkaSchemaStore store = store(topic, TIMEOUT);
    store.replay();
    store.close();
    store.close();
    assertThatThrownBy(store::replay).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void thePublicConstructorConnectsToNothingUntilUsed() {
    try (KafkaSchemaStore store =
        new KafkaSchemaStore("127.0.0.1:1", "_schemas", (short) 3, Map.of())) {
      assertThat(store).hasToString("KafkaSchemaStore[topic=_schemas, bootstrap=127.0.0.1:1]");
    }
    assertThatThrownBy(() -> new KafkaSchemaStore(" ", "_schemas", (short) 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KafkaSchemaStore("h:9092", "", (short) 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KafkaSchemaStore("h:9092", "_schemas", (short) 0, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KafkaSchemaStore("h:9092", "_schemas", (short) 1, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void producerIsIdempotentWithAcksAllAndTakesSecurityOverrides() {
    final Map<String, Object> overrides =
        Map.of(
            CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "ignored");
    final Map<String, Object> producer = KafkaSchemaStore.producerConfig("h:9092", "_schemas", overrides);
    assertThat(producer)
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "_schemas-writer")
        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
        .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

    final Map<String, Object> consumer =
        KafkaSchemaStore.consumerConfig(
            "h:9092",
            "_schemas",
            Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                ConsumerConfig.GROUP_ID_CONFIG, "someone"));
    assertThat(consumer)
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL")
        .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)
        .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);

    assertThat(KafkaSchemaStore.adminConfig("h:9092", Map.of("sasl.mechanism", "PLAIN")))
        .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "h:9092")
        .containsEntry("sasl.mechanism", "PLAIN");
  }

  @Test
  void overridesAskingForLessSafetyAreRefused() {
    assertThatThrownBy(
            () -> KafkaSchemaStore.producerConfig("h:9092", "_schemas", Map.of(ProducerConfig.ACKS_CONFIG, "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks=1");
    assertThatThrownBy(
            () -> KafkaSchemaStore.consumerConfig("h:9092", "_schemas", Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.auto.commit=true");
    // A transactional id of the operator's own still wins, as the class javadoc says.
    assertThat(KafkaSchemaStore.producerConfig("h:9092", "_schemas", Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "registries")))
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "registries")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
  }

  private static byte[] bytes(final String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
