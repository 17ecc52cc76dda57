package dev.outpost.cli;

import dev.outpost.clients.ClusterAccessException;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.IngestException;
import dev.outpost.model.AvroTrust;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code outpost} command, the only {@code main} of the project.
 *
 * <p>{@link #run} returns an exit code and never calls {@link System#exit}, so tests drive the
 * whole command line in-process; only {@link #main} exits. Exit codes: {@value #EXIT_OK} on
 * success, {@value #EXIT_FAILURE} when the work failed, {@value #EXIT_USAGE} for a bad flag, file or
 * value (with a one-line message saying what to fix): a {@link UserException}, an {@link
 * IngestException} from the library that reads the inputs, or a {@link ClusterAccessException}
 * from the clients' checks of the cluster. A cluster or registry that does not answer at all is
 * said in one line too, but exits {@value #EXIT_FAILURE}: the command line may be right and the
 * cluster merely down.
 */
@Command(
    name = "outpost",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Turns news into security alerts on Kafka.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      BenchCommand.class,
      SubscribeCommand.class,
      SubscriptionsCommand.class,
      DispatchCommand.class,
      LagCommand.class,
      OpsCommand.class,
      RegistryCommand.class,
      ResetCommand.class,
      DlqCommand.class,
      WatchCommand.class,
      ArchiveCommand.class,
      ReplayCommand.class,
      PublishCommand.class,
      TailCommand.class,
      ClassifyCommand.class,
      EvalCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Outpost implements Runnable {

  /** Success. */
  public static final int EXIT_OK = 0;

  /** The work failed: a broker or registry could not be reached, or an operation failed. */
  public static final int EXIT_FAILURE = 1;

  /** A bad flag, file or value; the message says what to fix. */
  public static final int EXIT_USAGE = 2;

  private static final Logger log = LoggerFactory.getLogger(Outpost.class);

  private static final java.util.regex.Pattern SPACE = java.util.regex.Pattern.compile(" ");

  static {
    // Avro 1.12 loads no generated class by name unless trusted; Outpost's own are.
    AvroTrust.install();
  }

  @Spec private CommandSpec spec;

  private final Map<String, String> env;
  private final Clock clock;

  /**
   * @param env the environment variables to read {@code OUTPOST_*} settings from
   * @param clock the clock that stamps ingestion times
   */
  public Outpost(final Map<String, String> env, final Clock clock) {
    this.env = Map.copyOf(env);
    this.clock = clock;
  }

  /**
   * @return the environment the commands read settings from
   */
  Map<String, String> env() {
    return env;
  }

  /**
   * @return the clock the commands use
   */
  Clock clock() {
    return clock;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: try 'outpost demo', or 'outpost --help'");
  }

  /**
   * Runs a command line.
   *
   * @param out where results go
   * @param err where errors and progress go
   * @param env the environment
   * @param clock the clock
   * @param args the arguments
   * @return the exit code
   */
  public static int run(
      final PrintWriter out,
      final PrintWriter err,
      final Map<String, String> env,
      final Clock clock,
      final String... args) {
    final CommandLine cli = new CommandLine(new Outpost(env, clock));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Outpost::commandList);
    cli.setParameterExceptionHandler(
        (ex, arguments) -> {
          final CommandLine failed = ex.getCommandLine();
          failed.getErr().println("outpost: " + usageError(ex));
          failed
              .getErr()
              .println(
                  "Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
          failed.getErr().flush();
          return EXIT_USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, failed, parsed) -> {
          // The ingest library's exceptions are the user's as much as the commands' own: an
          // input that cannot be read, a directory another run holds. So is a cluster out of reach,
          // refusing these settings or missing a topic. Said the same way.
          if (ex instanceof ClusterAccessException access && access.isUnreachable()) {
            failed.getErr().println("outpost: " + ex.getMessage());
            failed.getErr().flush();
            return EXIT_FAILURE;
          }
          if (ex instanceof UserException || ex instanceof IngestException || ex instanceof ClusterAccessException) {
            failed.getErr().println("outpost: " + ex.getMessage());
            failed.getErr().flush();
            return EXIT_USAGE;
          }
          final Throwable refused = find(ex, org.apache.kafka.common.errors.AuthenticationException.class);
          if (refused != null) {
            failed.getErr().println("outpost: " + TopicAdmin.refusedCredentials("the cluster", refused).getMessage());
            failed.getErr().flush();
            return EXIT_USAGE;
          }
          final Throwable denied = find(ex, org.apache.kafka.common.errors.AuthorizationException.class);
          if (denied != null) {
            failed.getErr().println(
                "outpost: Kafka did not allow it: " + denied.getMessage()
                    + " (the principal these settings authenticate as lacks an ACL; deploy/README.md lists what each needs)");
            failed.getErr().flush();
            return EXIT_USAGE;
          }
          log.debug("Command failed", ex);
          failed.getErr().println("outpost: " + describe(ex));
          failed.getErr().flush();
          return EXIT_FAILURE;
        });
    return cli.execute(args);
  }

  /**
   * What was wrong with a command line. A misspelled option is named as such, with the options it
   * may have meant, even when the option it stood for is now missing too: "--inptu" is the
   * mistake, not a missing "--input".
   */
  static String usageError(final ParameterException ex) {
    final CommandLine failed = ex.getCommandLine();
    if (ex instanceof UnmatchedArgumentException || failed.getUnmatchedArguments().isEmpty()) {
      return ex.getMessage() + suggestions(ex);
    }
    // The words after a misspelled option are most likely its value: name the options alone.
    final List<String> options = failed.getUnmatchedArguments().stream().filter(a -> a.startsWith("-")).toList();
    final UnmatchedArgumentException unmatched =
        new UnmatchedArgumentException(failed, options.isEmpty() ? failed.getUnmatchedArguments() : options);
    return unmatched.getMessage() + suggestions(unmatched);
  }

  private static String suggestions(final ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
      return "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    return "";
  }

  /**
   * The root help's list of commands: each with the first sentence of its description, whole and
   * wrapped, where picocli's own list shows the first line of the description as written, often
   * cut mid-sentence.
   */
  static String commandList(final CommandLine.Help help) {
    final Map<String, CommandLine.Help> commands = new java.util.LinkedHashMap<>();
    help.subcommands().forEach((name, sub) -> {
      if (!sub.commandSpec().usageMessage().hidden()) {
        commands.put(name, sub);
      }
    });
    if (commands.isEmpty()) {
      return "";
    }
    final int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
    final int indent = 2 + nameWidth + 2;
    final int width = Math.max(indent + 20, help.commandSpec().usageMessage().width());
    final StringBuilder text = new StringBuilder();
    commands.forEach(
        (name, sub) -> {
          text.append("  ").append(name).append(" ".repeat(nameWidth - name.length() + 2));
          int column = indent;
          boolean first = true;
          for (final String word : SPACE.splitAsStream(firstSentence(sub.commandSpec().usageMessage())).toList()) {
            if (!first && column + 1 + word.length() > width) {
              text.append(System.lineSeparator()).append(" ".repeat(indent));
              column = indent;
              first = true;
            }
            if (!first) {
              text.append(' ');
              column++;
            }
            text.append(word);
            column += word.length();
            first = false;
          }
          text.append(System.lineSeparator());
        });
    return text.toString();
  }

  /** The header, else the description up to the end of its first sentence, on one line. */
  static String firstSentence(final CommandLine.Model.UsageMessageSpec usage) {
    final String[] source = usage.header().length > 0 ? usage.header() : usage.description();
    final String all = String.join(" ", source).replaceAll("\\s+", " ").trim();
    final java.util.regex.Matcher end = java.util.regex.Pattern.compile("[.!?](?= [A-Z'(])").matcher(all);
    return end.find() ? all.substring(0, end.end()) : all;
  }

  private static Throwable find(final Throwable ex, final Class<? extends Throwable> type) {
    for (Throwable c = ex; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  /** Names an unexpected failure by its message chain, without a stack trace. */
  static String describe(final Throwable ex) {
    final StringBuilder text = new StringBuilder();
    Throwable cause = ex;
    while (cause != null) {
      final String message =
          cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
      // Wrappers often repeat their cause's message; say each thing once.
      if (text.indexOf(message) < 0) {
        if (text.length() > 0) {
          text.append(": ");
        }
        text.append(message);
      }
      if (cause.getCause() == cause) {
        break;
      }
      cause = cause.getCause();
    }
    return text.toString();
  }

  /**
   * Entry point.
   *
   * @param args command-line arguments
   */
  public static void main(final String[] args) {
    final int code =
        run(
            // UTF-8 whatever the platform's default: a container without a locale would otherwise
            // print every non-ASCII headline as question marks. Over the PrintStream itself, so
            // checkError() still sees a closed pipe.
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            System.getenv(),
            Clock.systemUTC(),
            args);
    System.exit(code);
  }
}
