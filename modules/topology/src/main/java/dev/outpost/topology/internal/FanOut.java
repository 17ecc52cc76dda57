package dev.outpost.topology.internal;

import dev.outpost.classifier.story.StoryCandidate;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * One alert per label of a classified item. For the story step, each alert carries the lead of
 * its item's text in a header, {@link #LEAD_HEADER}: an alert holds the title and evidence but
 * not the text, and the story step compares leads. The story step takes the header off again, so
 * no alert topic sees it.
 */
public final class FanOut implements FixedKeyProcessor<String, ClassifiedItem, Alert> {

  /** The header that carries an item's lead, UTF-8, from fan-out to the story step. */
  public static final String LEAD_HEADER = "outpost.story.lead";

  private final boolean withLead;
  private final Consumer<Category> counted;
  private FixedKeyProcessorContext<String, Alert> context;

  /**
   * @param withLead whether alerts go on to the story step and need the lead
   * @param counted told of each alert's category
   */
  public FanOut(final boolean withLead, final Consumer<Category> counted) {
    this.withLead = withLead;
    this.counted = counted;
  }

  @Override
  public void init(final FixedKeyProcessorContext<String, Alert> context) {
    this.context = context;
  }

  @Override
  public void process(final FixedKeyRecord<String, ClassifiedItem> record) {
    final byte[] lead =
        withLead ? StoryCandidate.lead(record.value().getItem().getBody()).getBytes(StandardCharsets.UTF_8) : null;
    for (final Alert alert : Results.alerts(record.value())) {
      counted.accept(alert.getCategory());
      FixedKeyRecord<String, Alert> out = record.withValue(alert);
      if (withLead) {
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(LEAD_HEADER);
        headers.add(LEAD_HEADER, lead);
        out = out.withHeaders(headers);
      }
      context.forward(out);
    }
  }
}
