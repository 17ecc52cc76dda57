package dev.outpost.clients.internal;

import dev.outpost.clients.ClientsException;
import dev.outpost.clients.DurationText;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/**
 * Waits for an admin client's future with a deadline, and turns its three checked failures into
 * one {@link ClientsException} whose cause is what Kafka reported (not the ExecutionException
 * wrapper), so callers can look for an AuthorizationException in the chain.
 */
public final class AdminFutures {

  private AdminFutures() {}

  /**
   * @param <T> what the future holds
   * @param future an admin client's future
   * @param deadlineNanos when to give up, on {@link System#nanoTime()}'s scale
   * @param timeout the whole time the caller allowed, for the message
   * @param what what the call does, for the message ("list the committed offsets of group g")
   * @return the future's value
   * @throws ClientsException when the call failed, timed out or was interrupted
   */
  public static <T> T get(final KafkaFuture<T> future, final long deadlineNanos, final Duration timeout, final String what) {
    final long left = Math.max(1, deadlineNanos - System.nanoTime());
    try {
      return future.get(left, TimeUnit.NANOSECONDS);
    } catch (final ExecutionException e) {
      final Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ClientsException("Could not " + what + ": " + cause.getMessage(), cause);
    } catch (final TimeoutException e) {
      throw new ClientsException("Could not " + what + ": Kafka did not answer within " + DurationText.format(timeout), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientsException("Interrupted while waiting to " + what, e);
    }
  }

  /**
   * @param deadlineNanos a deadline on {@link System#nanoTime()}'s scale
   * @return the milliseconds left until it, at least 1, as the admin options' timeout
   */
  public static int millisLeft(final long deadlineNanos) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
  }
}
