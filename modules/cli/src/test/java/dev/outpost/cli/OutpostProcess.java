package dev.outpost.cli;

import static org.awaitility.Awaitility.await;

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

/**
 * An {@code outpost} command in a JVM of its own, as users run it, for tests that signal it:
 * its output lines are collected as they come, stdout and stderr together.
 */
final class OutpostProcess implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private OutpostProcess(final Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (final IOException e) {
                lines.add("read failed: " + e);
              }
            },
            "outpost-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * @param args the command line after {@code outpost}
   * @return the running process
   * @throws IOException if it cannot start
   */
  static OutpostProcess start(final String... args) throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(Outpost.class.getName());
    command.addAll(List.of(args));
    return new OutpostProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** @return every line printed so far */
  List<String> lines() {
    return lines;
  }

  /**
   * Waits for a line containing the text, or for the process to end.
   *
   * @param text what the line contains
   * @param within how long to wait
   * @return the first such line
   * @throws AssertionError when the process ended without printing it, with its output
   */
  String awaitLine(final String text, final Duration within) {
    await()
        .alias("'" + text + "' from outpost")
        .atMost(within)
        .until(() -> lines.stream().anyMatch(l -> l.contains(text)) || !process.isAlive());
    return lines.stream()
        .filter(l -> l.contains(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("outpost ended without printing '" + text + "':\n" + String.join("\n", lines)));
  }

  /**
   * @param prefix what the line starts with
   * @return the rest of the first line that starts with it, trimmed
   */
  String after(final String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length()).trim();
  }

  /** @return its exit code, once it has ended */
  int exitValue() {
    return process.exitValue();
  }

  /** @return whether it still runs */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends SIGTERM, as Ctrl-C or a supervisor would, and waits for the process and its output.
   *
   * @return whether it exited within a minute
   * @throws InterruptedException if interrupted
   */
  boolean terminate() throws InterruptedException {
    process.toHandle().destroy();
    final boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    reader.join(10_000);
    return exited;
  }

  /**
   * Sends SIGTERM and times how long the process takes to exit; then waits for its output.
   *
   * @return the time from the signal to the exit
   * @throws AssertionError when it still runs a minute after the signal, with its output
   * @throws InterruptedException if interrupted
   */
  Duration terminateTimed() throws InterruptedException {
    final long start = System.nanoTime();
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("outpost still runs a minute after SIGTERM:\n" + String.join("\n", lines));
    }
    final Duration took = Duration.ofNanos(System.nanoTime() - start);
    reader.join(10_000);
    return took;
  }

  /**
   * Sends SIGKILL, as {@code kill -9} or an out-of-memory killer would: no shutdown hook runs.
   *
   * @return whether it was gone within a minute
   * @throws InterruptedException if interrupted
   */
  boolean kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
