package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code outpost dlq redrive} without a cluster: bad flags are named, a cluster out of reach is one line. */
class DlqCommandTest {

  @ParameterizedTest(name = "outpost dlq redrive {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--reason nonsense | Unknown --reason 'nonsense': use one of",
        "--since 2025-09-02 --until 2025-09-01 | --since 2025-09-02T00:00:00Z is not before --until 2025-09-01T00:00:00Z",
        "--since yesterday | Invalid --since 'yesterday': use a date (2025-09-01)",
        "--since 2025-09-01 --from-offset 3 | give --since or --from-offset, not both",
        "--from-offset 5 --to-offset 5 | --from-offset 5 is not before --to-offset 5",
        "--from-offset -1 | offsets cannot be negative",
        "--namespace a.b | namespace 'a.b' must be 1 to 64 letters",
        "--progress-interval soon | Invalid --progress-interval 'soon'",
        "--dry-rnu | Unknown option: '--dry-rnu'; did you mean --dry-run?"
      })
  void badFlagsAreNamedBeforeTheClusterIsAsked(final String args, final String message) {
    // The cluster given is out of reach: a flag checked after it would take its timeout to fail.
    final CliRunner.Result result =
        CliRunner.run(("dlq redrive --bootstrap-servers 127.0.0.1:1 " + args.trim()).split(" "));

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains(message).doesNotContain("Exception");
  }

  @Test
  void dlqAloneAsksForASubcommand() {
    final CliRunner.Result result = CliRunner.run("dlq");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Missing subcommand: redrive");
  }

  @Test
  void aReasonIsTakenAsTheHeadersSpellIt() {
    assertThat(DlqCommand.reasons(java.util.List.of("UNKNOWN_SCHEMA_ID", "title-too-large"))).containsExactly("title_too_large", "unknown_schema_id");
  }

  @Test
  void aTimeIsADateAUtcTimeOrADurationAgo() {
    final Instant now = Instant.parse("2026-11-28T10:00:00Z");

    assertThat(DlqCommand.time("--since", "2026-11-01", now)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(DlqCommand.time("--since", "2026-11-01T06:30:00Z", now)).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
    assertThat(DlqCommand.time("--since", "2h", now)).isEqualTo(Instant.parse("2026-11-28T08:00:00Z"));
    assertThat(DlqCommand.time("--since", null, now)).isNull();
  }
}
