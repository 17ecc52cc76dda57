package dev.outpost.ingest.internal;

import dev.outpost.model.NewsItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Builds {@link NewsItem}s with stable ids, so a re-published item keeps its identity. */
public final class NewsItems {

  private NewsItems() {}

  /**
   * Derives an id from what identifies an item: its source and URL when it has one, else its
   * source, title and body. The same item read twice gets the same id.
   *
   * @param source the item's source
   * @param url its URL, or null
   * @param title its title
   * @param body its body
   * @return a 32-hex-digit id
   */
  public static String deriveId(
      final String source, final String url, final String title, final String body) {
    final String identity =
        url != null && !url.isBlank() ? source + '\n' + url : source + '\n' + title + '\n' + body;
    try {
      final byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  /**
   * @param id the item id, or null to derive one
   * @param source where it came from
   * @param url its link, or null
   * @param title its title
   * @param body its plain text
   * @param language a BCP 47 tag, or null for unknown
   * @param publishedAt when it was published, or null
   * @param ingestedAt when Outpost read it
   * @return the item
   */
  public static NewsItem create(
      final String id,
      final String source,
      final String url,
      final String title,
      final String body,
      final String language,
      final Instant publishedAt,
      final Instant ingestedAt) {
    return NewsItem.newBuilder()
        .setId(id != null && !id.isBlank() ? id : deriveId(source, url, title, body))
        .setSource(source)
        .setUrl(url)
        .setTitle(title)
        .setBody(body)
        .setLanguage(language == null || language.isBlank() ? "und" : language)
        .setPublishedAt(publishedAt)
        .setIngestedAt(ingestedAt)
        .build();
  }
}
