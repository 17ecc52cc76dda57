package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's promises that need no cluster: help, and a clear line for each bad input. */
class OutpostCommandLineTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "outpost {0} --help")
  @ValueSource(strings = {"", "demo", "run", "bench", "subscribe", "subscriptions", "dispatch", "lag", "ops", "registry", "reset", "dlq", "dlq redrive", "watch", "archive", "replay", "publish", "tail", "classify", "eval"})
  void everyCommandHasHelp(final String command) {
    final CliRunner.Result result =
        command.isEmpty() ? CliRunner.run("--help") : CliRunner.run((command + " --help").split(" "));

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Usage: outpost" + (command.isEmpty() ? "" : " " + command));
    assertThat(result.err()).isEmpty();
  }

  @ParameterizedTest(name = "outpost replay {0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "--namespace a.b --from x | Invalid --namespace: namespace 'a.b' must be 1 to 64 letters",
        "--namespace ns | Say what to replay: --from FILE|DIR or --from-topic TOPIC",
        "--namespace ns --from x --speed fast | Invalid --speed: 'fast' is not a speed",
        "--namespace ns --from x --since 2025-09-02 --until 2025-09-01 | --since 2025-09-02 is not before --until 2025-09-01",
        "--namespace ns --from x --since yesterday | Invalid --since 'yesterday': use a date (2025-09-01)",
        "--namespace ns --from no-such-dir | --from 'no-such-dir' is neither a file nor a directory",
        "--namespace ns --from-topic alerts.parade.v1 | --from-topic 'alerts.parade.v1' holds Alert records, not news items",
        "--namespace ns --from x --from-topic news.items.v1 | mutually exclusive"
      })
  void replayNamesWhatIsWrongBeforeItTouchesACluster(final String args, final String message) {
    final CliRunner.Result result = CliRunner.run(("replay " + args.trim()).split(" "));

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains(message);
  }

  @Test
  void benchHelpBreaksItsParagraphsOnlyWhereTheLineIsFull() {
    final String[] lines = CliRunner.run("bench", "--help").out().lines().toArray(String[]::new);
    int i = 0;
    while (i < lines.length && !lines[i].startsWith("Measure the pipeline")) {
      i++;
    }
    assertThat(i).as("the description's first line").isLessThan(lines.length);
    for (; i + 1 < lines.length && !lines[i + 1].stripLeading().startsWith("-"); i++) {
      if (!lines[i].isBlank() && !lines[i + 1].isBlank()) {
        assertThat(lines[i].length()).as("a line that the next one continues: '%s'", lines[i]).isGreaterThanOrEqualTo(60);
      }
    }
  }

  @Test
  void rootHelpListsTheCommands() {
    assertThat(CliRunner.run("--help").out()).contains("demo", "publish", "tail");
  }

  @Test
  void noCommandSaysWhatToRun() {
    final CliRunner.Result result = CliRunner.run();

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Missing command").contains("outpost demo");
  }

  @Test
  void unknownFlagIsNamedWithWhereToGetHelp() {
    final CliRunner.Result result = CliRunner.run("publish", "--input", "x.jsonl", "--bogus");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("Unknown option: '--bogus'")
        .contains("Run 'outpost publish --help' for usage.");
    assertThat(result.err()).doesNotContain("at dev.outpost");
  }

  @Test
  void aMisspelledOptionIsNamedWithWhatItMayHaveMeantNotAsTheOptionMissing() {
    final CliRunner.Result result = CliRunner.run("publish", "--inptu", "x.jsonl");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("Unknown option: '--inptu'")
        .contains("did you mean --input")
        .doesNotContain("Missing required option");
  }

  @Test
  void theRootHelpGivesEachCommandAWholeSentence() {
    final String help = CliRunner.run("--help").out();
    final String list = help.substring(help.indexOf("Commands:") + "Commands:".length());
    final java.util.Map<String, StringBuilder> summaries = new java.util.LinkedHashMap<>();
    String current = null;
    for (final String line : list.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        final String[] parts = line.strip().split("\\s+", 2);
        current = parts[0];
        summaries.put(current, new StringBuilder(parts.length > 1 ? parts[1] : ""));
      } else if (current != null) {
        summaries.get(current).append(' ').append(line.strip());
      }
    }
    assertThat(summaries).containsKeys("demo", "run", "lag", "reset", "publish", "replay", "dispatch", "archive");
    summaries.forEach(
        (name, summary) ->
            assertThat(summary.toString()).as("the summary of '%s'", name).isNotBlank().matches("(?s).*[.!?]$"));
  }

  @Test
  void resetNamesABadNamespaceBeforeItTouchesACluster() {
    final CliRunner.Result result = CliRunner.run("reset", "--to-datetime", "2026-11-28T09:00:00Z", "--namespace", "a.b");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --namespace: namespace 'a.b' must be 1 to 64 letters");
  }

  @Test
  void missingInputIsNamed() {
    final CliRunner.Result result = CliRunner.run("publish");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Missing required option: '--input=FILE|URL'");
  }

  @Test
  void missingFileIsNamed() {
    final Path missing = dir.resolve("nope.jsonl");

    final CliRunner.Result result = CliRunner.run("publish", "--input", missing.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Input file '" + missing + "' does not exist");
  }

  @Test
  void withStrictBadLinesAreListedWithTheirLineNumbersAndNothingIsPublished() throws IOException {
    final Path file = dir.resolve("items.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"title\":\"Good item\",\"body\":\"fine\"}",
            "{\"body\":\"no title\"}",
            "this is not json",
            "",
            "{\"title\":\"Bad date\",\"publishedAt\":\"yesterday\"}"),
        StandardCharsets.UTF_8);

    // An unreachable broker: the file is rejected before any connection is tried.
    final CliRunner.Result result =
        CliRunner.run("publish", "--strict", "--input", file.toString(), "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("3 bad entries")
        .contains("nothing was published (--strict)")
        .contains(file + ":2: missing field 'title'")
        .contains(file + ":3: not a JSON object")
        .contains(file + ":5: field 'publishedAt' is not an ISO-8601 timestamp");
  }

  @Test
  void invalidUtf8IsNamed() throws IOException {
    final Path file = dir.resolve("latin1.txt");
    Files.write(file, new byte[] {'T', 'i', 't', 'l', 'e', ' ', (byte) 0xE9, '\n'});

    final CliRunner.Result result = CliRunner.run("publish", "--input", file.toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("is not valid UTF-8");
  }

  @Test
  void anInputFileOverTheLimitIsRefusedNamingItsSizeAndTheSettingBeforeKafkaIsContacted() throws IOException {
    // One JSON Lines line, longer than the limit on its own.
    final Path file = dir.resolve("huge-line.jsonl");
    Files.writeString(file, "{\"title\":\"Huge\",\"body\":\"" + "x".repeat(4000) + "\"}\n", StandardCharsets.UTF_8);
    final long size = Files.size(file);
    final Path config = dir.resolve("outpost.properties");
    Files.writeString(config, "max.input.bytes=1000\n");
    final String unreachable = "127.0.0.1:1";

    final CliRunner.Result flag =
        CliRunner.run("publish", "--input", file.toString(), "--max-input-bytes", "1000", "--bootstrap-servers", unreachable);
    final CliRunner.Result env =
        CliRunner.run(Map.of("OUTPOST_MAX_INPUT_BYTES", "1000"), "publish", "--input", file.toString(), "--bootstrap-servers", unreachable);
    final CliRunner.Result fromFile =
        CliRunner.run("publish", "--input", file.toString(), "--config", config.toString(), "--bootstrap-servers", unreachable);

    for (final CliRunner.Result result : java.util.List.of(flag, env, fromFile)) {
      assertThat(result.exitCode()).as(result.err()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(result.err())
          .contains(
              "Input file '" + file + "' is " + size + " bytes, over the limit of 1000 bytes; raise max.input.bytes"
                  + " (flag --max-input-bytes, variable OUTPOST_MAX_INPUT_BYTES) to read it")
          .doesNotContain("Kafka")
          .doesNotContain("at dev.outpost");
      assertThat(result.out()).doesNotContain("Published");
    }
  }

  @Test
  void aBadInputLimitIsNamedWithItsSource() throws IOException {
    final Path file = dir.resolve("one.jsonl");
    Files.writeString(file, "{\"title\":\"t\"}\n");

    final CliRunner.Result result = CliRunner.run("publish", "--input", file.toString(), "--max-input-bytes", "0");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid max.input.bytes '0' (from flag --max-input-bytes): use a whole number from 1 to 2000000000");
  }

  @Test
  void badBootstrapFlagNamesTheValueAndItsSource() throws IOException {
    final Path file = dir.resolve("one.jsonl");
    Files.writeString(file, "{\"title\":\"t\"}\n");

    final CliRunner.Result result =
        CliRunner.run("publish", "--input", file.toString(), "--bootstrap-servers", "kafka-without-port");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("Invalid bootstrap.servers 'kafka-without-port' (from flag --bootstrap-servers)")
        .contains("host:port");
  }

  @Test
  void badPipelineSettingsAreNamedWithTheirSource() throws IOException {
    final Path config = dir.resolve("outpost.properties");
    Files.writeString(config, "dedupe.window=forever\n");

    final CliRunner.Result flag = CliRunner.run("run", "--processing-guarantee", "exactly_twice");
    final CliRunner.Result env = CliRunner.run(Map.of("OUTPOST_NUM_STREAM_THREADS", "0"), "run");
    final CliRunner.Result file = CliRunner.run("run", "--config", config.toString());

    assertThat(flag.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(flag.err())
        .contains("Invalid processing.guarantee 'exactly_twice' (from flag --processing-guarantee)")
        .contains("exactly_once_v2 or at_least_once");
    assertThat(env.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(env.err()).contains("Invalid num.stream.threads '0' (from environment variable OUTPOST_NUM_STREAM_THREADS)");
    assertThat(file.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(file.err()).contains("Invalid dedupe.window 'forever' (from config file " + config + ")");
  }

  @Test
  void anOpsServerBeyondLoopbackNeedsATokenOrInsecure() {
    final CliRunner.Result result = CliRunner.run("run", "--ops-host", "0.0.0.0");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("would listen on 0.0.0.0").contains("OUTPOST_OPS_TOKEN").contains("--insecure");
  }

  @Test
  void aBadNamespaceIsNamedBeforeKafkaIsContacted() {
    final CliRunner.Result result = CliRunner.run("run", "--namespace", "a.b", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --namespace: namespace 'a.b' must be 1 to 64 letters, digits, '-' or '_'");
  }

  @Test
  void runWithoutAClusterSaysWhereItLookedAndWhereThatCameFromAndExitsOne() {
    final CliRunner.Result result =
        CliRunner.run(Map.of("OUTPOST_BOOTSTRAP_SERVERS", "127.0.0.1:1", "OUTPOST_CONNECT_TIMEOUT", "1s"), "run", "--ops-port", "-1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(result.err())
        .startsWith("outpost: Cannot reach the Kafka cluster at 127.0.0.1:1 (from environment variable OUTPOST_BOOTSTRAP_SERVERS)")
        .contains(" within 1s: check --bootstrap-servers");
  }

  @Test
  void badRegistryUrlFromTheEnvironmentNamesTheVariable() {
    final CliRunner.Result result =
        CliRunner.run(Map.of("OUTPOST_SCHEMA_REGISTRY_URL", "ftp://registry"), "tail", "news.items.v1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("Invalid schema.registry.url 'ftp://registry' (from environment variable OUTPOST_SCHEMA_REGISTRY_URL)");
  }

  @Test
  void missingConfigFileIsNamed() {
    final CliRunner.Result result =
        CliRunner.run("tail", "news.items.v1", "--config", dir.resolve("absent.properties").toString());

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Config file '" + dir.resolve("absent.properties") + "' does not exist");
  }

  @Test
  void tailReadsANamespacesTopicAsTheLiveOneAndAnyOtherRaw() {
    assertThat(TailCommand.resolve("ns1.alerts.parade.v1").valueType()).isEqualTo(dev.outpost.model.Alert.class);
    assertThat(TailCommand.resolve("ns1.alerts.parade.v1").name()).isEqualTo("ns1.alerts.parade.v1");
    assertThat(TailCommand.resolve("team.parked.v1").valueType()).isEqualTo(byte[].class);
    assertThat(TailCommand.resolve("n".repeat(65) + ".alerts.parade.v1").valueType()).as("too long for a namespace").isEqualTo(byte[].class);
    assertThat(CliRunner.run("tail", "bad topic").err()).contains("Illegal Kafka topic name: 'bad topic'");
    assertThat(TailCommand.resolve(dev.outpost.model.Topics.NEWS_ITEMS.name())).isSameAs(dev.outpost.model.Topics.NEWS_ITEMS);
  }

  @Test
  void badDurationIsNamed() {
    final CliRunner.Result result = CliRunner.run("tail", "news.items.v1", "--idle-timeout", "soon");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --idle-timeout 'soon'").contains("10s");
  }

  @Test
  void badFormatIsNamedWithTheChoices() {
    final CliRunner.Result result = CliRunner.run("publish", "--input", "x", "--format", "xml");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("--format").contains("xml").contains("AUTO, JSONL, TEXT");
  }

  @Test
  void outOfRangePortIsNamed() {
    final CliRunner.Result result = CliRunner.run("demo", "--kafka-port", "70000", "--once");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --kafka-port 70000");
  }

  @Test
  void nonNumericPortIsNamed() {
    final CliRunner.Result result = CliRunner.run("demo", "--registry-port", "eighty");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("--registry-port").contains("eighty");
  }

  @Test
  void versionIsPrinted() {
    final CliRunner.Result result = CliRunner.run("--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("outpost ").contains("Kafka clients 4.4.0");
  }
}
