package dev.outpost.cli.internal;

import dev.outpost.cli.config.Durations;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a long-running command stops on SIGTERM or Ctrl-C: what must be finished (offsets committed,
 * a consumer group left, the embedded broker's logs flushed) is done, within {@link #GRACE}, and
 * nothing else.
 *
 * <p>The JVM runs its shutdown hooks and then ends, whatever other threads still do. So the hook
 * this installs waits for the command's stop, but at most {@link #GRACE}: a supervisor that sends
 * SIGTERM and then SIGKILL after a few seconds, or a user at Ctrl-C, sees the process gone within
 * 5 s. What the stop had not finished by then is given up as a kill would give it up, and said in
 * one line.
 *
 * <p>A command stops in one of two ways:
 *
 * <ul>
 *   <li>{@link #install(String, String)}: its own thread does the work, sees {@link #latch()}
 *       counted down, cleans up and calls {@link #close()}; the hook waits for that;
 *   <li>{@link #install(String, String, Runnable)}: its thread only waits; the hook runs the stop
 *       given, on a thread of its own, and waits for that.
 * </ul>
 *
 * <p>Servers that hold nothing to commit, such as the ops server and the lag monitor behind it, are
 * left to end with the JVM: closing them interrupts their threads, and a Kafka consumer interrupted
 * in the middle of a poll logs its failure to close with a stack trace, for nothing.
 */
public final class SignalStop implements AutoCloseable {

  /** The longest a signal's stop is waited for: under 5 s, with room for the JVM to end. */
  public static final Duration GRACE = Duration.ofSeconds(4);

  private static final Logger log = LoggerFactory.getLogger(SignalStop.class);

  private final CountDownLatch signalled = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final String what;
  private final Runnable onSignal;
  private final Thread hook;

  private SignalStop(final String name, final String what, final Runnable onSignal) {
    this.what = what;
    this.onSignal = onSignal;
    this.hook = new Thread(this::stop, name);
  }

  /**
   * For a command whose own thread stops: it watches {@link #latch()}, then cleans up and calls
   * {@link #close()}.
   *
   * @param name the hook thread's name
   * @param what what stops, for the line said when it takes too long ("the subscriber")
   * @return the installed stop
   */
  public static SignalStop install(final String name, final String what) {
    return install(new SignalStop(name, what, null));
  }

  /**
   * For a command whose thread only waits: on a signal, {@code onSignal} runs, and the command has
   * stopped when it returns.
   *
   * @param name the hook thread's name
   * @param what what stops, for the line said when it takes too long ("the pipeline")
   * @param onSignal what to finish on a signal; it may block, it is waited for at most {@link
   *     #GRACE}
   * @return the installed stop
   */
  public static SignalStop install(final String name, final String what, final Runnable onSignal) {
    return install(new SignalStop(name, what, onSignal));
  }

  private static SignalStop install(final SignalStop stop) {
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** @return counted down when a signal arrives */
  public CountDownLatch latch() {
    return signalled;
  }

  /** @return whether a signal arrived */
  public boolean signalled() {
    return signalled.getCount() == 0;
  }

  private void stop() {
    signalled.countDown();
    if (onSignal != null) {
      final Thread stopping =
          new Thread(
              () -> {
                try {
                  onSignal.run();
                } catch (final RuntimeException e) {
                  log.warn("Could not stop {} cleanly: {}", what, e.getMessage());
                } finally {
                  finished.countDown();
                }
              },
              hook.getName() + "-work");
      stopping.setDaemon(true);
      stopping.start();
    }
    try {
      if (!finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} did not stop within {}; exiting without waiting longer", capitalized(what), Durations.format(GRACE));
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String capitalized(final String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /**
   * Says the command has stopped, letting a waiting signal's hook return; when no signal came, the
   * hook is removed. For a stop given to {@link #install(String, String, Runnable)}, only the hook
   * is removed: that stop says for itself when it is done.
   */
  @Override
  public void close() {
    if (onSignal == null) {
      finished.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException e) {
      // The JVM is shutting down: the hook runs, and returns once the stop is done.
    }
  }
}
