package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The installation the production image holds: {@code target/outpost.jar} and {@code target/lib},
 * without {@code target/lib-demo}. No Kafka broker and no Scala in it (the registry server, which
 * {@code outpost registry} runs, is), and every command still
 * starts; the two that run their own broker (demo, and bench with the pipeline benchmark) say
 * what is missing.
 */
class ProductionInstallIT {

  private static final Path TARGET = Path.of("target");

  private static List<String> jars(final Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
    }
  }

  @Test
  void theProductionJarsHoldNoBrokerNoScalaAndNoEmbeddedStack() throws IOException {
    final List<String> production = jars(TARGET.resolve("lib"));
    final List<String> demo = jars(TARGET.resolve("lib-demo"));

    assertThat(production)
        .isNotEmpty()
        .noneMatch(n -> n.startsWith("kafka_2.13") || n.startsWith("kafka-server-") || n.startsWith("kafka-raft"))
        .noneMatch(n -> n.startsWith("scala-"))
        .noneMatch(n -> n.startsWith("outpost-embedded"))
        .as("the registry server, which 'outpost registry' runs on its own")
        .anyMatch(n -> n.startsWith("outpost-registry-server"))
        .noneMatch(n -> n.startsWith("outpost-bench") || n.startsWith("jmh-"))
        .anyMatch(n -> n.startsWith("kafka-clients-"))
        .anyMatch(n -> n.startsWith("kafka-streams-"));
    assertThat(demo)
        .anyMatch(n -> n.startsWith("kafka_2.13"))
        .anyMatch(n -> n.startsWith("outpost-embedded"))
        .anyMatch(n -> n.startsWith("outpost-bench"))
        .as("JMH, which only benchmarks.jar runs")
        .noneMatch(n -> n.startsWith("jmh-"));
    assertThat(demo).as("a jar in both places").doesNotContainAnyElementsOf(production);
  }

  private record Run(int exit, String output) {}

  private static Run outpost(final String... args) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(TARGET.resolve("outpost.jar") + File.pathSeparator + TARGET.resolve("lib") + File.separator + "*");
    command.add(Outpost.class.getName());
    command.addAll(List.of(args));
    final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    final byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("outpost %s ended", String.join(" ", args)).isTrue();
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandStartsWithoutTheBrokerAndDemoSaysWhatIsMissing() throws IOException, InterruptedException {
    final Run help = outpost("--help");
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: outpost").contains("demo").contains("run");

    for (final String command : List.of("run", "publish", "subscribe", "dispatch", "replay", "lag", "ops", "registry", "bench")) {
      final Run run = outpost(command, "--help");
      assertThat(run.exit()).as(command + ": " + run.output()).isZero();
    }

    final Run demo = outpost("demo");
    assertThat(demo.exit()).isNotZero();
    assertThat(demo.output())
        .contains("'demo' runs its own Kafka broker, which this installation leaves out")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("\tat ");

    final Run bench = outpost("bench");
    assertThat(bench.exit()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(bench.output())
        .contains("'bench' runs its own Kafka broker, which this installation leaves out")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("\tat ");
  }
}
