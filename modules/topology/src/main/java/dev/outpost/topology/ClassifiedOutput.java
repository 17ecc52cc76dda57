package dev.outpost.topology;

import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.serde.EncodedRecord;
import java.util.Objects;

/**
 * A classified item on its way to the classified topic, with the input record its item was read
 * from. {@link PipelineSerdes#classifiedOutputs()} writes the input's Avro body as the item's
 * bytes instead of encoding the item again, when that gives the same bytes: the item is the very
 * object read from the input (nothing replaced it), and the input was written with the schema the
 * item has in a {@link ClassifiedItem} (see {@link EncodedRecord#isOwnEncoding()}). Otherwise the
 * item is encoded as usual.
 *
 * @param value the classified item
 * @param input the input record its item was read from, or null when there is none
 */
public record ClassifiedOutput(ClassifiedItem value, EncodedRecord<NewsItem> input) {

  /** Checks there is an item. */
  public ClassifiedOutput {
    Objects.requireNonNull(value, "value");
  }
}
