package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.KafkaAccess;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.AvroJson;
import dev.outpost.subscribers.SubscriptionStore;
import dev.outpost.subscribers.Subscriptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost subscriptions add|list|remove}: subscriptions to alerts, kept as data in the
 * compacted topic {@code outpost.subscriptions.v1}. Webhook secrets are never printed by {@code
 * list} nor logged.
 */
@Command(
    name = "subscriptions",
    mixinStandardHelpOptions = true,
    description = {
      "Manage subscriptions to alerts: who wants which alerts, delivered where.",
      "They live in the compacted topic outpost.subscriptions.v1; 'outpost dispatch' delivers them."
    },
    subcommands = {
      SubscriptionsCommand.Add.class,
      SubscriptionsCommand.ListCommand.class,
      SubscriptionsCommand.Remove.class
    })
public final class SubscriptionsCommand implements Runnable {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: add, list or remove");
  }

  /** Creates the subscriptions topic when the cluster lacks it: compacted, one partition. */
  static void ensureTopic(final ResolvedConfig config) {
    KafkaAccess.createMissingTopics(
        config.kafkaProperties(), List.of(Topics.SUBSCRIPTIONS), KafkaAccess.sensibleReplication(config.kafkaProperties()));
  }

  /** {@code subscriptions add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add a subscription, or replace the one with the same --id.",
        "A webhook gets a secret for its signatures: from --secret-env or --secret-file, or a new",
        "one printed once, here and nowhere else."
      })
  static final class Add implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;
    @Mixin private FilterOptions filterOptions;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    static final class Target {
      @Option(names = "--webhook", paramLabel = "URL", description = "POST matching alerts to this http(s) URL.")
      String webhook;

      @Option(names = "--topic", paramLabel = "TOPIC", description = "Write matching alerts to this Kafka topic.")
      String topic;
    }

    @Option(
        names = "--secret-env",
        paramLabel = "VAR",
        description = "Read the webhook secret from this environment variable.")
    private String secretEnv;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the webhook secret from this file.")
    private Path secretFile;

    @Override
    public Integer call() {
      final AlertFilter filter = filterOptions.filter();
      final PrintWriter out = spec.commandLine().getOut();
      final ResolvedConfig config = cluster.resolve(parent.root.env());
      final Subscription subscription;
      String generated = null;
      try {
        if (target.webhook != null) {
          String secret = secret(parent.root.env());
          if (secret == null) {
            final byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            secret = HexFormat.of().formatHex(random);
            generated = secret;
          }
          subscription =
              Subscriptions.webhook(id, filter, target.webhook, secret, parent.root.clock().instant());
        } else {
          if (secretEnv != null || secretFile != null) {
            throw new UserException("--secret-env and --secret-file go with --webhook only");
          }
          subscription = Subscriptions.kafka(id, filter, target.topic, parent.root.clock().instant());
        }
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid subscription: " + e.getMessage(), e);
      }
      ensureTopic(config);
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        new SubscriptionStore(config.kafkaProperties(), registry).put(subscription);
      }
      out.println("Added " + Subscriptions.describe(subscription));
      if (generated != null) {
        out.println("Webhook secret (shown once; give it to the receiver to verify signatures): " + generated);
      }
      out.flush();
      return Outpost.EXIT_OK;
    }

    private String secret(final Map<String, String> env) {
      if (secretEnv != null && secretFile != null) {
        throw new UserException("Give the secret with --secret-env or --secret-file, not both");
      }
      if (secretEnv != null) {
        final String value = env.get(secretEnv);
        if (value == null || value.isBlank()) {
          throw new UserException("The environment variable " + secretEnv + " given to --secret-env is not set");
        }
        return value.strip();
      }
      if (secretFile != null) {
        UserException.requireFile("Secret file", secretFile, "");
        try {
          return Files.readString(secretFile, StandardCharsets.UTF_8).strip();
        } catch (final IOException e) {
          throw new UserException("Cannot read the secret file '" + secretFile + "': " + e.getMessage(), e);
        }
      }
      return null;
    }
  }

  /** {@code subscriptions list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the subscriptions; secrets are never shown.")
  static final class ListCommand implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;

    @Option(names = "--json", description = "One JSON object per subscription, secret left out.")
    private boolean json;

    @Override
    public Integer call() {
      final ResolvedConfig config = cluster.resolve(parent.root.env());
      final PrintWriter out = spec.commandLine().getOut();
      ensureTopic(config);
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        final Map<String, Subscription> all = new SubscriptionStore(config.kafkaProperties(), registry).readAll(TIMEOUT);
        for (final Subscription s : all.values()) {
          if (json) {
            final var node = AvroJson.toJson(s);
            final var target = (com.fasterxml.jackson.databind.node.ObjectNode) node.get("target");
            if (target.has("secret")) {
              target.put("secret", "****");
            }
            out.println(node);
          } else {
            out.println(Subscriptions.describe(s));
          }
        }
        if (!json) {
          out.println(all.size() + " subscription(s)");
        }
        out.flush();
      }
      return Outpost.EXIT_OK;
    }
  }

  /** {@code subscriptions remove}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a subscription (writes a tombstone).")
  static final class Remove implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;

    @Parameters(paramLabel = "ID", description = "The subscription to remove.")
    private String id;

    @Override
    public Integer call() {
      final ResolvedConfig config = cluster.resolve(parent.root.env());
      ensureTopic(config);
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        final SubscriptionStore store = new SubscriptionStore(config.kafkaProperties(), registry);
        final Map<String, Subscription> all = store.readAll(TIMEOUT);
        if (!all.containsKey(id)) {
          throw new UserException(
              "No subscription '" + id + "'; there are: " + (all.isEmpty() ? "none" : String.join(", ", all.keySet())));
        }
        store.remove(id);
      }
      spec.commandLine().getOut().println("Removed " + id);
      spec.commandLine().getOut().flush();
      return Outpost.EXIT_OK;
    }
  }
}
