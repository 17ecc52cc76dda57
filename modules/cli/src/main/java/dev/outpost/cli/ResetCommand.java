package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.clients.ApplicationRunningException;
import dev.outpost.clients.PipelineAdmin;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.Topics;
import dev.outpost.topology.OutpostTopology;
import dev.outpost.topology.StreamsSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost reset}: makes the pipeline reprocess its input from a point in time. With the
 * pipeline stopped, it moves the application's committed input offsets to the first records at or
 * after the time, deletes its internal topics (the dedupe store's changelog, so reprocessed items
 * are not dropped as repeats) and its local state. {@code --dry-run} shows all of it and changes
 * nothing.
 */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Reprocess the pipeline's input from a point in time. Stop every 'outpost run' of the",
      "application first. Moves the input offsets of --application-id to the first records written",
      "at or after --to-datetime, deletes its internal topics and its local state in --state-dir.",
      "With --dry-run, shows what would change and changes nothing."
    })
public final class ResetCommand implements Callable<Integer> {

  /** The clients' one reach timeout, so this command does not give up sooner than its checks. */
  private static final Duration TIMEOUT = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private PipelineOptions pipelineOptions;

  @Option(names = "--to-datetime", required = true, paramLabel = "TIME", description = "An ISO-8601 time such as 2026-11-28T09:00:00Z.")
  private String toDatetime;

  @Option(names = "--dry-run", description = "Show what would change; change nothing. Works while the application runs.")
  private boolean dryRun;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "Reset the pipeline of a replay's namespace (its NAME.news.items.v1 and its own application) instead of the live one.")
  private String namespace;

  @Override
  public Integer call() {
    final Instant to;
    try {
      to = Instant.parse(toDatetime);
    } catch (final DateTimeParseException e) {
      throw new UserException("Invalid --to-datetime '" + toDatetime + "': use an ISO-8601 time such as 2026-11-28T09:00:00Z", e);
    }
    if (namespace != null) {
      try {
        Topics.requireNamespace(namespace);
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid --namespace: " + e.getMessage(), e);
      }
    }
    final ResolvedConfig config = cluster.resolve(root.env(), pipelineOptions.flags());
    Reachability.requireKafka(config);
    // The namespace's application and state, named as 'run --namespace' and 'replay' name them.
    final StreamsSettings settings = namespace == null ? PipelineOptions.streamsSettings(config) : PipelineOptions.streamsSettings(config).inNamespace(namespace);
    final String app = settings.applicationId();
    final String input = Topics.in(namespace, Topics.NEWS_ITEMS).name();
    final PipelineAdmin.Application application = new PipelineAdmin.Application(app, OutpostTopology.INTERNAL_NAMES, settings.stateDirectory());
    final PrintWriter out = spec.commandLine().getOut();
    return TopicAdmin.withAdmin(
        config.kafkaProperties(),
        (admin, servers) -> {
          final PipelineAdmin pipelines = new PipelineAdmin(admin, config.kafkaProperties(), TIMEOUT);
          final PipelineAdmin.ResetPlan plan;
          try {
            plan =
                pipelines
                    .planReset(application, input, to, dryRun)
                    .orElseThrow(() -> new UserException("No application '" + app + "' has run on this cluster: nothing to reset"));
          } catch (final ApplicationRunningException e) {
            throw running(app, e.members(), e);
          }
          out.printf("%s application %s to %s%n", dryRun ? "Would reset" : "Resetting", app, to);
          for (final PipelineAdmin.OffsetMove m : plan.offsets()) {
            out.printf("  %s: offset %s -> %d%n", m.partition(), m.committed().isEmpty() ? "none" : Long.toString(m.committed().getAsLong()), m.target());
          }
          out.printf("  internal topics to delete: %s%n", plan.internalTopics().isEmpty() ? "none" : String.join(", ", plan.internalTopics()));
          out.printf("  local state to delete: %s%s%n", application.localState().toAbsolutePath(), plan.localStateExists() ? "" : " (absent)");
          if (dryRun) {
            if (plan.runningMembers() > 0) {
              out.printf(
                  "Application %s is running (%d member(s)): stop every 'outpost run' of it before resetting for real.%n", app, plan.runningMembers());
            }
            out.println("Dry run: nothing changed.");
            out.flush();
            return Outpost.EXIT_OK;
          }
          try {
            pipelines.reset(plan);
          } catch (final ApplicationRunningException e) {
            throw running(app, e.members(), e);
          }
          out.printf("Reset %s: the next 'outpost run' reprocesses %s from %s%n", app, plan.inputTopic(), to);
          out.flush();
          return Outpost.EXIT_OK;
        });
  }

  private static UserException running(final String app, final int members, final ApplicationRunningException e) {
    return new UserException("Application '" + app + "' is running (" + members + " member(s)): stop every 'outpost run' of it, then reset (--dry-run shows the plan meanwhile)", e);
  }
}
