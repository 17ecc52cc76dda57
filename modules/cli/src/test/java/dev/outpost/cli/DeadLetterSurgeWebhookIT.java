package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Topics;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.ops.DeadLetterCounts;
import dev.outpost.ops.DeadLetterSurges;
import dev.outpost.ops.lag.LagEvents;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.SubscriptionStore;
import dev.outpost.subscribers.Subscriptions;
import dev.outpost.subscribers.dispatch.DispatchSettings;
import dev.outpost.subscribers.dispatch.Dispatcher;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.DeadLetters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A surge of dead letters reaches a webhook as a lag status change does: the dead-letter counts
 * see it, {@link DeadLetterSurges} writes one event to the ops topic through {@link LagEvents}, and
 * the dispatcher delivers it to a subscription that asked for ops events, on a receiver on
 * 127.0.0.1 the test runs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeadLetterSurgeWebhookIT {

  private static final String SECRET = "a-shared-secret-for-signatures";
  private static final String KEY = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final SecretCipher CIPHER = SecretCipher.fromKeys(KEY, "the test key");

  @TempDir Path dir;

  @Test
  void aDeadLetterSurgeReachesAWebhookSubscribedToOpsEvents() throws Exception {
    final List<String> received = new CopyOnWriteArrayList<>();
    final HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/ops",
        exchange -> {
          received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      // given: the dispatcher's topics, a subscription to ops events, and the counts read once
      stack.cluster().createTopics(Topics.dispatchTopics("surge-it"), (short) 1);
      stack.cluster().createTopics(List.of(Topics.OPS_EVENTS), (short) 1);
      final SubscriptionStore store = new SubscriptionStore(stack.kafkaProperties(), registry, CIPHER);
      final AlertFilter everything = new AlertFilter(Set.of(), Set.of(), 0, List.of());
      store.put(Subscriptions.withEvents(Subscriptions.webhook("pager", everything, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/ops", SECRET, Instant.now()), List.of("ops")));
      final DispatchSettings settings =
          new DispatchSettings("surge-it", Duration.ofSeconds(5), 3, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(2), 10)
              .withOutbound(OutboundPolicy.allowing("127.0.0.1"));
      try (Dispatcher dispatcher = new Dispatcher(stack.kafkaProperties(), registry, settings, CIPHER, Clock.systemUTC()).start();
          LagEvents events = new LagEvents(stack.kafkaProperties());
          DeadLetterCounts counts =
              new DeadLetterCounts(stack.kafkaProperties(), Topics.NEWS_ITEMS_DLQ.name(), DeadLetters.REASON, Clock.systemUTC())
                  .onRefresh(new DeadLetterSurges(new DeadLetterSurges.Rule(2, Duration.ofMinutes(5)), Clock.systemUTC(), events::publish))) {
        assertThat(counts.refresh().total()).isZero();

        // when: three dead letters of one reason, more than the rule's two
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(stack.kafkaProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
          for (int i = 0; i < 3; i++) {
            final RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetters.REASON, DeadLetterReason.UNKNOWN_SCHEMA_ID.tag().getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS_DLQ.name(), null, ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 9}, headers)).get();
          }
        }
        assertThat(counts.refresh().total()).isEqualTo(3);
        assertThat(counts.refresh().total()).as("a refresh with nothing new adds no event").isEqualTo(3);

        // then: the pager hears of the surge, once
        await().alias("the surge event at the ops webhook").atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
        final JsonNode event = new ObjectMapper().readTree(received.get(0));
        assertThat(event.get("kind").asText()).isEqualTo(DeadLetterSurges.KIND_SURGE);
        assertThat(event.get("reason").asText()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID.tag());
        assertThat(event.get("added").asLong()).isEqualTo(3);
        assertThat(dispatcher.isRunning()).isTrue();
      }
      assertThat(received).hasSize(1);
    } finally {
      receiver.stop(0);
    }
  }
}
