package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.subscribers.dispatch.Signature;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost dispatch} as users run it: a process that delivers until SIGTERM. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DispatchCommandIT {

  private static final String SECRET = "dispatch-it-secret-0123456789";

  @TempDir Path dir;

  @Test
  void deliversSignedAlertsToASubscribedWebhookAndStopsOnSigterm() throws Exception {
    final List<String> signedBodies = new CopyOnWriteArrayList<>();
    final HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          final byte[] body = exchange.getRequestBody().readAllBytes();
          if (Signature.verify(SECRET, exchange.getRequestHeaders().getFirst(Signature.HEADER), body)) {
            signedBodies.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start()) {
      final String[] cluster = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()};
      final CliRunner.Result added =
          CliRunner.run(
              Map.of("SECRET", SECRET),
              concat(
                  new String[] {"subscriptions", "add", "--id", "hook", "--category", "parade", "--secret-env", "SECRET",
                    "--webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"},
                  cluster));
      assertThat(added.exitCode()).as(added.err()).isZero();

      final OutpostProcess dispatch =
          OutpostProcess.start(concat(new String[] {"dispatch", "--status-interval", "1s"}, cluster));
      final List<String> lines = dispatch.lines();
      try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
          SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
        values.configure(Map.of(), false);
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
          for (final Category c : List.of(Category.PARADE, Category.TROOP_DISPATCH)) {
            producer.send(
                new ProducerRecord<>(
                    Topics.alertTopicFor(c).name(),
                    "i1",
                    Alert.newBuilder()
                        .setAlertId("i1#" + c.name().toLowerCase(java.util.Locale.ROOT))
                        .setItemId("i1")
                        .setCategory(c)
                        .setConfidence(0.9)
                        .setActors(List.of("PRK"))
                        .setEvidence(List.of())
                        .setTitle("A parade and a dispatch")
                        .setSource("it")
                        .setClassifiedAt(Instant.now())
                        .setClassifierVersion("v")
                        .build()))
                .get();
          }
        }
      }
      await().alias("the parade alert delivered, signed").atMost(Duration.ofSeconds(90)).until(() -> signedBodies.contains("i1#parade"));
      await().alias("a status line").atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.contains("delivered=1")));
      assertThat(signedBodies).doesNotContain("i1#troop_dispatch");

      assertThat(dispatch.terminate()).isTrue();
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Dispatcher stopped"));
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains(SECRET));
    } finally {
      receiver.stop(0);
    }
  }

  private static String[] concat(final String[] a, final String[] b) {
    final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
