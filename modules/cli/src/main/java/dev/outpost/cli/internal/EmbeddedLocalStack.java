package dev.outpost.cli.internal;

import dev.outpost.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.Map;

/** The embedded stack behind {@link LocalStack}: the one class of the cli that names it. */
final class EmbeddedLocalStack implements LocalStack.Unstarted {

  private final EmbeddedStack stack;

  EmbeddedLocalStack(final Path dataDir, final int kafkaPort, final int registryPort) {
    this.stack = EmbeddedStack.builder().dataDir(dataDir).kafkaPort(kafkaPort).registryPort(registryPort).build();
  }

  @Override
  public LocalStack start() {
    stack.start();
    return this;
  }

  @Override
  public String bootstrapServers() {
    return stack.bootstrapServers();
  }

  @Override
  public String registryUrl() {
    return stack.registryUrl();
  }

  @Override
  public Map<String, Object> kafkaProperties() {
    return stack.kafkaProperties();
  }

  @Override
  public void close() {
    stack.close();
  }
}
