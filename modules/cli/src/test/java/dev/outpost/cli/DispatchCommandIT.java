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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * {@code outpost dispatch} as users run it: a process that delivers until SIGTERM, with its
 * secrets key in a file and 127.0.0.1 on its outbound allow-list, as an operator with a local
 * receiver would run it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DispatchCommandIT {

  private static final String SECRET = "dispatch-it-secret-0123456789";
  private static final String KEY = java.util.Base64.getEncoder().encodeToString("dispatch-it-key-32-bytes-long!!!".getBytes(StandardCharsets.US_ASCII));

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
      final Path keyFile = Files.writeString(dir.resolve("secrets.key"), KEY + "\n", StandardCharsets.US_ASCII);
      final String[] cluster = {
        "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(), "--secrets-key-file", keyFile.toString()
      };
      final CliRunner.Result added =
          CliRunner.run(
              Map.of("SECRET", SECRET),
              concat(
                  new String[] {"subscriptions", "add", "--id", "hook", "--category", "parade", "--secret-env", "SECRET",
                    "--outbound-allow", "127.0.0.1", "--webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"},
                  cluster));
      assertThat(added.exitCode()).as(added.err()).isZero();
      // Allowed when it was added, not by the dispatcher: refused at delivery, and parked.
      final CliRunner.Result moved =
          CliRunner.run(
              Map.of("SECRET", SECRET),
              concat(
                  new String[] {"subscriptions", "add", "--id", "moved", "--category", "parade", "--secret-env", "SECRET",
                    "--outbound-allow", "127.0.0.2", "--webhook", "http://bob:hunter2@127.0.0.2:9/hook?token=t0k3n"},
                  cluster));
      assertThat(moved.exitCode()).as(moved.err()).isZero();

      final OutpostProcess dispatch =
          OutpostProcess.start(
              concat(new String[] {"dispatch", "--status-interval", "1s", "--ops-port", "0", "--outbound-allow", "127.0.0.1"}, cluster));
      final List<String> lines = dispatch.lines();
      final String ops = dispatch.awaitLine("Ops server at ", Duration.ofSeconds(60)).replaceAll(".*Ops server at (\\S+):.*", "$1");
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
      await()
          .alias("a status line")
          .atMost(Duration.ofSeconds(30))
          .until(() -> lines.stream().anyMatch(l -> l.contains("delivered=1") && l.contains("parked=1")));
      assertThat(signedBodies).doesNotContain("i1#troop_dispatch");
      final String metrics =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create(ops + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("outpost_dispatch_parked_total{subscription=\"moved\"} 1.0")
          .contains("outpost_dispatch_delivered_total 1.0")
          .doesNotContain("subscription=\"hook\"");
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l).contains("Parking alert i1#parade for subscription moved", "http://***@127.0.0.2:9/hook?***", "a loopback address"));
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(stack.kafkaProperties())) {
        final Map<String, String> retention = new java.util.TreeMap<>();
        for (final var topic : Topics.dispatchTopics("outpost-dispatch")) {
          final var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic.name());
          retention.put(
              topic.name(),
              admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get("retention.ms").value());
        }
        assertThat(retention)
            .as("retention.ms the dispatcher created its topics with, read back from the broker")
            .containsEntry("outpost-dispatch.parked.v1", Long.toString(Topics.DISPATCH_PARKED_RETENTION.toMillis()))
            .containsEntry("outpost-dispatch.retry-600s.v1", Long.toString(Topics.DISPATCH_RETRY_RETENTION.toMillis()))
            .containsEntry("outpost-dispatch.retry-1s.v1", Long.toString(Topics.DISPATCH_RETRY_RETENTION.toMillis()));
        assertThat(Topics.DISPATCH_PARKED_RETENTION).as("longer than the broker's 7-day default").isGreaterThan(Duration.ofDays(7));
      }

      assertThat(dispatch.terminate()).isTrue();
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Dispatcher stopped"));
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains(SECRET));
      assertThat(lines).noneSatisfy(l -> assertThat(l).containsAnyOf("hunter2", "t0k3n", KEY));
      assertThat(String.join("\n", added.out(), added.err(), moved.out(), moved.err())).doesNotContain("hunter2", "t0k3n", SECRET);
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
