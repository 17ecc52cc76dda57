package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.Topics;
import dev.outpost.registry.server.InMemorySchemaStore;
import dev.outpost.registry.server.RegistryServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running commands, as users run them, stop within 5 s of SIGTERM, with the status a
 * signal gives (143) and no stack trace: {@code run}, {@code demo} and {@code ops} with a browser's
 * alert stream open (whose consumer, interrupted, used to log an error with a stack trace), and
 * {@code subscribe}, {@code dispatch} and {@code watch}. Against a real broker in this JVM, but for
 * the demo, which runs its own.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StopOnSignalIT {

  /** What the commands promise: gone within 5 s of the signal. */
  private static final Duration WITHIN = Duration.ofSeconds(5);

  /** 128 + SIGTERM's 15: how a process a SIGTERM ended exits. */
  private static final int EXIT_SIGTERM = 143;

  private static final Pattern OPS_URL = Pattern.compile("(?:Ops server at|Dashboard) +(http://[0-9.]+:[0-9]+)");

  @TempDir static Path dir;

  private static EmbeddedKafkaCluster kafka;
  private static RegistryServer registryServer;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafkaCluster.builder().build().start();
    registryServer = RegistryServer.builder().port(0).store(new InMemorySchemaStore()).build();
    registryServer.start();
    TopicAdmin.createMissingTopics(
        Map.of("bootstrap.servers", kafka.bootstrapServers()), CatalogTopics.toCreate(Topics.PIPELINE), 1);
  }

  @AfterAll
  static void stop() {
    if (registryServer != null) {
      registryServer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static OutpostProcess start(final String... args) throws IOException {
    final String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap-servers";
    all[args.length + 1] = kafka.bootstrapServers();
    all[args.length + 2] = "--schema-registry-url";
    all[args.length + 3] = registryServer.url();
    return OutpostProcess.start(all);
  }

  /** Opens the alert stream a dashboard keeps open, and reads its first line. */
  private static InputStream openAlertStream(final OutpostProcess process, final String announced) throws Exception {
    final Matcher url = OPS_URL.matcher(process.awaitLine(announced, Duration.ofSeconds(30)));
    assertThat(url.find()).as("the ops server's address").isTrue();
    final HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url.group(1) + "/alerts/stream")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    final BufferedReader first = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    assertThat(first.readLine()).isEqualTo(": outpost alert stream");
    return response.body();
  }

  /** Signals the process and checks how it went: in time, with the signal's status, quietly. */
  private static void stopsWithinFiveSecondsWithoutAStackTrace(final OutpostProcess process, final String saysOnTheWayOut)
      throws InterruptedException {
    assertThat(process.isAlive()).as(String.join("\n", process.lines())).isTrue();

    final Duration took = process.terminateTimed();

    final String output = String.join("\n", process.lines());
    assertThat(took).as("time from SIGTERM to exit; it printed:\n%s", output).isLessThan(WITHIN);
    assertThat(process.exitValue()).as(output).isEqualTo(EXIT_SIGTERM);
    if (saysOnTheWayOut != null) {
      assertThat(process.lines()).as("what it printed").anySatisfy(l -> assertThat(l).contains(saysOnTheWayOut));
    }
    assertThat(process.lines())
        .as("what it printed, free of stack traces and errors")
        .noneMatch(l -> l.contains("Exception") || l.contains(" ERROR ") || l.startsWith("\tat "));
  }

  @Test
  void runStopsWithinFiveSecondsWithAnAlertStreamOpen() throws Exception {
    try (OutpostProcess run =
        start("run", "--state-dir", dir.resolve("run").toString(), "--application-id", "stop-it", "--ops-port", "0", "--status-interval", "0")) {
      run.awaitLine("Pipeline stop-it running", Duration.ofSeconds(90));
      final InputStream stream = openAlertStream(run, "Ops server at");
      try {
        stopsWithinFiveSecondsWithoutAStackTrace(run, "Stopping the pipeline");
      } finally {
        stream.close();
      }
      assertThat(run.lines()).anySatisfy(l -> assertThat(l).contains("NOT_RUNNING"));
    }
  }

  @Test
  void opsStopsWithinFiveSecondsWithAnAlertStreamOpen() throws Exception {
    try (OutpostProcess ops = start("ops", "--ops-port", "0")) {
      final InputStream stream = openAlertStream(ops, "Ops server at");
      try {
        stopsWithinFiveSecondsWithoutAStackTrace(ops, "Ops server stopped");
      } finally {
        stream.close();
      }
    }
  }

  @Test
  void demoStopsItsStackWithinFiveSecondsWithAnAlertStreamOpen() throws Exception {
    try (OutpostProcess demo =
        OutpostProcess.start(
            "demo", "--kafka-port", "0", "--registry-port", "0", "--ops-port", "0", "--data-dir", dir.resolve("demo").toString())) {
      demo.awaitLine("Press Ctrl-C to stop", Duration.ofSeconds(120));
      final InputStream stream = openAlertStream(demo, "Dashboard");
      try {
        stopsWithinFiveSecondsWithoutAStackTrace(demo, "Stopping the pipeline and the embedded stack");
      } finally {
        stream.close();
      }
      // The broker had the time to stop cleanly, so the next demo on this data need not recover it.
      assertThat(demo.lines()).anySatisfy(l -> assertThat(l).contains("Embedded Kafka cluster").contains("closed in"));
    }
  }

  @Test
  void subscribeStopsWithinFiveSeconds() throws Exception {
    try (OutpostProcess subscribe = start("subscribe", "--group", "stop-it-subscribe");
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      await()
          .alias("the subscriber in its group")
          .atMost(Duration.ofSeconds(60))
          // Until the subscriber joins, the group does not exist.
          .ignoreExceptions()
          .until(
              () ->
                  !subscribe.isAlive()
                      || !admin.describeConsumerGroups(List.of("stop-it-subscribe"))
                          .all()
                          .get(10, TimeUnit.SECONDS)
                          .get("stop-it-subscribe")
                          .members()
                          .isEmpty());
      stopsWithinFiveSecondsWithoutAStackTrace(subscribe, null);
    }
  }

  @Test
  void dispatchStopsWithinFiveSeconds() throws Exception {
    try (OutpostProcess dispatch = start("dispatch", "--group", "stop-it-dispatch")) {
      dispatch.awaitLine("delivering", Duration.ofSeconds(60));
      stopsWithinFiveSecondsWithoutAStackTrace(dispatch, "Dispatcher stopped");
    }
  }

  @Test
  void watchStopsWithinFiveSeconds() throws Exception {
    try (OutpostProcess watch = start("watch", "--feed", "http://127.0.0.1:9/feed.xml", "--outbound-allow", "127.0.0.1")) {
      watch.awaitLine("Watching 1 feed(s) every 5m", Duration.ofSeconds(60));
      stopsWithinFiveSecondsWithoutAStackTrace(watch, "Watching");
    }
  }
}
