package dev.outpost.ingest.replay;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stop latch for a replay that a signal ends cleanly: when the JVM begins to shut down (Ctrl-C,
 * SIGTERM) the latch is counted down, and the shutdown waits, up to {@value #GRACE_SECONDS} s,
 * until this is closed, so that what the replay sent is committed and the same replay resumes
 * after it.
 */
public final class StopOnShutdown implements AutoCloseable {

  /** How long a shutdown waits for the replay to commit and close. */
  public static final int GRACE_SECONDS = 60;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private StopOnShutdown(final String name) {
    this.hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
  }

  /**
   * @param name the hook thread's name
   * @return the installed hook; close it when the replay is over
   */
  public static StopOnShutdown install(final String name) {
    final StopOnShutdown signal = new StopOnShutdown(name);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** @return counted down when the JVM shuts down; anyone else may count it down too */
  public CountDownLatch latch() {
    return stop;
  }

  /** Lets a waiting shutdown go on, and removes the hook when the JVM is not shutting down. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException e) {
      // Shutting down already: the hook has run or is running, and now returns.
    }
  }
}
