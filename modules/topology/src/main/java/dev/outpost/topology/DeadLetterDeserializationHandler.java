package dev.outpost.topology;

import dev.outpost.registry.serde.WireFormatException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be read as news items (wrong magic byte, unknown schema id, truncated
 * or malformed bytes) to the dead-letter topic with their original bytes, and goes on.
 *
 * <p>One exception: when the schema registry cannot be reached, the same bytes will read once it
 * is back, so the handler fails the task instead of dead-lettering good data. The stream thread
 * then stops and the {@link UncaughtExceptionPolicy uncaught-exception policy} replaces it, which retries
 * from the last committed offset.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(final Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      final ErrorHandlerContext context,
      final ConsumerRecord<byte[], byte[]> record,
      final Exception exception) {
    final WireFormatException.Problem problem =
        exception instanceof WireFormatException w ? w.problem() : null;
    if (problem != null && problem.isTransient()) {
      LOG.warn(
          "Cannot read {}-{}@{} while the schema registry is unavailable; failing the task to retry: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          exception.getMessage());
      return Response.fail();
    }
    final DeadLetterReason reason = reasonFor(problem);
    LOG.warn(
        "Dead-lettering {}-{}@{} ({}): {}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason.tag(),
        exception.getMessage());
    return Response.resume(
        List.of(
            deadLetters.record(
                record.key(),
                record.value(),
                new DeadLetters.Source(record.topic(), record.partition(), record.offset()),
                Stage.DESERIALIZE,
                reason,
                exception,
                problem == null)));
  }

  private static DeadLetterReason reasonFor(final WireFormatException.Problem problem) {
    if (problem == null) {
      return DeadLetterReason.MALFORMED_BODY;
    }
    return switch (problem) {
      case TRUNCATED_HEADER -> DeadLetterReason.TRUNCATED_HEADER;
      case WRONG_MAGIC_BYTE -> DeadLetterReason.WRONG_MAGIC_BYTE;
      case UNKNOWN_SCHEMA_ID -> DeadLetterReason.UNKNOWN_SCHEMA_ID;
      case INCOMPATIBLE_SCHEMA, NO_READER_CLASS -> DeadLetterReason.INCOMPATIBLE_SCHEMA;
      case TRUNCATED_BODY -> DeadLetterReason.TRUNCATED_BODY;
      case MALFORMED_BODY, REGISTRY_UNAVAILABLE -> DeadLetterReason.MALFORMED_BODY;
    };
  }
}
