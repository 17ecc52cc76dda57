package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/outpost} rebuilds the project when any source is newer than the command's jar. After
 * a whole build nothing may look newer: a build step that writes into the source tree (as the
 * shade plugin's reduced pom once did) would make every later call pay for a Maven build. The cli
 * module builds the command's jar and depends on every other module, so Maven builds it last, and
 * its integration tests run after its jar and every other module are built.
 */
class LauncherIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().resolve("../..").normalize();

  @Test
  void afterABuildTheLauncherRunsTheJarWithoutRebuilding(@TempDir final Path dir) throws Exception {
    final Path jar = ROOT.resolve("modules/cli/target/outpost.jar");
    assumeTrue(Files.isRegularFile(jar), "the command's jar was not built in this run");
    final Path out = dir.resolve("out.txt");
    final Path err = dir.resolve("err.txt");

    final Process launcher =
        new ProcessBuilder(ROOT.resolve("bin/outpost").toString(), "--version")
            .directory(ROOT.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    final boolean finished = launcher.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      launcher.destroyForcibly();
    }

    assertThat(finished).as("bin/outpost --version finished").isTrue();
    final String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(launcher.exitValue()).as(stderr).isZero();
    assertThat(stderr).as("what the launcher said on stderr").doesNotContain("Building Outpost");
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("outpost");
  }
}
