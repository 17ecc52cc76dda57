package dev.outpost.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends items that fail validation or processing to the dead-letter topic with the bytes they
 * were read from (KIP-1033, KIP-1034), and goes on: one bad item never stops a stream thread.
 *
 * <p>Invalid items are expected and logged in one line; any other failure is logged with its
 * stack trace and carries it in the dead letter's headers, since it points at a bug.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(final Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
    final boolean expected = exception instanceof InvalidItemException;
    final DeadLetterReason reason =
        expected ? ((InvalidItemException) exception).reason() : DeadLetterReason.PROCESSING_FAILED;
    final Stage stage = expected ? Stage.VALIDATE : OutpostTopology.stageOf(context.processorNodeId());
    if (expected) {
      LOG.warn(
          "Dead-lettering {}-{}@{} ({}): {}",
          context.topic(),
          context.partition(),
          context.offset(),
          reason.tag(),
          exception.getMessage());
    } else {
      LOG.error(
          "Dead-lettering {}-{}@{}: {} failed at {}",
          context.topic(),
          context.partition(),
          context.offset(),
          stage.tag(),
          context.processorNodeId(),
          exception);
    }
    return Response.resume(
        List.of(
            deadLetters.record(
                context.sourceRawKey(),
                context.sourceRawValue(),
                DeadLetters.Source.of(context),
                stage,
                reason,
                exception,
                !expected)));
  }
}
