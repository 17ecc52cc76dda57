package dev.outpost.topology;

import dev.outpost.registry.RegistryServerException;
import dev.outpost.registry.serde.WireFormatException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. Bad records never get here: the error handlers
 * dead-letter them. What does get here is either passing (the schema registry or a broker out of
 * reach for longer than the clients retry) or a fault that every record would hit.
 *
 * <ul>
 *   <li>A passing failure replaces the thread, which resumes from the last committed offset; with
 *       exactly-once nothing is written twice.
 *   <li>Anything else shuts this instance down, so that it exits non-zero and its supervisor
 *       (systemd, Kubernetes) restarts it or pages someone, rather than spinning on the same
 *       failure.
 * </ul>
 */
public final class UncaughtExceptionPolicy implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(UncaughtExceptionPolicy.class);

  @Override
  public StreamThreadExceptionResponse handle(final Throwable exception) {
    if (isTransient(exception)) {
      LOG.warn("A stream thread failed on a passing error; replacing it: {}", rootMessage(exception));
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    LOG.error("A stream thread failed; shutting this instance down", exception);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /**
   * @param exception what killed the thread
   * @return true when the same work may succeed if tried again
   */
  static boolean isTransient(final Throwable exception) {
    if (isRegistryOutage(exception)) {
      return true;
    }
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * @param exception a failure to read or write a record
   * @return true when it came from the schema registry being out of reach or failing on its side
   *     (HTTP 5xx, a timeout), rather than from the record: the deserializer says so with a
   *     transient {@link WireFormatException}, the serializer with a {@link
   *     RegistryServerException} as the cause
   */
  static boolean isRegistryOutage(final Throwable exception) {
    if (WireFormatException.transientIn(exception).isPresent()) {
      return true;
    }
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof RegistryServerException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String rootMessage(final Throwable exception) {
    Throwable t = exception;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
