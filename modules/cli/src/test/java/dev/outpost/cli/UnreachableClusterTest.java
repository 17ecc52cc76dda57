package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.subscribers.SecretCipher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command that talks to the cluster, with nothing listening where the settings point: it
 * gives up after --connect-timeout (with slack for a slow machine, far short of the clients' own
 * 15 s to a minute), says in one line what it could not reach and which flags to change, and exits
 * 1. The ports are on 127.0.0.1: one the test opened and closed again (nothing there), and one it
 * holds open (something there) where a case needs the registry to answer.
 */
class UnreachableClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** Slack over the timeout: the JVM's first use of the Kafka clients, a busy machine. */
  private static final Duration SLACK = Duration.ofSeconds(9);

  private static final Pattern SPACE = Pattern.compile(" ");

  /** Where nothing listens. */
  private static int closedPort;

  /** Something that takes connections, standing in for a registry that is up. */
  private static ServerSocket listening;

  @TempDir static Path dir;

  private static Path items;

  @BeforeAll
  static void ports() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    items = dir.resolve("items.jsonl");
    Files.writeString(items, "{\"title\":\"Troops parade in the capital\"}\n", StandardCharsets.UTF_8);
  }

  @AfterAll
  static void close() throws IOException {
    listening.close();
  }

  private static String kafka() {
    return "127.0.0.1:" + closedPort;
  }

  private static String[] commandLine(final String command, final String registryUrl, final String... more) {
    final List<String> args = new ArrayList<>();
    args.addAll(SPACE.splitAsStream(command.replace("$ITEMS", items.toString()).replace("$DIR", dir.toString())).toList());
    args.addAll(List.of("--bootstrap-servers", kafka(), "--schema-registry-url", registryUrl));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  private static Map<String, String> env() {
    final byte[] key = new byte[SecretCipher.KEY_BYTES];
    Arrays.fill(key, (byte) 7);
    return Map.of("OUTPOST_SECRETS_KEY", Base64.getEncoder().encodeToString(key));
  }

  private static CliRunner.Result timed(final Duration bound, final Map<String, String> env, final String... args) {
    final long start = System.nanoTime();
    final CliRunner.Result result = CliRunner.run(env, args);
    final Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("time until 'outpost %s' gave up; it said: %s", String.join(" ", args), result.err()).isLessThan(bound);
    return result;
  }

  private static void saidOnlyThat(final CliRunner.Result result, final String message) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(result.err().lines().toList()).as("what it printed").containsExactly("outpost: " + message);
    assertThat(result.out()).isEmpty();
  }

  @ParameterizedTest(name = "outpost {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "subscribe",
        "subscribe --idle-timeout 1s --from earliest",
        "tail news.items.v1",
        "tail news.items.dlq.v1",
        "publish --input $ITEMS",
        "reset --to-datetime 2026-01-01T00:00:00Z",
        "run --ops-port -1 --state-dir $DIR/state",
        "dispatch",
        "dispatch --redeliver",
        "replay --namespace ns --from $ITEMS",
        "replay --namespace ns --delete-namespace",
        "archive --out $DIR/archive",
        "watch --feed http://127.0.0.1:9/feed.xml",
        "ops --ops-port 0",
        "registry --port 0",
        "subscriptions add --id s --topic somewhere",
        "subscriptions list",
        "subscriptions remove s",
        "subscriptions remove --id s",
        "lag",
        "lag --watch --interval 1s",
        "dlq redrive",
        "dlq redrive --dry-run",
        "subscriptions reencrypt"
      })
  void aCommandGivesUpOnAClusterThatDoesNotAnswerWithOneLineAndExitsOne(final String command) {
    // given Kafka out of reach and a registry that answers
    final String registry = "http://127.0.0.1:" + listening.getLocalPort();

    // when
    final CliRunner.Result result =
        timed(TIMEOUT.plus(SLACK), env(), commandLine(command, registry, "--connect-timeout", "1s"));

    // then
    saidOnlyThat(
        result,
        "Cannot reach the Kafka cluster at " + kafka() + " within 1s: check --bootstrap-servers, or start 'outpost demo' for a"
            + " local stack; --connect-timeout sets how long to wait");
  }

  @ParameterizedTest(name = "outpost {0}")
  @ValueSource(strings = {"subscribe --idle-timeout 1s", "run --ops-port -1 --state-dir $DIR/state", "ops --ops-port 0"})
  void whenTheRegistryIsOutOfReachTooBothAreNamed(final String command) {
    final String registry = "http://127.0.0.1:" + closedPort;

    final CliRunner.Result result = timed(TIMEOUT.plus(SLACK), env(), commandLine(command, registry, "--connect-timeout", "1s"));

    saidOnlyThat(
        result,
        "Cannot reach the Kafka cluster at " + kafka() + ", nor the schema registry at " + registry
            + ", within 1s: check --bootstrap-servers and --schema-registry-url, or start 'outpost demo' for a local stack;"
            + " --connect-timeout sets how long to wait");
  }

  @Test
  void theTimeoutCanComeFromTheEnvironmentOrAConfigFile() throws IOException {
    final String registry = "http://127.0.0.1:" + listening.getLocalPort();
    final Path config = dir.resolve("outpost.properties");
    Files.writeString(config, "connect.timeout=1500ms\n", StandardCharsets.UTF_8);

    final CliRunner.Result fromEnv =
        timed(TIMEOUT.plus(SLACK), Map.of("OUTPOST_CONNECT_TIMEOUT", "1s"), commandLine("subscriptions list", registry));
    final CliRunner.Result fromFile =
        timed(TIMEOUT.plus(SLACK), Map.of(), commandLine("subscriptions list", registry, "--config", config.toString()));

    assertThat(fromEnv.exitCode()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(fromEnv.err()).contains("within 1s:");
    assertThat(fromFile.exitCode()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(fromFile.err()).contains("within 1500ms:");
  }

  @Test
  void aBadTimeoutIsNamedBeforeAnythingIsTried() {
    final CliRunner.Result result = CliRunner.run("subscribe", "--connect-timeout", "soon", "--bootstrap-servers", kafka());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid connect.timeout 'soon' (from flag --connect-timeout): use a duration such as 5s or 1m");
  }

  @ParameterizedTest(name = "outpost {0}")
  @ValueSource(strings = {"subscribe --idle-timeout 1s", "reset --to-datetime 2026-01-01T00:00:00Z"})
  void asAProcessItPrintsThatOneLineAndNothingElse(final String command) throws Exception {
    // given the command as users run it, logging included
    final String registry = "http://127.0.0.1:" + listening.getLocalPort();
    try (OutpostProcess process = OutpostProcess.start(commandLine(command, registry, "--connect-timeout", "1s"))) {
      // when it ends by itself
      final long start = System.nanoTime();
      await()
          .alias("outpost " + command + " to give up and say why")
          .atMost(TIMEOUT.plus(SLACK).plus(SLACK))
          .until(() -> !process.isAlive() && process.lines().stream().anyMatch(l -> l.startsWith("outpost: ")));
      final Duration took = Duration.ofNanos(System.nanoTime() - start);

      // then: one line, exit 1
      assertThat(process.exitValue()).as(String.join("\n", process.lines())).isEqualTo(Outpost.EXIT_FAILURE);
      assertThat(process.lines())
          .containsExactly(
              "outpost: Cannot reach the Kafka cluster at " + kafka() + " within 1s: check --bootstrap-servers, or start"
                  + " 'outpost demo' for a local stack; --connect-timeout sets how long to wait");
      assertThat(took).isLessThan(TIMEOUT.plus(SLACK).plus(SLACK));
    }
  }
}
