package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.outpost.cli.config.ConfigLoader;
import dev.outpost.cli.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At least once with deduplication could lose an item after a crash, so the commands that run the
 * pipeline refuse it before contacting Kafka, naming both settings, where each came from and the
 * fix; at least once without deduplication goes on.
 */
class GuaranteeAndDedupeCommandTest {

  @TempDir Path dir;

  @Test
  void runRefusesAtLeastOnceWithDeduplication() {
    final CliRunner.Result result =
        CliRunner.run("run", "--processing-guarantee", "at_least_once", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("processing.guarantee=at_least_once cannot be used with deduplication (dedupe.window=7d)")
        .contains("a crash then loses it")
        .contains("Use processing.guarantee=exactly_once_v2, or set dedupe.window=0 to turn deduplication off")
        .contains("(processing.guarantee from flag --processing-guarantee, dedupe.window from default)")
        .doesNotContain("Cannot reach Kafka")
        .doesNotContain("\tat ");
  }

  @Test
  void replayRefusesItWhereverTheSettingsComeFrom() throws IOException {
    final Path config = dir.resolve("outpost.properties");
    Files.writeString(config, "dedupe.window=12h\n");
    final Path items = dir.resolve("items.jsonl");
    Files.writeString(items, "{\"title\":\"Quiet day\",\"body\":\"Nothing happened.\"}\n");

    final CliRunner.Result result =
        CliRunner.run(
            Map.of("OUTPOST_PROCESSING_GUARANTEE", "at_least_once"),
            "replay", "--from", items.toString(), "--namespace", "check", "--config", config.toString(),
            "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err())
        .contains("processing.guarantee=at_least_once cannot be used with deduplication (dedupe.window=12h)")
        .contains("(processing.guarantee from environment variable OUTPOST_PROCESSING_GUARANTEE, dedupe.window from config file " + config + ")");
  }

  @Test
  void atLeastOnceWithDeduplicationOffIsAccepted() {
    final ResolvedConfig config =
        ConfigLoader.load(
            Map.of("processing.guarantee", "at_least_once", "dedupe.window", "0"), Optional.empty(), Map.of());

    assertThatCode(() -> PipelineOptions.requireSafeGuarantee(config)).doesNotThrowAnyException();
    assertThat(PipelineOptions.pipelineConfig(config).deduplicates()).isFalse();
  }

  @Test
  void aDedupeWindowThatIsNotADurationSaysZeroTurnsItOff() {
    final CliRunner.Result result = CliRunner.run("run", "--dedupe-window", "never", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid dedupe.window 'never' (from flag --dedupe-window)").contains("or 0 to turn deduplication off");
  }
}
