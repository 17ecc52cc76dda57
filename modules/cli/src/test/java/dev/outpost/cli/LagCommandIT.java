package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.TopicSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/** {@code outpost lag} on a real broker: a group 7 records behind, as a table and as JSON. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LagCommandIT {

  @Test
  void showsAGroupsLagPerPartitionAsATableAndAsJson() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
      kafka.createTopics(List.of(new TopicSpec<>("lag.cli.v1", String.class, String.class, 1, CleanupPolicy.DELETE)), (short) 1);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(kafka.adminConfig(), new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("lag.cli.v1", "k", "v" + i)).get();
        }
      }
      final Map<String, Object> props = new HashMap<>(kafka.adminConfig());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "behind");
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        c.commitSync(Map.of(new TopicPartition("lag.cli.v1", 0), new OffsetAndMetadata(3)));
      }

      final CliRunner.Result table = CliRunner.run("lag", "--group", "behind", "--bootstrap-servers", kafka.bootstrapServers());
      final CliRunner.Result json = CliRunner.run("lag", "--group", "behind", "--json", "--bootstrap-servers", kafka.bootstrapServers());

      assertThat(table.exitCode()).as(table.err()).isZero();
      assertThat(table.out()).contains("behind  STOP").contains("lag 7 records").contains("why: lag.cli.v1-0: no members, and 7 records behind").containsPattern("lag\\.cli\\.v1\\s+0\\s+3\\s+10\\s+7");
      final JsonNode group = new ObjectMapper().readTree(json.out().lines().findFirst().orElseThrow());
      assertThat(group.get("group").asText()).isEqualTo("behind");
      assertThat(group.get("lagRecords").asLong()).isEqualTo(7);
      assertThat(group.get("lagSeconds").asDouble()).isGreaterThanOrEqualTo(0.0);
      assertThat(group.get("partitions").get(0).get("status").asText()).isEqualTo("STOP");

      // The same lag from 'outpost ops', the ops server on its own, with its dashboard.
      try (dev.outpost.registry.server.RegistryServer registry =
          dev.outpost.registry.server.RegistryServer.builder().port(0).store(new dev.outpost.registry.server.InMemorySchemaStore()).build()) {
        registry.start();
        final Process ops =
            new ProcessBuilder(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    Outpost.class.getName(),
                    "ops",
                    "--ops-port", "0",
                    "--bootstrap-servers", kafka.bootstrapServers(),
                    "--schema-registry-url", registry.url())
                .redirectErrorStream(true)
                .start();
        try (java.io.BufferedReader out =
            new java.io.BufferedReader(new java.io.InputStreamReader(ops.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
          String line = out.readLine();
          while (line != null && !line.startsWith("Ops server at ")) {
            line = out.readLine();
          }
          assertThat(line).as("the ops server's address").isNotNull();
          final String url = line.replaceAll("^Ops server at (http://[^:]+:\\d+):.*$", "$1");
          final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
          final java.util.function.Function<String, String> get =
              path -> {
                try {
                  return http.send(
                          java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path)).build(),
                          java.net.http.HttpResponse.BodyHandlers.ofString())
                      .body();
                } catch (final Exception e) {
                  throw new IllegalStateException(e);
                }
              };
          assertThat(get.apply("/")).contains("<title>Outpost</title>");
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(30))
              .until(() -> get.apply("/metrics").contains("outpost_consumer_lag_records{group=\"behind\",partition=\"0\",topic=\"lag.cli.v1\"} 7.0"));
          assertThat(get.apply("/api/lag")).contains("\"group\":\"behind\"");
        } finally {
          ops.toHandle().destroy();
          ops.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }
}
