package dev.outpost.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Something started for a test class (registered on a static field) or for each test (on an
 * instance field), and closed when that ends. JUnit calls the class callbacks only for an
 * extension on a static field, so what starts it tells which lifetime it has.
 *
 * @param <T> what runs
 */
abstract class Fixture<T extends AutoCloseable>
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final String name;
  private final Supplier<T> starter;
  private T running;
  private boolean perClass;

  Fixture(final String name, final Supplier<T> starter) {
    this.name = name;
    this.starter = starter;
  }

  /** @return a newly started instance */
  T start() {
    return starter.get();
  }

  @Override
  public final void beforeAll(final ExtensionContext context) {
    perClass = true;
    running = start();
  }

  @Override
  public final void afterAll(final ExtensionContext context) throws Exception {
    stop();
  }

  @Override
  public final void beforeEach(final ExtensionContext context) {
    if (!perClass) {
      running = start();
    }
  }

  @Override
  public final void afterEach(final ExtensionContext context) throws Exception {
    if (!perClass) {
      stop();
    }
  }

  private void stop() throws Exception {
    final T stopping = running;
    running = null;
    if (stopping != null) {
      stopping.close();
    }
  }

  /**
   * @return what runs
   * @throws IllegalStateException outside its test class or test
   */
  final T running() {
    if (running == null) {
      throw new IllegalStateException(
          name + " runs only while its test class or test does: register it with"
              + " @RegisterExtension, on a static field for one per class");
    }
    return running;
  }
}
