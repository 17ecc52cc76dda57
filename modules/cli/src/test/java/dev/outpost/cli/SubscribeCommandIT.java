package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost subscribe} on a real broker: filters, start positions, and resuming a group. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SubscribeCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EARLY = Instant.parse("2026-11-20T08:00:00Z");
  private static final Instant LATE = Instant.parse("2026-11-27T08:00:00Z");

  /**
   * The news each batch reports, timed as the records are: those classified late are old news
   * (a replay), older than those classified early.
   */
  private static final Map<Instant, Instant> NEWS_TIME =
      Map.of(EARLY, Instant.parse("2026-11-26T00:00:00Z"), LATE, Instant.parse("2019-01-01T00:00:00Z"));

  @TempDir static Path dir;
  private static EmbeddedStack stack;

  /** Twelve alerts: every category, three actor sets, two confidences, two times. */
  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
    try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        SpecificAvroSerializer<Alert> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (KafkaProducer<String, Alert> producer =
          new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), values)) {
        int n = 0;
        for (final Instant time : List.of(EARLY, LATE)) {
          for (final Category category : Category.values()) {
            for (final List<String> actors : List.of(List.of("CHN", "JPN"), List.of("RUS"))) {
              final double confidence = n % 2 == 0 ? 0.9 : 0.6;
              final String id = "item-" + n++;
              final Alert alert =
                  Alert.newBuilder()
                      .setAlertId(id + "#" + category)
                      .setItemId(id)
                      .setCategory(category)
                      .setConfidence(confidence)
                      .setActors(actors)
                      .setEvidence(List.of())
                      .setTitle("Headline " + id + (category == Category.PARADE ? " with tanks" : ""))
                      .setSource("test")
                      .setPublishedAt(NEWS_TIME.get(time))
                      .setClassifiedAt(time)
                      .setClassifierVersion("v")
                      .build();
              producer
                  .send(
                      new ProducerRecord<>(
                          Topics.alertTopicFor(category).name(), null, NEWS_TIME.get(time).toEpochMilli(), id, alert))
                  .get();
            }
          }
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static CliRunner.Result subscribe(final String... more) {
    final List<String> args =
        new ArrayList<>(
            List.of(
                "subscribe",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.registryUrl(),
                "--idle-timeout",
                "3s"));
    args.addAll(List.of(more));
    return CliRunner.run(args.toArray(String[]::new));
  }

  private static List<JsonNode> alerts(final CliRunner.Result result) throws IOException {
    assertThat(result.exitCode()).as(result.err()).isZero();
    final List<JsonNode> alerts = new ArrayList<>();
    for (final String line : result.out().split("\n", -1)) {
      if (!line.isBlank()) {
        alerts.add(JSON.readTree(line));
      }
    }
    return alerts;
  }

  @Test
  void aFilterPrintsOnlyTheMatchingAlerts() throws IOException {
    final List<JsonNode> printed =
        alerts(
            subscribe(
                "--group", "filter", "--from", "earliest",
                "--category", "troop_dispatch", "--category", "parade",
                "--actor", "CHN,KOR", "--min-confidence", "0.7"));

    assertThat(printed).isNotEmpty();
    assertThat(printed)
        .allSatisfy(
            a -> {
              assertThat(a.get("category").asText()).isIn("TROOP_DISPATCH", "PARADE");
              assertThat(a.get("actors").toString()).contains("CHN");
              assertThat(a.get("confidence").asDouble()).isGreaterThanOrEqualTo(0.7);
            });
    // Two times x two categories, with CHN at confidence 0.9 in each.
    assertThat(printed).hasSize(4);
  }

  @Test
  void aKeywordAndTheTextFormat() {
    final CliRunner.Result result =
        subscribe("--group", "keyword", "--from", "earliest", "--keyword", "TANKS", "--format", "text");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines().filter(l -> l.startsWith("ALERT ")))
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).startsWith("ALERT parade").contains("with tanks"));
  }

  @Test
  void aTimeStartsAtTheFirstAlertsClassifiedAtOrAfterItWhateverTheirNewssTime() throws IOException {
    final List<JsonNode> printed =
        alerts(subscribe("--group", "time", "--from", LATE.minusSeconds(60).toString()));

    // By the records' timestamps (the news's time) none is that late, and the early batch is later.
    assertThat(printed).hasSize(8).allSatisfy(a -> assertThat(a.get("classifiedAt").asText()).isEqualTo(LATE.toString()));
  }

  @Test
  void theSameGroupResumesWhereItStoppedWithoutLossOrRepeats() throws IOException {
    final List<JsonNode> first = alerts(subscribe("--group", "resume", "--from", "earliest", "--max-alerts", "5"));
    final List<JsonNode> rest = alerts(subscribe("--group", "resume"));

    assertThat(first).hasSize(5);
    final List<String> ids = new ArrayList<>();
    first.forEach(a -> ids.add(a.get("alertId").asText()));
    rest.forEach(a -> ids.add(a.get("alertId").asText()));
    assertThat(ids).doesNotHaveDuplicates().hasSize(16);
  }

  @Test
  void anOutputClosedAfterThreeAlertsStopsQuietlyAndTheGroupGetsEveryAlertItDidNotPrint() throws IOException {
    final ClosingOutput output = new ClosingOutput(3);
    final StringWriter err = new StringWriter();
    // As main() wraps System.out: a PrintWriter over a PrintStream, both of which keep write
    // errors to themselves.
    final int code =
        Outpost.run(
            new PrintWriter(new PrintStream(output, true, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8),
            new PrintWriter(err, true),
            Map.of(),
            CliRunner.FIXED,
            "subscribe", "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(),
            "--idle-timeout", "3s", "--group", "closed-pipe", "--from", "earliest");
    final List<JsonNode> rest = alerts(subscribe("--group", "closed-pipe"));

    final List<String> ids = new ArrayList<>();
    // One alert a line, each ended by a newline.
    for (final String line : output.printed().lines().toList()) {
      ids.add(JSON.readTree(line).get("alertId").asText());
    }
    assertThat(ids).hasSize(3);
    rest.forEach(a -> ids.add(a.get("alertId").asText()));
    assertThat(ids).as("every alert once: the printed ones committed, the rest not").doesNotHaveDuplicates().hasSize(16);
    assertThat(code).as(err.toString()).isEqualTo(SubscribeCommand.EXIT_OUTPUT_CLOSED);
    assertThat(err.toString()).as("a closed pipe is no error to report").isEmpty();
  }

  /** An output whose reader goes away after some lines, as 'head' does: further writes fail. */
  private static final class ClosingOutput extends OutputStream {

    private final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    private int lines;

    ClosingOutput(final int lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(final int b) throws IOException {
      if (lines == 0) {
        throw new IOException("Broken pipe");
      }
      taken.write(b);
      if (b == '\n') {
        lines--;
      }
    }

    synchronized String printed() {
      return taken.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBadFilterIsNamed() {
    final CliRunner.Result actor = subscribe("--actor", "China");
    final CliRunner.Result category = subscribe("--category", "riots");
    final CliRunner.Result from = subscribe("--from", "yesterday");

    assertThat(actor.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(actor.err()).contains("Invalid filter: actor 'China' is not an ISO 3166-1 alpha-3 code");
    assertThat(category.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(category.err()).contains("unknown category 'riots'");
    assertThat(from.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(from.err()).contains("Invalid --from");
  }
}
