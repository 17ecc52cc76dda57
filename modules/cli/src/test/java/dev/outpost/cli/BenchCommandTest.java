package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code outpost bench}'s flags that are refused before any broker starts. */
class BenchCommandTest {

  @Test
  void aThreadCountThatIsNotANumberIsNamedWithAnExample() {
    final CliRunner.Result result = CliRunner.run("bench", "--threads", "1,two");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --threads '1,two'").contains("'two' is not a whole number").contains("such as 1,2,4");
  }

  @Test
  void moreThreadsThanInputPartitionsAreRefused() {
    final CliRunner.Result result = CliRunner.run("bench", "--threads", "1,7");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --threads '1,7'").contains("7 threads: use 1 to 6, the input topic's partitions");
  }

  @Test
  void aThreadCountGivenTwiceOrLeftEmptyIsNamed() {
    assertThat(CliRunner.run("bench", "--threads", "2,2").err()).contains("2 is given twice");
    final CliRunner.Result empty = CliRunner.run("bench", "--threads", "1,");
    assertThat(empty.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(empty.err()).contains("an empty count");
  }

  @Test
  void threadsGoWithNeitherReplayNorAFixedThreadCount() {
    final CliRunner.Result replay = CliRunner.run("bench", "--threads", "1,2", "--replay");
    assertThat(replay.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(replay.err()).contains("leave out --replay");

    final CliRunner.Result fixed = CliRunner.run("bench", "--threads", "1,2", "--num-stream-threads", "2");
    assertThat(fixed.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(fixed.err()).contains("leave out --num-stream-threads");
  }

  @Test
  void helpDescribesThreadsAndTheClassifiedReplay() {
    // Picocli wraps the description: compared with its line breaks and indents as single spaces.
    final String help = CliRunner.run("bench", "--help").out().replaceAll("\\s+", " ");

    assertThat(help)
        .contains("--threads=N[,N...]")
        .contains("With --threads 1,2,4")
        .contains("items of the --corpus")
        .contains("timed from the pipeline running (its start-up is printed apart)")
        .contains("'classified replay/produce 0.xx'");
  }

  @Test
  void aDedupeWindowThatIsNotADurationOrThatAtLeastOnceCannotKeepIsNamed() {
    final CliRunner.Result notADuration = CliRunner.run("bench", "--dedupe-window", "a week");
    assertThat(notADuration.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(notADuration.err()).contains("Invalid --dedupe-window 'a week'").contains("such as 250ms, 10s, 5m or 1h");

    final CliRunner.Result atLeastOnce = CliRunner.run("bench", "--processing-guarantee", "at_least_once", "--dedupe-window", "1d");
    assertThat(atLeastOnce.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(atLeastOnce.err()).contains("Invalid --dedupe-window 1d with at_least_once").contains("give 0 or leave it out");

    final CliRunner.Result replay = CliRunner.run("bench", "--replay", "--dedupe-window", "0");
    assertThat(replay.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(replay.err()).contains("leave it out with --replay");

    final String help = CliRunner.run("bench", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("--dedupe-window=DURATION").contains("0 runs the pipeline without its dedupe step");
  }

  @Test
  void theDefaultItemsFollowTheCorpusWithOrWithoutReplay() {
    assertThat(BenchCommand.defaultItems("feeds")).isEqualTo(1_000_000);
    assertThat(BenchCommand.defaultItems("samples")).isEqualTo(200_000);
    final String help = CliRunner.run("bench", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("Default: 1000000 with the feeds corpus, 200000 with the samples.").doesNotContain("or --replay");
  }
}
