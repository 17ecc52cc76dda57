package dev.outpost.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs the outpost command line in-process and keeps what it printed. */
final class CliRunner {

  static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  static Result run(final Map<String, String> env, final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code = Outpost.run(new PrintWriter(out, true), new PrintWriter(err, true), env, FIXED, args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(final String... args) {
    return run(Map.of(), args);
  }
}
