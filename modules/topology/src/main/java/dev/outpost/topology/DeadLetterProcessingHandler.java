package dev.outpost.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends items that fail validation or processing to the dead-letter topic with the bytes they
 * were read from (KIP-1033, KIP-1034), and goes on: one bad item never stops a stream thread.
 *
 * <p>Invalid items are expected and logged in one line; any other failure is logged with its
 * stack trace and carries it in the dead letter's headers, since it points at a bug.
 *
 * <p>A {@link StreamsException} is not the record's fault and fails the task instead: Kafka Streams
 * raises it inside a processor when a write cannot go on (a result that could not be serialized
 * and that {@link DeadLetterProductionHandler} chose not to skip, such as while the schema registry
 * is down, or an earlier send the producer failed) or a state store fails. Dead-lettering it would
 * turn a good item, or the next one in line, into a dead letter; failing lets the {@link
 * UncaughtExceptionPolicy} replace the thread on a passing fault (it resumes from the last commit)
 * and shut the instance down on any other.
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
    if (exception instanceof StreamsException) {
      if (UncaughtExceptionPolicy.isRegistryOutage(exception)) {
        LOG.warn(
            "Cannot finish {}-{}@{} while the schema registry is unavailable; failing the task to retry: {}",
            context.topic(),
            context.partition(),
            context.offset(),
            exception.getMessage());
      } else {
        LOG.error(
            "Kafka Streams failed at {} while processing {}-{}@{}; failing the task",
            context.processorNodeId(),
            context.topic(),
            context.partition(),
            context.offset(),
            exception);
      }
      return Response.fail();
    }
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
