package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.Subscription;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.ops.lag.LagEvents;
import dev.outpost.ops.lag.LagMonitor;
import dev.outpost.ops.lag.LagStatus;
import dev.outpost.ops.lag.StatusRules;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.SubscriptionStore;
import dev.outpost.subscribers.Subscriptions;
import dev.outpost.subscribers.dispatch.DispatchSettings;
import dev.outpost.subscribers.dispatch.Dispatcher;
import dev.outpost.subscribers.dispatch.Signature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lag status change reaches a webhook: the lag monitor writes it to the ops topic, and the
 * dispatcher delivers it, signed, to a subscription that asked for ops events, on a receiver on
 * 127.0.0.1 the test runs. A subscription that asked for alerts only hears nothing of it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LagEventsWebhookIT {

  private static final String SECRET = "a-shared-secret-for-signatures";
  private static final String KEY = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final SecretCipher CIPHER = SecretCipher.fromKeys(KEY, "the test key");

  @TempDir Path dir;

  /** What the receiver was sent: the body and whether its signature checked out. */
  private record Received(String path, String body, boolean signed) {}

  @Test
  void aLagStatusChangeReachesAWebhookSubscribedToOpsEvents() throws Exception {
    final List<Received> received = new CopyOnWriteArrayList<>();
    final HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          final byte[] body = exchange.getRequestBody().readAllBytes();
          final String signature = exchange.getRequestHeaders().getFirst(Signature.HEADER);
          received.add(new Received(exchange.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8), signature != null && Signature.verify(SECRET, signature, body)));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    final String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      // given: the topics 'outpost dispatch' makes, a lagging group, and two subscriptions
      stack.cluster().createTopics(Topics.dispatchTopics("ops-it"), (short) 1);
      stack.cluster().createTopics(List.of(Topics.OPS_EVENTS, new TopicSpec<>("ops.it.v1", String.class, String.class, 1, CleanupPolicy.DELETE)), (short) 1);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>("ops.it.v1", "k", "v" + i)).get();
        }
      }
      final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "ops-it-lagging");
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        c.commitSync(Map.of(new TopicPartition("ops.it.v1", 0), new OffsetAndMetadata(1)));
      }
      final SubscriptionStore store = new SubscriptionStore(stack.kafkaProperties(), registry, CIPHER);
      final AlertFilter everything = new AlertFilter(Set.of(), Set.of(), 0, List.of());
      final Subscription ops = Subscriptions.withEvents(Subscriptions.webhook("pager", everything, base + "/ops", SECRET, Instant.now()), List.of("ops"));
      store.put(ops);
      store.put(Subscriptions.webhook("alerts-only", everything, base + "/alerts", SECRET, Instant.now()));
      assertThat(Subscriptions.describe(ops)).contains("events=ops");
      final DispatchSettings settings =
          new DispatchSettings("ops-it", Duration.ofSeconds(5), 3, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(2), 10)
              .withOutbound(OutboundPolicy.allowing("127.0.0.1"));
      try (Dispatcher dispatcher = new Dispatcher(stack.kafkaProperties(), registry, settings, CIPHER, Clock.systemUTC()).start();
          LagEvents events = new LagEvents(stack.kafkaProperties());
          LagMonitor monitor = new LagMonitor(stack.kafkaProperties(), StatusRules.DEFAULT, Clock.systemUTC()).onChange(events)) {
        // when: the monitor first sees the group, four records behind with nobody reading
        assertThat(monitor.sample(List.of("ops-it-lagging")).get(0).status()).isEqualTo(LagStatus.STOP);

        // then: the pager hears of it, signed
        await()
            .alias("the lag event at the ops webhook")
            .atMost(Duration.ofSeconds(60))
            .until(() -> received.stream().anyMatch(r -> r.path().equals("/ops")));
        final Received event = received.stream().filter(r -> r.path().equals("/ops")).findFirst().orElseThrow();
        assertThat(event.signed()).as("signed with the subscription's secret").isTrue();
        final JsonNode json = new ObjectMapper().readTree(event.body());
        assertThat(json.get("kind").asText()).isEqualTo(LagEvents.KIND_STATUS);
        assertThat(json.get("group").asText()).isEqualTo("ops-it-lagging");
        assertThat(json.get("from").isNull()).isTrue();
        assertThat(json.get("to").asText()).isEqualTo("STOP");
        assertThat(json.get("lagRecords").asLong()).isEqualTo(4);
        assertThat(json.get("reason").asText()).contains("no members");
        assertThat(dispatcher.isRunning()).isTrue();
      }
      assertThat(received).noneMatch(r -> r.path().equals("/alerts"));
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      receiver.stop(0);
    }
  }
}
