package dev.outpost.testkit;

import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.TopicSpec;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The embedded stack (a real in-process KRaft cluster and the schema registry on it) on free
 * loopback ports, its data in a temporary directory. On a static field it runs for the whole test
 * class; on an instance field, a fresh one for each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final StackExtension stack = StackExtension.standard();
 *
 * @Test
 * void publishes() {
 *   stack.createTopics(Topics.NEWS_ITEMS);
 *   ... stack.bootstrapServers() ... stack.registryUrl() ...
 * }
 * }</pre>
 *
 * @see KafkaClusterExtension for the cluster alone
 */
public final class StackExtension extends Fixture<EmbeddedStack> {

  private StackExtension(final UnaryOperator<EmbeddedStack.Builder> settings) {
    super("The embedded stack", () -> settings.apply(EmbeddedStack.builder()).build().start());
  }

  /**
   * @return one broker and the registry
   */
  public static StackExtension standard() {
    return new StackExtension(UnaryOperator.identity());
  }

  /**
   * @param settings adds to the builder (brokers, a data directory that outlives the stack)
   * @return a stack built with those settings
   */
  public static StackExtension with(final UnaryOperator<EmbeddedStack.Builder> settings) {
    return new StackExtension(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * @return the running stack
   * @throws IllegalStateException outside the test class's (or test's) lifetime
   */
  public EmbeddedStack stack() {
    return running();
  }

  /**
   * @return the cluster's bootstrap servers
   */
  public String bootstrapServers() {
    return stack().bootstrapServers();
  }

  /**
   * @return the registry's base URL
   */
  public String registryUrl() {
    return stack().registryUrl();
  }

  /**
   * Creates topics with one replica each, and waits until they have leaders.
   *
   * @param specs the topics
   */
  public void createTopics(final TopicSpec<?, ?>... specs) {
    stack().cluster().createTopics(List.of(specs), (short) 1);
  }
}
