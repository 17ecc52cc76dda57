package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost subscriptions add|list|remove} against a real broker and registry. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SubscriptionsCommandIT {

  private static final String SECRET = "a-webhook-secret-of-some-length";

  @TempDir static Path dir;
  private static EmbeddedStack stack;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static CliRunner.Result run(final Map<String, String> env, final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()));
    return CliRunner.run(env, all.toArray(String[]::new));
  }

  @Test
  void addListAndRemoveWithoutEverShowingASecret() {
    final CliRunner.Result added =
        run(
            Map.of("HOOK_SECRET", SECRET),
            "subscriptions", "add", "--id", "ops", "--webhook", "https://hooks.example/outpost",
            "--secret-env", "HOOK_SECRET", "--category", "parade", "--actor", "PRK");
    final CliRunner.Result generated =
        run(Map.of(), "subscriptions", "add", "--id", "gen", "--webhook", "http://127.0.0.1:9/hook");
    final CliRunner.Result topic =
        run(Map.of(), "subscriptions", "add", "--id", "team", "--topic", "team.alerts", "--min-confidence", "0.8");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out()).contains("Added ops").doesNotContain(SECRET);
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    final String secret =
        generated.out().lines().filter(l -> l.startsWith("Webhook secret")).findFirst().orElseThrow().replaceAll(".*: ", "");
    assertThat(secret).hasSizeGreaterThanOrEqualTo(16);
    assertThat(topic.exitCode()).as(topic.err()).isZero();

    final CliRunner.Result listed = run(Map.of(), "subscriptions", "list");
    final CliRunner.Result json = run(Map.of(), "subscriptions", "list", "--json");
    assertThat(listed.out())
        .contains("ops  webhook https://hooks.example/outpost  categories=parade  actors=PRK")
        .contains("team  topic team.alerts")
        .contains("3 subscription(s)")
        .doesNotContain(SECRET)
        .doesNotContain(secret);
    assertThat(json.out()).contains("\"secret\":\"****\"").doesNotContain(SECRET).doesNotContain(secret);

    final CliRunner.Result removed = run(Map.of(), "subscriptions", "remove", "gen");
    final CliRunner.Result unknown = run(Map.of(), "subscriptions", "remove", "nobody");
    assertThat(removed.exitCode()).isZero();
    assertThat(run(Map.of(), "subscriptions", "list").out()).contains("2 subscription(s)").doesNotContain("gen ");
    assertThat(unknown.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(unknown.err()).contains("No subscription 'nobody'; there are: ops, team");
  }

  @Test
  void aBadUrlFilterOrSecretIsRefusedAndNothingIsWritten() {
    final CliRunner.Result url = run(Map.of(), "subscriptions", "add", "--id", "x", "--webhook", "ftp://h/x");
    final CliRunner.Result filter =
        run(Map.of(), "subscriptions", "add", "--id", "x", "--topic", "t", "--min-confidence", "3");
    final CliRunner.Result secret =
        run(Map.of("S", "short"), "subscriptions", "add", "--id", "x", "--webhook", "https://h.example/", "--secret-env", "S");

    assertThat(url.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(url.err()).contains("Invalid subscription: 'ftp://h/x' is not a webhook URL");
    assertThat(filter.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(filter.err()).contains("Invalid filter: min confidence 3.0 is not between 0 and 1");
    assertThat(secret.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(secret.err()).contains("at least 16 characters");
    assertThat(run(Map.of(), "subscriptions", "list").out()).doesNotContain("x  ");
  }
}
