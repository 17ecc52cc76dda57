package dev.outpost.topology.internal;

import dev.outpost.model.NewsItem;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.InvalidItemException;

/** Checks a news item's required fields and sizes before anything else looks at it. */
public final class ItemValidator {

  private final int maxTitleBytes;
  private final int maxBodyBytes;

  /**
   * @param maxTitleBytes the largest title accepted, in UTF-8 bytes
   * @param maxBodyBytes the largest body accepted, in UTF-8 bytes
   */
  public ItemValidator(final int maxTitleBytes, final int maxBodyBytes) {
    this.maxTitleBytes = maxTitleBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * @param item the item read, or null for a record without a value
   * @return the item, when it is valid
   * @throws InvalidItemException naming the field and the rule it broke
   */
  public NewsItem check(final NewsItem item) {
    if (item == null) {
      throw new InvalidItemException(
          DeadLetterReason.EMPTY_RECORD, "the record has no value: a news item was expected");
    }
    requireText(item.getId(), "id");
    requireText(item.getSource(), "source");
    if (isBlank(item.getTitle()) && isBlank(item.getBody())) {
      throw new InvalidItemException(
          DeadLetterReason.MISSING_FIELD,
          "item '" + item.getId() + "' has neither a title nor a body: there is nothing to classify");
    }
    if (exceeds(item.getTitle(), maxTitleBytes)) {
      throw new InvalidItemException(
          DeadLetterReason.TITLE_TOO_LARGE,
          "item '" + item.getId() + "': title is more than " + maxTitleBytes + " bytes");
    }
    if (exceeds(item.getBody(), maxBodyBytes)) {
      throw new InvalidItemException(
          DeadLetterReason.BODY_TOO_LARGE,
          "item '" + item.getId() + "': body is more than " + maxBodyBytes + " bytes");
    }
    return item;
  }

  private static void requireText(final String value, final String field) {
    if (isBlank(value)) {
      throw new InvalidItemException(
          DeadLetterReason.MISSING_FIELD, "the item's required field '" + field + "' is empty");
    }
  }

  private static boolean isBlank(final String value) {
    return value == null || value.isBlank();
  }

  /**
   * Whether a string is longer than the limit in UTF-8 bytes. A char is one to three bytes (a
   * surrogate pair, two chars, is four), so a string of n chars is n to 3n bytes: its length alone
   * settles most strings, and only one between a third of the limit and the limit is counted.
   *
   * @param s the string, or null (empty)
   * @param limit the most UTF-8 bytes allowed
   * @return true when {@code s} encodes to more than {@code limit} bytes
   */
  static boolean exceeds(final String s, final int limit) {
    if (s == null) {
      return false;
    }
    final long chars = s.length();
    if (3 * chars <= limit) {
      return false;
    }
    if (chars > limit) {
      return true;
    }
    return utf8Length(s, limit) > limit;
  }

  /**
   * The UTF-8 length of a string, counted without encoding it, and only until it passes the
   * limit, so a huge field costs no more than the limit to reject.
   */
  static long utf8Length(final String s, final int limit) {
    if (s == null) {
      return 0;
    }
    long bytes = 0;
    final int n = s.length();
    for (int i = 0; i < n && bytes <= limit; i++) {
      final char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
