package dev.outpost.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the input of a result that cannot be serialized, or is too large for its topic, to the
 * dead-letter topic, and goes on. Any other production failure (authorization, a missing topic)
 * concerns every record alike, so it fails the task rather than dead-letter the whole stream.
 *
 * <p>So does a schema registry that cannot be reached or fails on its side while a result is
 * serialized: the same result will serialize once the registry is back, so the handler fails the
 * task instead of dead-lettering a good item. The {@link UncaughtExceptionPolicy} then replaces the
 * stream thread, which retries from the last commit, as for a registry outage while reading.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(final Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      final ErrorHandlerContext context,
      final ProducerRecord<byte[], byte[]> record,
      final Exception exception) {
    if (exception instanceof RecordTooLargeException) {
      return deadLetter(context, record.topic(), exception);
    }
    LOG.error(
        "Cannot write to {} for {}-{}@{}; failing the task",
        record.topic(),
        context.topic(),
        context.partition(),
        context.offset(),
        exception);
    return Response.fail();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      final ErrorHandlerContext context,
      final ProducerRecord record,
      final Exception exception,
      final SerializationExceptionOrigin origin) {
    if (UncaughtExceptionPolicy.isRegistryOutage(exception)) {
      LOG.warn(
          "Cannot write the result of {}-{}@{} to {} while the schema registry is unavailable;"
              + " failing the task to retry: {}",
          context.topic(),
          context.partition(),
          context.offset(),
          record.topic(),
          exception.getMessage());
      return Response.fail();
    }
    return deadLetter(context, record.topic(), exception);
  }

  private Response deadLetter(
      final ErrorHandlerContext context, final String target, final Exception exception) {
    LOG.warn(
        "Dead-lettering {}-{}@{}: cannot write its result to {}: {}",
        context.topic(),
        context.partition(),
        context.offset(),
        target,
        exception.getMessage());
    return Response.resume(
        List.of(
            deadLetters.record(
                context.sourceRawKey(),
                context.sourceRawValue(),
                DeadLetters.Source.of(context),
                Stage.PRODUCE,
                DeadLetterReason.PRODUCTION_FAILED,
                exception,
                false)));
  }
}
