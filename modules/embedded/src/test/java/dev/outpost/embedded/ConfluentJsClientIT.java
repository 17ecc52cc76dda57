package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The embedded registry, on a real broker, driven from outside the JVM by Confluent's own
 * JavaScript client ({@code @confluentinc/schemaregistry} from npm) through {@code
 * src/test/js/interop.mjs}: register, evolve with a compatible version, refuse an incompatible one;
 * then soft-delete, list the deleted subject and delete it for good.
 *
 * <p>Runs where {@code node} is on the PATH and the package is installed ({@code npm ci} in {@code
 * modules/embedded/src/test/js}, which {@code .ci/run} does when node is present); else it is
 * skipped with a message saying so. The delete steps run with {@code
 * -Doutpost.interop.deletes=true}, once the registry serves deletes.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConfluentJsClientIT {

  private static final Path SCRIPT_DIR = Path.of("src", "test", "js");
  private static final Path CLIENT =
      SCRIPT_DIR.resolve(Path.of("node_modules", "@confluentinc", "schemaregistry", "package.json"));

  private static EmbeddedStack stack;

  @BeforeAll
  static void start() throws InterruptedException {
    final String missing =
        !nodeAnswers()
            ? "node is not on the PATH"
            : !Files.isRegularFile(CLIENT)
                ? "@confluentinc/schemaregistry is not installed: run 'npm ci' in modules/embedded/src/test/js"
                    + " (.ci/run does when node is present)"
                : null;
    if (missing != null) {
      // Said on the build's output too: an aborted @BeforeAll counts no skipped test.
      LoggerFactory.getLogger(ConfluentJsClientIT.class)
          .warn("Skipping the interop test with Confluent's JavaScript client: {}", missing);
    }
    Assumptions.assumeTrue(missing == null, () -> "interop test with Confluent's JavaScript client skipped: " + missing);
    stack = EmbeddedStack.builder().kafkaPort(0).registryPort(0).build().start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void confluentsClientRegistersAndEvolvesASchema() throws Exception {
    final Run run = interop("interop-evolve-value", "register,evolve");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output().lines().toList())
        .as(run.output())
        .hasSize(2)
        .anyMatch(l -> l.startsWith("ok register: id "))
        .anyMatch(l -> l.startsWith("ok evolve: id ") && l.endsWith("an incompatible schema refused with 409"));
  }

  @Test
  void confluentsClientDeletesListsDeletedAndDeletesForGood() throws Exception {
    final Run run = interop("interop-delete-value", "register,evolve,delete");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("ok delete: soft-deleted, listed with deleted=true, deleted for good");
  }

  private record Run(int exit, String output) {}

  private static Run interop(final String subject, final String steps) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>(List.of("node", "interop.mjs", stack.registryUrl(), subject, steps));
    final Process process =
        new ProcessBuilder(command).directory(SCRIPT_DIR.toFile()).redirectErrorStream(true).start();
    final byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("node interop.mjs ended").isTrue();
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static boolean nodeAnswers() throws InterruptedException {
    try {
      final Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      node.getInputStream().readAllBytes();
      return node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0;
    } catch (final IOException e) {
      return false;
    }
  }
}
