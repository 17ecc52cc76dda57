package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Category;
import dev.outpost.subscribers.AlertFilter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The filter flags {@code subscribe} and {@code subscriptions add} share, parsed without a cluster. */
class FilterOptionsTest {

  /** A command with nothing but the filter, as both commands mix it in. */
  @Command(name = "filtered")
  static final class Filtered {
    @Mixin FilterOptions options;
  }

  private static AlertFilter parse(final String... args) {
    final Filtered command = new Filtered();
    new CommandLine(command).parseArgs(args);
    return command.options.filter();
  }

  @Test
  void perStoryIsOffUnlessAsked() {
    assertThat(parse().perStory()).isFalse();
    assertThat(parse("--category", "parade").perStory()).isFalse();
  }

  @Test
  void perStoryJoinsTheRestOfTheFilter() {
    assertThat(parse("--per-story", "--category", "parade", "--actor", "PRK,CHN", "--min-confidence", "0.7", "--keyword", "Tanks"))
        .isEqualTo(new AlertFilter(Set.of(Category.PARADE), Set.of("PRK", "CHN"), 0.7, List.of("tanks"), true));
  }

  @Test
  void perStoryIsAFlagThatTakesNoValue() {
    assertThatThrownBy(() -> parse("--per-story=maybe"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("maybe");
  }

  @ParameterizedTest(name = "outpost {0} --help")
  @ValueSource(strings = {"subscribe", "subscriptions add"})
  void bothCommandsOfferPerStoryInTheirHelp(final String command) {
    final List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    final CliRunner.Result help = CliRunner.run(args.toArray(String[]::new));

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--per-story").contains("One alert per story");
  }

  @Test
  void aPerStoryRunIsRefusedLikeAnyOtherWhenTheRestOfTheFilterIsWrong() {
    final CliRunner.Result result = CliRunner.run("subscribe", "--per-story", "--actor", "China", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Invalid filter: actor 'China' is not an ISO 3166-1 alpha-3 code");
  }
}
