package dev.outpost.registry.serde;

import static dev.outpost.registry.serde.SerdeFixtures.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.ScriptedRegistry;
import dev.outpost.registry.ScriptedRegistry.Reply;
import dev.outpost.registry.ScriptedRegistry.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serdes built from properties, against a small registry served over HTTP. */
class SerdeOverHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private ScriptedRegistry registry;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = ScriptedRegistry.start(this::answer);
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  /** Just enough of a registry: register and fetch by id. */
  private Reply answer(final Request request) {
    try {
      if (request.method().equals("POST") && request.rawPath().matches("/subjects/[^/]+/versions")) {
        final String schema = JSON.readTree(request.body()).get("schema").asText();
        final int id;
        synchronized (ids) {
          id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
        }
        schemas.put(id, schema);
        return Reply.ok("{\"id\":" + id + "}");
      }
      if (request.method().equals("GET") && request.rawPath().startsWith("/schemas/ids/")) {
        final String schema =
            schemas.get(Integer.parseInt(request.rawPath().substring("/schemas/ids/".length())));
        return schema == null
            ? Reply.error(404, 40403, "Schema not found")
            : Reply.ok(JSON.createObjectNode().put("schema", schema).toString());
      }
      return Reply.error(404, 40401, "Subject not found");
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NewsItem item(final int n) {
    final NewsItem item = SerdeFixtures.newsItem();
    item.setId("item-" + n);
    return item;
  }

  @Test
  void steadyStateMakesNoRegistryCallPerRecord() {
    final List<byte[]> written = new ArrayList<>();
    try (SpecificAvroSerde<NewsItem> serde = new SpecificAvroSerde<>()) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      for (int i = 0; i < 100; i++) {
        written.add(serde.serializer().serialize(TOPIC, item(i)));
      }
      for (int i = 0; i < 100; i++) {
        assertThat(serde.deserializer().deserialize(TOPIC, written.get(i))).isEqualTo(item(i));
      }
    }
    // One registration; the shared client already knows the schema of the id it registered.
    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly("POST /subjects/news.items.v1-value/versions");

    try (SpecificAvroDeserializer<NewsItem> consumer = new SpecificAvroDeserializer<>()) {
      consumer.configure(Map.of("schema.registry.url", registry.url()), false);
      for (int i = 0; i < 100; i++) {
        assertThat(consumer.deserialize(TOPIC, written.get(i))).isEqualTo(item(i));
      }
    }
    // A fresh consumer fetches the writer schema once, not once per record.
    assertThat(registry.requests())
        .extracting(Request::line)
        .containsExactly("POST /subjects/news.items.v1-value/versions", "GET /schemas/ids/1");
  }

  @Test
  void aNoArgDeserializerReadsIntoTheClassTheWriterSchemaNames() {
    final byte[] written;
    try (SpecificAvroSerializer<NewsItem> producer = new SpecificAvroSerializer<>()) {
      producer.configure(Map.of("schema.registry.url", registry.url()), true);
      written = producer.serialize(TOPIC, item(1));
    }

    try (SpecificAvroDeserializer<NewsItem> consumer = new SpecificAvroDeserializer<>()) {
      consumer.configure(Map.of("schema.registry.url", registry.url()), true);

      final Object read = consumer.deserialize(TOPIC, written);

      assertThat(read).isInstanceOf(NewsItem.class).isEqualTo(item(1));
    }
    assertThat(registry.requests().get(0).rawPath()).isEqualTo("/subjects/news.items.v1-key/versions");
  }

  @Test
  void theConfiguredValueTypeIsReadInto() {
    final byte[] written;
    try (SpecificAvroSerializer<NewsItem> producer = new SpecificAvroSerializer<>()) {
      producer.configure(Map.of("schema.registry.url", registry.url()), false);
      written = producer.serialize(TOPIC, item(2));
    }

    try (SpecificAvroDeserializer<NewsItem> consumer = new SpecificAvroDeserializer<>()) {
      consumer.configure(
          Map.of(
              "schema.registry.url", registry.url(),
              "specific.avro.reader", "true",
              "specific.avro.value.type", NewsItem.class.getName()),
          false);

      assertThat(consumer.deserialize(TOPIC, written)).isEqualTo(item(2));
    }
  }

  @Test
  void registryDownWhileSerializingOverHttp() throws IOException {
    try (SpecificAvroSerializer<NewsItem> producer = new SpecificAvroSerializer<>()) {
      producer.configure(
          Map.of("schema.registry.url", ScriptedRegistry.deadUrl(), "max.retries", "0"), false);

      assertThatThrownBy(() -> producer.serialize(TOPIC, item(1)))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("topic '" + TOPIC + "'")
          .hasMessageContaining("schema registry unavailable while resolving the id of dev.outpost.model.NewsItem")
          .hasMessageContaining("POST /subjects/news.items.v1-value/versions");
    }
  }

  @Test
  void registryDownWhileDeserializingOverHttp() throws IOException {
    try (SpecificAvroDeserializer<NewsItem> consumer = new SpecificAvroDeserializer<>()) {
      consumer.configure(
          Map.of("schema.registry.url", ScriptedRegistry.deadUrl(), "max.retries", 0), false);

      assertThatThrownBy(() -> consumer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 7, 0}))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("topic '" + TOPIC + "'")
          .hasMessageContaining("schema registry unavailable while fetching schema id 7")
          .hasMessageContaining("GET /schemas/ids/7");
    }
  }

  @Test
  void anUnknownIdOverHttpIsNamed() {
    try (SpecificAvroDeserializer<NewsItem> consumer = new SpecificAvroDeserializer<>()) {
      consumer.configure(Map.of("schema.registry.url", registry.url()), false);

      assertThatThrownBy(() -> consumer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 9, 0}))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("unknown schema id 9");
    }
  }

  @Test
  void aNoArgSerdeWithoutAUrlSaysWhichKeyIsMissing() {
    try (SpecificAvroSerde<NewsItem> serde = new SpecificAvroSerde<>()) {
      assertThatThrownBy(() -> serde.configure(Map.of("auto.register.schemas", "true"), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'schema.registry.url'");
    }
  }
}
