package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Server-sent alerts: filtered by category and per story, resumed after a reconnect with Last-Event-ID. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AlertStreamIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static EmbeddedStack stack;
  private static SchemaRegistryClient registry;
  private static HttpServer server;

  @BeforeAll
  static void start() throws IOException {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
    registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/alerts/stream", new AlertStream(stack.kafkaProperties(), registry, 4));
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    registry.close();
    stack.close();
  }

  /** One SSE event as the client saw it. */
  record Event(String id, String data) {}

  /** Reads events from a stream on a thread of its own, until closed. */
  static final class Client implements AutoCloseable {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final InputStream body;

    Client(final String query, final String lastEventId) throws Exception {
      final HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts/stream?" + query));
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      final HttpResponse<InputStream> response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      body = response.body();
      final Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                  String id = null;
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("id: ")) {
                      id = line.substring(4);
                    } else if (line.startsWith("data: ")) {
                      events.add(new Event(id, line.substring(6)));
                    }
                  }
                } catch (final IOException e) {
                  // Closed by the test.
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  private static void publish(final String prefix, final int perCategory) throws Exception {
    try (SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        for (int i = 0; i < perCategory; i++) {
          for (final Category c : Category.values()) {
            final String item = prefix + "-" + i;
            producer
                .send(
                    new ProducerRecord<>(
                        Topics.alertTopicFor(c).name(),
                        item,
                        Alert.newBuilder()
                            .setAlertId(item + "#" + c.name().toLowerCase(Locale.ROOT))
                            .setItemId(item)
                            .setCategory(c)
                            .setConfidence(0.8)
                            .setActors(List.of("RUS"))
                            .setEvidence(List.of())
                            .setTitle("Title " + item)
                            .setSource("it")
                            .setClassifiedAt(Instant.now())
                            .setClassifierVersion("v")
                            .build()))
                .get();
          }
        }
      }
    }
  }

  @Test
  void aStreamFiltersByCategoryAndResumesAfterTheLastEventItSaw() throws Exception {
    final List<Event> first;
    final String lastSeen;
    try (Client client = new Client("category=parade&category=troop-dispatch", null)) {
      publish("one", 5);
      await().alias("ten events").atMost(Duration.ofSeconds(30)).until(() -> client.events.size() >= 10);
      first = new ArrayList<>(client.events);
      lastSeen = first.get(first.size() - 1).id();
    }
    publish("two", 5);
    try (Client again = new Client("category=parade&category=troop-dispatch", lastSeen)) {
      await().alias("the ten published while away").atMost(Duration.ofSeconds(30)).until(() -> again.events.size() >= 10);
      final List<String> all = new ArrayList<>();
      first.forEach(e -> all.add(e.data()));
      again.events.forEach(e -> all.add(e.data()));
      assertThat(all).hasSize(20).doesNotHaveDuplicates();
      assertThat(all).allSatisfy(d -> assertThat(d).containsAnyOf("\"category\":\"PARADE\"", "\"category\":\"TROOP_DISPATCH\""));
      assertThat(again.events).allSatisfy(e -> assertThat(e.data()).contains("two-"));
    }
  }

  @Test
  void perStoryAStreamSendsAStorysFirstAlertAndMilestonesAndEveryAlertWithoutAStory() throws Exception {
    try (Client client = new Client("category=parade&per_story=true", null)) {
      try (SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
        values.configure(Map.of(), false);
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
          // One key, so one partition and the order they were sent in: the alert without a story
          // comes last, and once it is there, everything before it has been sent or left out.
          for (int n = 1; n <= 6; n++) {
            producer.send(new ProducerRecord<>(Topics.ALERTS_PARADE.name(), "story", storyAlert("story-" + n, "s-parade", n))).get();
          }
          producer.send(new ProducerRecord<>(Topics.ALERTS_PARADE.name(), "story", storyAlert("no-story", null, 0))).get();
        }
      }
      await()
          .alias("the alert without a story")
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.events.stream().anyMatch(e -> e.data().contains("\"no-story#parade\"")));
      assertThat(client.events)
          .extracting(AlertStreamIT::alertId)
          .containsExactly("story-1#parade", "story-5#parade", "no-story#parade");
    }
  }

  private static String alertId(final Event event) {
    try {
      return JSON.readTree(event.data()).get("alertId").asText();
    } catch (final IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Alert storyAlert(final String item, final String storyId, final int storyItems) {
    return Alert.newBuilder()
        .setAlertId(item + "#parade")
        .setItemId(item)
        .setCategory(Category.PARADE)
        .setConfidence(0.8)
        .setActors(List.of("PRK"))
        .setEvidence(List.of())
        .setTitle("Title " + item)
        .setSource("outlet-" + storyItems)
        .setClassifiedAt(Instant.now())
        .setClassifierVersion("v")
        .setStoryId(storyId)
        .setStoryItems(storyItems)
        .setStorySources(storyItems)
        .build();
  }

  @Test
  void aBadFilterOrEventIdIsRefusedWithTheReason() throws Exception {
    final HttpClient http = HttpClient.newHttpClient();
    final String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts/stream";
    final HttpResponse<String> category =
        http.send(HttpRequest.newBuilder(URI.create(base + "?category=riots")).build(), HttpResponse.BodyHandlers.ofString());
    final HttpResponse<String> perStory =
        http.send(HttpRequest.newBuilder(URI.create(base + "?per_story=yes")).build(), HttpResponse.BodyHandlers.ofString());
    final HttpResponse<String> id =
        http.send(
            HttpRequest.newBuilder(URI.create(base)).header("Last-Event-ID", "not-an-id").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(category.statusCode()).isEqualTo(400);
    assertThat(category.body()).contains("unknown category 'riots'");
    assertThat(perStory.statusCode()).isEqualTo(400);
    assertThat(perStory.body()).contains("per_story 'yes' is not true or false");
    assertThat(id.statusCode()).isEqualTo(400);
    assertThat(id.body()).contains("Last-Event-ID 'not-an-id'");
  }
}
