package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.redrive.DeadLetterRedrive;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.DeadLetters;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost dlq redrive}: dead letters back to the topic they came from, after a fix. The work
 * is {@link DeadLetterRedrive}'s; this parses the flags and prints what it did.
 *
 * <p>Exit codes: 0 when done (also when there was nothing to send); 1 when the cluster cannot be
 * reached or the redrive could not go on; 2 for a bad flag; 130 when stopped by a signal, after
 * committing what was sent.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = {
      "Work with the dead letters: records of news.items.v1 the pipeline could not read or accept,"
          + " kept in news.items.dlq.v1 with the reason in a header. 'outpost dlq redrive' sends them"
          + " back once the cause is fixed; the dashboard and /api/dead-letters count them by reason."
    },
    subcommands = {DlqCommand.Redrive.class})
public final class DlqCommand implements Runnable {

  /** What {@link Redrive#call} returns when a signal stopped it before the end. */
  public static final int EXIT_STOPPED = 130;

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: redrive");
  }

  /** {@code dlq redrive}. */
  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description = {
        "Once the cause is fixed, send dead letters back to the topic they came from, their key"
            + " and value untouched, so the pipeline reads them again: news.items.v1, or with"
            + " --namespace NAME, NAME.news.items.v1.",
        "",
        "Each is sent once: the sends and how far the redrive got, reason by reason, are committed"
            + " together (consumer group outpost-dlq-redrive), so running it again sends only what"
            + " is left, Ctrl-C loses nothing, and a redrive of one reason leaves the others for"
            + " theirs. Dead letters of the chosen reasons before --since or --from-offset are passed"
            + " over for good. Those read from another topic, or without their value, cannot be sent"
            + " back and are counted apart.",
        "",
        "Try --dry-run first: it lists what would be sent and sends nothing."
      })
  static final class Redrive implements Callable<Integer> {

    @ParentCommand private DlqCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;

    @Option(
        names = "--reason",
        paramLabel = "REASON",
        split = ",",
        description = {
          "Only dead letters of this reason; repeatable, or comma-separated. One of:",
          "${COMPLETION-CANDIDATES}. Default: every reason."
        },
        completionCandidates = Reasons.class)
    private List<String> reasons = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "NAME", description = "A replay's namespace: NAME.news.items.dlq.v1 back to NAME.news.items.v1.")
    private String namespace;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description = "Only dead letters written at or after TIME: 2025-09-01, 2025-09-01T06:00:00Z, or a duration ago such as 2h.")
    private String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only dead letters written before TIME, in the same forms.")
    private String until;

    @Option(names = "--from-offset", paramLabel = "OFFSET", description = "Only dead letters at or after this offset of each partition, instead of --since.")
    private Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "OFFSET", description = "Only dead letters before this offset of each partition, instead of --until.")
    private Long toOffset;

    @Option(names = "--dry-run", description = "List what would be sent (count by reason, the first keys); send nothing, remember nothing.")
    private boolean dryRun;

    @Option(
        names = "--progress-interval",
        paramLabel = "DURATION",
        defaultValue = "5s",
        description = "How often a long redrive prints how far it got. Default: ${DEFAULT-VALUE}.")
    private String progressInterval;

    @Override
    public Integer call() {
      final Instant now = parent.root.clock().instant();
      final DeadLetterRedrive.Options options;
      try {
        options =
            new DeadLetterRedrive.Options(
                namespace,
                reasons(reasons),
                time("--since", since, now),
                time("--until", until, now),
                fromOffset,
                toOffset,
                dryRun,
                Durations.parse("--progress-interval", progressInterval));
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid flags: " + e.getMessage(), e);
      }
      final ResolvedConfig config = cluster.resolve(parent.root.env());
      Reachability.requireKafka(config);
      final PrintWriter out = spec.commandLine().getOut();
      final PrintWriter err = spec.commandLine().getErr();
      final DeadLetterRedrive redrive =
          new DeadLetterRedrive(config.kafkaProperties(), new DeadLetterRedrive.HeaderNames(DeadLetters.REASON, DeadLetters.TOPIC, DeadLetters.VALUE_OMITTED));
      final DeadLetterRedrive.Report report;
      try (SignalStop stop = SignalStop.install("outpost-dlq-stop", "the redrive")) {
        report = redrive.run(options, stop.latch(), err);
      } catch (final IngestException e) {
        err.println("outpost: " + e.getMessage());
        err.flush();
        return Outpost.EXIT_FAILURE;
      }
      print(out, report);
      if (report.stopped()) {
        err.println("Stopped before the end; what was sent is remembered. Run the same command again to go on.");
        err.flush();
        return EXIT_STOPPED;
      }
      return Outpost.EXIT_OK;
    }

    private static void print(final PrintWriter out, final DeadLetterRedrive.Report report) {
      if (report.total() == 0) {
        out.printf(Locale.ROOT, "Nothing to redrive from %s (%,d dead letter(s) read).%n", report.source(), report.read());
      } else {
        out.printf(
            Locale.ROOT,
            "%s %,d dead letter(s) back to %s:%n",
            report.dryRun() ? "Would send" : "Sent",
            report.total(),
            report.target());
        report.sent().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> out.printf(Locale.ROOT, "  %-22s %,8d%n", e.getKey(), e.getValue()));
        out.printf("First keys: %s%s%n", String.join(", ", report.firstKeys()), report.total() > report.firstKeys().size() ? ", ..." : "");
      }
      if (!report.passedOver().isEmpty()) {
        out.printf("%s, and not by later redrives:%n", report.dryRun() ? "Would not be sent" : "Not sent");
        report.passedOver().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> out.printf(Locale.ROOT, "  %-50s %,8d%n", e.getKey(), e.getValue()));
      }
      if (report.sentBefore() > 0) {
        out.printf(Locale.ROOT, "Already sent by an earlier redrive: %,d%n", report.sentBefore());
      }
      if (report.otherReasons() > 0) {
        out.printf(Locale.ROOT, "Of other reasons, left for another redrive: %,d%n", report.otherReasons());
      }
      if (report.dryRun()) {
        out.println("Dry run: nothing sent, nothing remembered.");
      }
      out.flush();
    }
  }

  /** The reasons a dead letter can have: the pipeline's, and one for a dead letter without. */
  static final class Reasons extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Reasons() {
      super(all());
    }

    static List<String> all() {
      final List<String> all = new ArrayList<>(Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::tag).toList());
      all.add(DeadLetterRedrive.NO_REASON);
      return all;
    }
  }

  /**
   * @param given the reasons as typed
   * @return them as the headers spell them
   * @throws UserException naming one that is not a reason
   */
  static Set<String> reasons(final List<String> given) {
    final Set<String> known = new TreeSet<>(Reasons.all());
    final Set<String> chosen = new TreeSet<>();
    for (final String reason : given) {
      final String tag = reason.trim().toLowerCase(Locale.ROOT).replace('-', '_');
      if (!known.contains(tag)) {
        throw new UserException("Unknown --reason '" + reason + "': use one of " + known.stream().collect(Collectors.joining(", ")));
      }
      chosen.add(tag);
    }
    return chosen;
  }

  /**
   * @param option the flag, for messages
   * @param text a date (its start, UTC), an ISO-8601 UTC time, or a duration before now; or null
   * @param now the time a duration counts back from
   * @return the time, or null for null
   * @throws UserException saying what a time looks like
   */
  static Instant time(final String option, final String text, final Instant now) {
    if (text == null) {
      return null;
    }
    try {
      if (text.length() == 10 && text.charAt(4) == '-') {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (text.contains(":")) {
        return Instant.parse(text);
      }
    } catch (final DateTimeParseException e) {
      throw new UserException("Invalid " + option + " '" + text + "': use a date (2025-09-01), a UTC time (2025-09-01T06:00:00Z) or a duration ago (2h)", e);
    }
    final Duration ago;
    try {
      ago = Durations.parse(option, text);
    } catch (final UserException e) {
      throw new UserException("Invalid " + option + " '" + text + "': use a date (2025-09-01), a UTC time (2025-09-01T06:00:00Z) or a duration ago (2h)", e);
    }
    return now.minus(ago);
  }
}
