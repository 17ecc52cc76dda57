package dev.outpost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lifetimes a fixture has, driven by hand as JUnit drives it for each kind of field. */
class FixtureTest {

  private final List<String> events = new ArrayList<>();

  /** A fixture whose every start and close is written down. */
  private final class Recorded extends Fixture<AutoCloseable> {
    private int started;

    Recorded() {
      super("The recorded thing", null);
    }

    @Override
    AutoCloseable start() {
      final int n = ++started;
      events.add("start " + n);
      return () -> events.add("close " + n);
    }
  }

  @Test
  void onAStaticFieldOneRunsForTheWholeClass() throws Exception {
    final Recorded fixture = new Recorded();

    fixture.beforeAll(null);
    fixture.beforeEach(null);
    final AutoCloseable first = fixture.running();
    fixture.afterEach(null);
    fixture.beforeEach(null);
    final AutoCloseable second = fixture.running();
    fixture.afterEach(null);
    fixture.afterAll(null);

    assertThat(second).isSameAs(first);
    assertThat(events).containsExactly("start 1", "close 1");
  }

  @Test
  void onAnInstanceFieldEachTestGetsAFreshOne() throws Exception {
    final Recorded fixture = new Recorded();

    fixture.beforeEach(null);
    fixture.afterEach(null);
    fixture.beforeEach(null);
    fixture.afterEach(null);

    assertThat(events).containsExactly("start 1", "close 1", "start 2", "close 2");
  }

  @Test
  void outsideItsLifetimeItSaysHowToRegisterIt() throws Exception {
    final Recorded fixture = new Recorded();
    fixture.beforeEach(null);
    fixture.afterEach(null);

    assertThatThrownBy(fixture::running)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("The recorded thing")
        .hasMessageContaining("@RegisterExtension");
  }
}
