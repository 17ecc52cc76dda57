package dev.outpost.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.clients.TopicReader;
import dev.outpost.model.Alert;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Story;
import dev.outpost.model.Subscription;
import dev.outpost.model.SurgeAlert;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TopicSerdesTest {

  /** No broker listens here; making a client does not connect, and nothing is sent. */
  private static final Map<String, Object> NO_BROKER = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  /** Every topic of the catalog, a dispatcher's included: a topic added there is tested here. */
  static Stream<TopicSpec<?, ?>> catalog() throws IllegalAccessException {
    final List<TopicSpec<?, ?>> specs = new ArrayList<>();
    for (final Field f : Topics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == TopicSpec.class) {
        specs.add((TopicSpec<?, ?>) f.get(null));
      }
    }
    specs.addAll(Topics.dispatchTopics("outpost-dispatch"));
    assertThat(specs).contains(Topics.NEWS_ITEMS, Topics.SUBSCRIPTIONS, Topics.REGISTRY_SCHEMAS, Topics.WATCH_STATE);
    return specs.stream();
  }

  /** One value of each type a catalog topic has. */
  private static Object sample(final Class<?> type) {
    if (type == String.class) {
      return "item-1";
    }
    if (type == byte[].class) {
      return new byte[] {0, 1, 2, (byte) 0xff};
    }
    if (type == NewsItem.class) {
      return SerdeFixtures.newsItem();
    }
    if (type == ClassifiedItem.class) {
      return SerdeFixtures.classifiedItem();
    }
    if (type == Alert.class) {
      return SerdeFixtures.alert();
    }
    if (type == Subscription.class) {
      return SerdeFixtures.subscription();
    }
    if (type == Story.class) {
      return SerdeFixtures.story();
    }
    if (type == SurgeAlert.class) {
      return SerdeFixtures.surgeAlert();
    }
    throw new AssertionError("No sample of " + type.getName() + ": add one for the new catalog type");
  }

  @ParameterizedTest
  @MethodSource("catalog")
  void everyCatalogTopicsKeysAndValuesRoundTripThroughTheRegistry(final TopicSpec<?, ?> spec) {
    roundTrip(spec.name(), TopicSerdes.keySerde(spec, registry), sample(spec.keyType()), "key");
    roundTrip(spec.name(), TopicSerdes.valueSerde(spec, registry), sample(spec.valueType()), "value");
  }

  private <T> void roundTrip(final String topic, final Serde<T> serde, final Object sample, final String side) {
    // given
    final T value = TopicSerdesTest.<T>cast(sample);

    // when
    final byte[] bytes = serde.serializer().serialize(topic, value);
    final T back = serde.deserializer().deserialize(topic, bytes);

    // then
    assertThat(back).isEqualTo(value);
    if (value instanceof SpecificRecord) {
      // Written in the wire format, its schema registered under the subject of its side
      assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
      assertThat(registry.subjects()).contains(topic + "-" + side);
    } else {
      assertThat(registry.subjects()).noneMatch(s -> s.startsWith(topic + "-"));
    }
  }

  /** The sample of a spec's type is of that type: the serde made from the same spec takes it. */
  @SuppressWarnings("unchecked")
  private static <T> T cast(final Object sample) {
    return (T) sample;
  }

  @ParameterizedTest
  @MethodSource("catalog")
  void writesTheSameBytesAsTheHandBuiltSerdesDid(final TopicSpec<?, ?> spec) {
    sameBytes(spec, spec.keyType(), TopicSerdes.keySerde(spec, new InMemorySchemaRegistryClient()));
    sameBytes(spec, spec.valueType(), TopicSerdes.valueSerde(spec, new InMemorySchemaRegistryClient()));
  }

  private static <T> void sameBytes(final TopicSpec<?, ?> spec, final Class<?> type, final Serde<T> fromCatalog) {
    // given: what each call site built by hand, each on a fresh registry, so both get schema id 1
    final T value = TopicSerdesTest.<T>cast(sample(type));
    final byte[] byHand;
    if (value instanceof SpecificRecord record) {
      try (SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>(new InMemorySchemaRegistryClient())) {
        byHand = serializer.serialize(spec.name(), record);
      }
    } else if (value instanceof String text) {
      byHand = new StringSerializer().serialize(spec.name(), text);
    } else {
      byHand = (byte[]) value;
    }

    // then
    assertThat(fromCatalog.serializer().serialize(spec.name(), value)).isEqualTo(byHand);
  }

  @Test
  void anAvroKeyIsRegisteredUnderTheKeySubject() {
    // given: a topic keyed by a record, which the catalog has none of yet
    final TopicSpec<NewsItem, String> keyed = new TopicSpec<>("test.keyed.v1", NewsItem.class, String.class, 1, CleanupPolicy.DELETE);

    // when
    final Serde<NewsItem> keys = TopicSerdes.keySerde(keyed, registry);
    final byte[] bytes = keys.serializer().serialize(keyed.name(), SerdeFixtures.newsItem());

    // then
    assertThat(registry.subjects()).containsExactly("test.keyed.v1-key");
    assertThat(keys.deserializer().deserialize(keyed.name(), bytes)).isEqualTo(SerdeFixtures.newsItem());
  }

  @Test
  void serdeSettingsReachTheAvroSerdes() {
    // given: schemas must be registered beforehand
    final Serde<NewsItem> strict = TopicSerdes.valueSerde(Topics.NEWS_ITEMS, registry, Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"));

    // then
    assertThatThrownBy(() -> strict.serializer().serialize(Topics.NEWS_ITEMS.name(), SerdeFixtures.newsItem()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("news.items.v1-value");
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void aTypeWithNoSerdeFailsNamingTheTopicAndTheClass() {
    // given
    final TopicSpec<Long, String> longKeys = new TopicSpec<>("test.longs.v1", Long.class, String.class, 1, CleanupPolicy.DELETE);

    // then
    assertThatThrownBy(() -> TopicSerdes.keySerde(longKeys, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.longs.v1")
        .hasMessageContaining("java.lang.Long");
    assertThatThrownBy(() -> TopicSerdes.producer(longKeys, NO_BROKER, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.longs.v1")
        .hasMessageContaining("java.lang.Long");
    assertThatThrownBy(() -> TopicSerdes.reader(longKeys, NO_BROKER, IsolationLevel.READ_COMMITTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Long");
  }

  @Test
  void anAvroTopicWithoutARegistryFailsNamingTheTopicAndTheClass() {
    assertThatThrownBy(() -> TopicSerdes.producer(Topics.NEWS_ITEMS, NO_BROKER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("news.items.v1")
        .hasMessageContaining(NewsItem.class.getName());
    assertThatThrownBy(() -> TopicSerdes.reader(Topics.SUBSCRIPTIONS, NO_BROKER, IsolationLevel.READ_COMMITTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outpost.subscriptions.v1")
        .hasMessageContaining(Subscription.class.getName());
  }

  @Test
  void aProducerTakesWhatItsCallerSetsOnPurposeAndRefusesLessSafety() {
    // given: a transactional writer that batches, as the replay is
    final Map<String, Object> props = new HashMap<>(NO_BROKER);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "outpost-replay.test");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);

    // then: it is made, with the topic's types
    try (KafkaProducer<String, NewsItem> producer = TopicSerdes.producer(Topics.NEWS_ITEMS, props, registry)) {
      assertThat(producer.metrics()).isNotEmpty();
    }
    // and: a weaker acks, or idempotence off, is refused before any client is made
    assertThatThrownBy(() -> TopicSerdes.producer(Topics.NEWS_ITEMS, Map.of(ProducerConfig.ACKS_CONFIG, "1"), registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks=1");
    assertThatThrownBy(() -> TopicSerdes.producer(Topics.WATCH_STATE, Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.idempotence=false");
  }

  @Test
  void aConsumerOrReaderRefusesAutoCommit() {
    // given
    final Map<String, Object> autoCommit = new HashMap<>(NO_BROKER);
    autoCommit.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");

    // then: made without it, refused with it
    try (KafkaConsumer<String, Alert> consumer =
        TopicSerdes.consumer(Topics.ALERTS_PARADE, NO_BROKER, IsolationLevel.READ_COMMITTED, registry)) {
      assertThat(consumer.metrics()).isNotEmpty();
    }
    assertThatThrownBy(() -> TopicSerdes.consumer(Topics.ALERTS_PARADE, autoCommit, IsolationLevel.READ_COMMITTED, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.auto.commit=true");
    assertThatThrownBy(() -> TopicSerdes.reader(Topics.REPLAY_STATE, autoCommit, IsolationLevel.READ_COMMITTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.auto.commit=true");
  }

  @Test
  void aTopicOfStringsNeedsNoRegistry() {
    final byte[] bytes = "{\"etag\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    try (TopicReader<String, String> reader = TopicSerdes.reader(Topics.WATCH_STATE, NO_BROKER, IsolationLevel.READ_COMMITTED)) {
      assertThat(reader.isolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
    }
    assertThat(TopicSerdes.valueSerde(Topics.WATCH_STATE, registry).deserializer().deserialize(Topics.WATCH_STATE.name(), bytes))
        .isEqualTo("{\"etag\":\"x\"}");
  }
}
