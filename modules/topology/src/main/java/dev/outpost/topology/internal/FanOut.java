package dev.outpost.topology.internal;

import dev.outpost.classifier.story.StoryCandidate;
import dev.outpost.classifier.story.StoryText;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.topology.ClassifiedOutput;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * One alert per label of a classified item. For the story step, each alert carries the sketch of
 * its item's title and lead in a header, {@link #SKETCH_HEADER}: an alert holds the title and
 * evidence but not the text, and the story step compares leads. The sketch is the same for every
 * label of an item, so it is computed here once an item rather than once an alert. The story step
 * takes the header off again, so no alert topic sees it.
 */
public final class FanOut implements FixedKeyProcessor<String, ClassifiedOutput, Alert> {

  /**
   * The header that carries the sketch of an item's title and lead ({@link
   * StoryText#itemSketch}, as {@link StoryText#toBytes}) from fan-out to the story step.
   */
  public static final String SKETCH_HEADER = "outpost.story.sketch";

  /**
   * The header that carried an item's lead, UTF-8, before {@link #SKETCH_HEADER}. No longer
   * written; the story step still reads it from alerts an earlier version left in its repartition
   * topic, and takes it off.
   */
  public static final String LEAD_HEADER = "outpost.story.lead";

  private final boolean withSketch;
  private final Consumer<Category> counted;
  private FixedKeyProcessorContext<String, Alert> context;

  /**
   * @param withSketch whether alerts go on to the story step and need the sketch
   * @param counted told of each alert's category
   */
  public FanOut(final boolean withSketch, final Consumer<Category> counted) {
    this.withSketch = withSketch;
    this.counted = counted;
  }

  @Override
  public void init(final FixedKeyProcessorContext<String, Alert> context) {
    this.context = context;
  }

  @Override
  public void process(final FixedKeyRecord<String, ClassifiedOutput> record) {
    final ClassifiedItem classified = record.value().value();
    final List<Alert> alerts = Results.alerts(classified);
    // Most items have no label and so no alert: only those with one are sketched.
    final byte[] sketch =
        withSketch && !alerts.isEmpty()
            ? StoryText.toBytes(
                StoryText.itemSketch(classified.getItem().getTitle(), StoryCandidate.lead(classified.getItem().getBody())))
            : null;
    for (final Alert alert : alerts) {
      counted.accept(alert.getCategory());
      FixedKeyRecord<String, Alert> out = record.withValue(alert);
      if (withSketch) {
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(LEAD_HEADER);
        headers.remove(SKETCH_HEADER);
        headers.add(SKETCH_HEADER, sketch);
        out = out.withHeaders(headers);
      }
      context.forward(out);
    }
  }
}
