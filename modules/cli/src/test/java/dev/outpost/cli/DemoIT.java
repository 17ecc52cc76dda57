package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outpost demo} end to end, on a real embedded broker and registry. */
class DemoIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEED_TITLE =
      "China team-up with Russia, N. Korea fueling concern–Japanese report";

  @TempDir Path dataDir;

  private static List<JsonNode> jsonLines(final String out) throws IOException {
    final List<JsonNode> items = new ArrayList<>();
    for (final String line : out.split("\n")) {
      if (line.startsWith("{")) {
        items.add(JSON.readTree(line));
      }
    }
    return items;
  }

  @Test
  void onceStartsPublishesPrintsTheSamplesAndExitsZeroTwiceOnTheSameData() throws IOException {
    final String[] args = {
      "demo", "--once", "--kafka-port", "0", "--registry-port", "0", "--data-dir", dataDir.toString()
    };

    final CliRunner.Result first = CliRunner.run(args);
    final CliRunner.Result second = CliRunner.run(args);

    for (final CliRunner.Result run : List.of(first, second)) {
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("Kafka broker     127.0.0.1:").contains("Schema registry  http://127.0.0.1:");
      final List<JsonNode> printed = jsonLines(run.out());
      // The seed article and the bundled feed, each read back once: only this run's records.
      assertThat(printed).hasSize(7);
      assertThat(printed).extracting(n -> n.get("title").asText()).contains(SEED_TITLE);
      assertThat(printed)
          .extracting(n -> n.get("id").asText())
          .contains("sample-0001", "sample-0002", "sample-0003", "sample-0004", "sample-0005", "sample-0006");
      assertThat(printed)
          .filteredOn(n -> n.get("title").asText().equals(SEED_TITLE))
          .singleElement()
          .satisfies(n -> assertThat(n.get("body").asText()).contains("military parade"));
    }
  }

  /**
   * Without {@code --once} the demo runs until it is told to stop; SIGTERM (what Ctrl-C's SIGINT
   * also triggers: the JVM's shutdown hooks) stops the stack cleanly and the process exits.
   */
  @Test
  void runsUntilSignalledThenStopsTheStackAndExits() throws Exception {
    final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classpath,
                Outpost.class.getName(),
                "demo",
                "--kafka-port",
                "0",
                "--registry-port",
                "0",
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (final IOException e) {
                lines.add("read failed: " + e);
              }
            });
    reader.start();
    try {
      await()
          .alias("the demo says it keeps running")
          .atMost(Duration.ofSeconds(90))
          .until(() -> lines.stream().anyMatch(l -> l.contains("Press Ctrl-C to stop")) || !demo.isAlive());
      assertThat(demo.isAlive()).as(String.join("\n", lines)).isTrue();

      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      assertThat(demo.toHandle().destroy()).isTrue();

      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      reader.join(10_000);
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Stopping the embedded stack"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("Embedded Kafka cluster").contains("closed in"));
      assertThat(lines).noneSatisfy(l -> assertThat(l).contains("Exception"));
    } finally {
      demo.destroyForcibly();
    }
  }
}
