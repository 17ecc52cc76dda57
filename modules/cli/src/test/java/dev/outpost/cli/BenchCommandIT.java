package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code outpost bench} at a small scale, so the command keeps working; the figures themselves are
 * measured by running it, never asserted here.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BenchCommandIT {

  @Test
  void aSmallRunPrintsTheThroughputsWithoutAndWithStoriesTheLatencyAndTheRatiosLast() {
    final CliRunner.Result result =
        CliRunner.run("bench", "--items", "2000", "--rounds", "1", "--rate", "200", "--latency-duration", "2s");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("baseline ")
        .containsPattern("items +2,000: whole items of real news feeds \\([0-9,]+ items, [0-9,]+ outlets\\); exactly_once_v2, dedupe window 7d, 1 stream thread")
        .containsPattern("labelled +\\d+\\.\\d% of items labelled")
        .containsPattern("pipeline +[0-9,]+ items/s, [0-9,]+ µs of CPU per item, without stories")
        .containsPattern("pipeline +[0-9,]+ items/s, [0-9,]+ µs of CPU per item, with stories \\([0-9,]+ alerts through the story step")
        .containsPattern("round 1 +baseline [0-9,]+, stories off [0-9,]+, then on [0-9,]+ items/s")
        .containsPattern("p50 \\d+ ms, p99 \\d+ ms, max \\d+ ms");
    final String[] lines = result.out().strip().split("\n", -1);
    final Matcher stories = Pattern.compile("stories on/off (\\d+\\.\\d\\d) \\(stories cost -?\\d+% .*").matcher(lines[lines.length - 2]);
    assertThat(stories.matches()).as(result.out()).isTrue();
    assertThat(Double.parseDouble(stories.group(1))).isPositive();
    final Matcher last = Pattern.compile("pipeline/baseline (\\d+\\.\\d\\d)").matcher(lines[lines.length - 1]);
    assertThat(last.matches()).as(result.out()).isTrue();
    assertThat(Double.parseDouble(last.group(1))).isPositive();
    assertThat(result.err()).contains("Publishing 2,000 items").contains("Round 1: Outpost topology with stories");
  }

  @Test
  void aSmallReplayRunOfTheFeedsPrintsBothRatesTheStartUpApartAndTheClassifiedRatioLast() {
    final CliRunner.Result result = CliRunner.run("bench", "--replay", "--items", "3000");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("items +3,000: whole items of real news feeds \\([0-9,]+ items, [0-9,]+ outlets\\); in 30 daily Avro files")
        .containsPattern("labelled +\\d+\\.\\d% of items labelled")
        .containsPattern("raw produce +[0-9,]+ items/s before the replays, [0-9,]+ after")
        .containsPattern("(?m)^replay +[0-9,]+ items/s \\(archive to namespace")
        .containsPattern("(?m)^start-up +\\d+\\.\\d s \\(")
        .containsPattern("(?m)^replay, classified +[0-9,]+ items/s \\(archive to namespace to alerts");
    final String[] lines = result.out().strip().split("\n", -1);
    final Matcher classifiedRate = Pattern.compile("replay, classified +([0-9,]+) items/s .*").matcher(lines[lines.length - 3]);
    assertThat(classifiedRate.matches()).as(result.out()).isTrue();
    assertThat(Long.parseLong(classifiedRate.group(1).replace(",", ""))).isPositive();
    final Matcher sent = Pattern.compile("replay/produce (\\d+\\.\\d\\d)").matcher(lines[lines.length - 2]);
    assertThat(sent.matches()).as(result.out()).isTrue();
    assertThat(Double.parseDouble(sent.group(1))).isPositive();
    final Matcher last = Pattern.compile("classified replay/produce (\\d+\\.\\d\\d)").matcher(lines[lines.length - 1]);
    assertThat(last.matches()).as(result.out()).isTrue();
    assertThat(Double.parseDouble(last.group(1))).isPositive();
    assertThat(result.err())
        .contains("replay bench-warm-up: 1,500 of 1,500 items (100%)")
        .contains("replay bench: 3,000 of 3,000 items (100%)")
        .contains("replay bench-classified: 3,000 of 3,000 items (100%)")
        .containsPattern("[0-9,]+ alerts made, [0-9,]+ through the story step");
    // The warm-up ran before anything was timed.
    assertThat(result.err().indexOf("replay bench-warm-up: 1,500 of 1,500")).isLessThan(result.err().indexOf("Raw produce (before the replays)"));
  }

  @Test
  void aSmallThreadsRunPrintsALinePerCountAndTheRatiosLast() {
    final CliRunner.Result result = CliRunner.run("bench", "--items", "2000", "--rounds", "1", "--threads", "1,2");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern("1 thread\\(s\\) +baseline [0-9,]+ items/s, pipeline [0-9,]+ items/s with stories \\(\\d+\\.\\d\\d of baseline; 1\\.00x")
        .containsPattern("2 thread\\(s\\) +baseline [0-9,]+ items/s, pipeline [0-9,]+ items/s with stories \\(\\d+\\.\\d\\d of baseline; \\d+\\.\\d\\dx")
        .doesNotContain("latency");
    final String[] lines = result.out().strip().split("\n", -1);
    assertThat(lines[lines.length - 1]).matches("pipeline/baseline \\d+\\.\\d\\d at 1 thread\\(s\\), \\d+\\.\\d\\d at 2 thread\\(s\\)");
    assertThat(result.err()).contains("2 thread(s), round 1: Outpost topology with stories");
  }

  @Test
  void tooFewItemsIsNamed() {
    final CliRunner.Result result = CliRunner.run("bench", "--items", "10");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --items 10");
  }

  @Test
  void anUnknownCorpusIsNamedWithTheChoices() {
    final CliRunner.Result result = CliRunner.run("bench", "--corpus", "wire");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --corpus 'wire'").contains("feeds or samples");
  }

  @Test
  void noRoundsIsNamed() {
    final CliRunner.Result result = CliRunner.run("bench", "--items", "1000", "--rounds", "0");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid --rounds 0");
  }
}
