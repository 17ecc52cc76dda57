package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Kafka broker and schema registry run inside this process, for {@code demo} and {@code bench}.
 *
 * <p>The broker (Kafka's server classes and Scala) is not part of a production installation: the
 * image holds only what the pipeline's commands need. Commands reach the embedded stack through
 * this interface, so nothing else loads its classes, and {@link #start} says plainly when they are
 * not installed.
 */
public interface LocalStack extends AutoCloseable {

  /** @return the broker's bootstrap servers, such as {@code 127.0.0.1:9092} */
  String bootstrapServers();

  /** @return the registry's URL */
  String registryUrl();

  /** @return client properties that reach the broker */
  Map<String, Object> kafkaProperties();

  /** Stops the registry and the broker; safe to call twice. */
  @Override
  void close();

  /**
   * Starts a broker and a registry.
   *
   * @param command the command that needs them, for the message when they are not installed
   * @param dataDir where the broker keeps its data
   * @param kafkaPort the broker's port, 0 for any free one
   * @param registryPort the registry's port, 0 for any free one
   * @return the stack, not yet started
   * @throws UserException when this installation leaves the embedded broker out
   */
  static Unstarted create(final String command, final Path dataDir, final int kafkaPort, final int registryPort) {
    requireInstalled(command);
    return new EmbeddedLocalStack(dataDir, kafkaPort, registryPort);
  }

  /**
   * @param command the command that needs the embedded stack
   * @throws UserException when this installation leaves it out
   */
  static void requireInstalled(final String command) {
    try {
      Class.forName("dev.outpost.embedded.EmbeddedStack", false, LocalStack.class.getClassLoader());
    } catch (final ClassNotFoundException | LinkageError e) {
      throw new UserException(
          "'" + command + "' runs its own Kafka broker, which this installation leaves out (a production image "
              + "holds only the pipeline's commands). Run it from a source checkout with bin/outpost, where the "
              + "broker's jars are in modules/cli/target/lib-demo");
    }
  }

  /** A stack created but not started, so a shutdown hook can hold it before it runs. */
  interface Unstarted extends LocalStack {
    /**
     * @return this stack, started
     */
    LocalStack start();
  }
}
