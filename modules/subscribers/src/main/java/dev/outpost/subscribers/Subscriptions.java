package dev.outpost.subscribers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.model.Category;
import dev.outpost.model.KafkaTarget;
import dev.outpost.model.Subscription;
import dev.outpost.model.SubscriptionFilter;
import dev.outpost.model.WebhookTarget;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.model.net.OutboundRefusedException;
import dev.outpost.model.net.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Makes, checks and describes subscriptions. Everything that builds one goes through here, so a
 * subscription with a bad id, URL, secret or topic is refused with a message that says what to
 * fix, and nothing that describes one ever shows its secret, nor the credentials or query of its
 * URL ({@link Urls#redact}).
 *
 * <p>A webhook made here holds its secret in plaintext, in memory only: {@link SubscriptionStore}
 * encrypts it before it is written.
 */
public final class Subscriptions {

  /** The shortest webhook secret accepted. */
  public static final int MIN_SECRET_LENGTH = 16;

  /** Random bytes in a generated webhook secret. */
  private static final int GENERATED_SECRET_BYTES = 24;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Subscriptions() {}

  /**
   * @return a new webhook secret: {@value #GENERATED_SECRET_BYTES} random bytes as hex, long
   *     enough for {@link #webhook}
   */
  public static String newSecret() {
    final byte[] random = new byte[GENERATED_SECRET_BYTES];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /**
   * Refuses a webhook at an internal address when it is added, rather than at its first delivery;
   * the dispatcher checks again at every attempt, since what a name resolves to may change.
   *
   * @param subscription a subscription
   * @param policy where webhooks may point
   * @return true when its address was checked and is allowed, or it is not a webhook; false when
   *     the webhook's host does not resolve here, which is no refusal: the dispatcher may run
   *     where it does resolve, and checks it there
   * @throws OutboundRefusedException naming the address and what kind of internal address it is
   */
  public static boolean checkAddress(final Subscription subscription, final OutboundPolicy policy) throws OutboundRefusedException {
    if (!(subscription.getTarget() instanceof WebhookTarget w)) {
      return true;
    }
    try {
      policy.check(URI.create(w.getUrl()));
      return true;
    } catch (final UnknownHostException e) {
      return false;
    }
  }

  /**
   * @param id the id of a subscription to change or remove
   * @param ids the ids of the subscriptions there are
   * @throws NoSuchElementException naming the subscriptions there are, when none has this id
   */
  public static void requireExisting(final String id, final Collection<String> ids) {
    if (!ids.contains(id)) {
      throw new NoSuchElementException(
          "No subscription '" + id + "'; there are: " + (ids.isEmpty() ? "none" : String.join(", ", ids)));
    }
  }

  /**
   * @param id the subscription's id
   * @param filter which alerts it wants
   * @param url where to POST them: an absolute http or https URL
   * @param secret the HMAC key, at least {@value #MIN_SECRET_LENGTH} characters
   * @param createdAt when it was made
   * @return the subscription
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Subscription webhook(
      final String id, final AlertFilter filter, final String url, final String secret, final Instant createdAt) {
    checkUrl(url);
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "the webhook secret must be at least " + MIN_SECRET_LENGTH + " characters long");
    }
    return Subscription.newBuilder()
        .setId(checkId(id))
        .setFilter(toAvro(filter))
        .setTarget(WebhookTarget.newBuilder().setUrl(url).setSecret(secret).build())
        .setCreatedAt(createdAt)
        .build();
  }

  /**
   * @param id the subscription's id
   * @param filter which alerts it wants
   * @param topic the Kafka topic to write them to
   * @param createdAt when it was made
   * @return the subscription
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Subscription kafka(
      final String id, final AlertFilter filter, final String topic, final Instant createdAt) {
    if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException(
          "'" + topic + "' is not a Kafka topic name: use letters, digits, '.', '_' and '-'");
    }
    return Subscription.newBuilder()
        .setId(checkId(id))
        .setFilter(toAvro(filter))
        .setTarget(KafkaTarget.newBuilder().setTopic(topic).build())
        .setCreatedAt(createdAt)
        .build();
  }

  /** What {@code SubscriptionFilter.events} names: the alerts its filter matches. */
  public static final String EVENTS_ALERTS = "alerts";

  /** What {@code SubscriptionFilter.events} names: events about Outpost itself, from {@code Topics.OPS_EVENTS}. */
  public static final String EVENTS_OPS = "ops";

  /**
   * @param subscription a subscription
   * @return whether it receives the alerts its filter matches
   */
  public static boolean wantsAlerts(final Subscription subscription) {
    return subscription.getFilter().getEvents().contains(EVENTS_ALERTS);
  }

  /**
   * @param subscription a subscription
   * @return whether it receives ops events (lag status changes), whatever the rest of its filter
   */
  public static boolean wantsOps(final Subscription subscription) {
    return subscription.getFilter().getEvents().contains(EVENTS_OPS);
  }

  /**
   * @param subscription a subscription
   * @param events what it receives: {@value #EVENTS_ALERTS}, {@value #EVENTS_OPS} or both
   * @return the same subscription receiving those
   * @throws IllegalArgumentException when the set is empty or names anything else
   */
  public static Subscription withEvents(final Subscription subscription, final Collection<String> events) {
    if (events.isEmpty() || !List.of(EVENTS_ALERTS, EVENTS_OPS).containsAll(events)) {
      throw new IllegalArgumentException(
          "events " + events + " must be one or both of '" + EVENTS_ALERTS + "' and '" + EVENTS_OPS + "'");
    }
    final SubscriptionFilter f = subscription.getFilter();
    // The all-fields constructors: Avro's copying builders deep-copy through a class look-up that
    // Avro 1.12 refuses for classes not on its allow-list.
    final SubscriptionFilter filter =
        new SubscriptionFilter(
            f.getCategories(), f.getActors(), f.getMinConfidence(), f.getKeywords(), f.getPerStory(), events.stream().distinct().sorted().toList());
    return new Subscription(
        subscription.getId(), filter, subscription.getTarget(), subscription.getCreatedAt(), subscription.getEnabled(), subscription.getDisabledReason());
  }

  /**
   * @param subscription a subscription
   * @return its filter
   */
  public static AlertFilter filterOf(final Subscription subscription) {
    final SubscriptionFilter f = subscription.getFilter();
    final Set<Category> categories = f.getCategories().isEmpty() ? Set.of() : EnumSet.copyOf(f.getCategories());
    return new AlertFilter(
        categories, Set.copyOf(f.getActors()), f.getMinConfidence(), f.getKeywords(), f.getPerStory());
  }

  /**
   * @param subscription a subscription
   * @return one line for people, with the target but never the secret
   */
  public static String describe(final Subscription subscription) {
    final AlertFilter filter = filterOf(subscription);
    final List<String> parts = new ArrayList<>();
    parts.add(subscription.getId());
    parts.add(targetOf(subscription));
    parts.add(
        "categories="
            + (filter.categories().isEmpty()
                ? "all"
                : String.join(
                    ",",
                    filter.categories().stream().sorted().map(c -> c.name().toLowerCase(Locale.ROOT)).toList())));
    if (!filter.actors().isEmpty()) {
      parts.add("actors=" + String.join(",", filter.actors().stream().sorted().toList()));
    }
    if (filter.minConfidence() > 0) {
      parts.add("min-confidence=" + filter.minConfidence());
    }
    if (!filter.keywords().isEmpty()) {
      parts.add("keywords=" + String.join("|", filter.keywords()));
    }
    if (filter.perStory()) {
      parts.add("per-story");
    }
    if (!subscription.getFilter().getEvents().equals(List.of(EVENTS_ALERTS))) {
      parts.add("events=" + String.join(",", subscription.getFilter().getEvents()));
    }
    parts.add(
        subscription.getEnabled()
            ? "enabled"
            : "disabled (" + subscription.getDisabledReason() + ")");
    if (SecretCipher.isPlaintext(subscription)) {
      parts.add("secret stored unencrypted");
    }
    return String.join("  ", parts);
  }

  /**
   * @param subscription a subscription
   * @return {@code webhook URL} or {@code topic NAME}; never the secret, nor the URL's
   *     credentials or query
   */
  public static String targetOf(final Subscription subscription) {
    if (subscription.getTarget() instanceof WebhookTarget w) {
      return "webhook " + Urls.redact(w.getUrl());
    }
    return "topic " + ((KafkaTarget) subscription.getTarget()).getTopic();
  }

  /** What JSON shows in place of a webhook's secret, encrypted or not. */
  public static final String SECRET_PLACEHOLDER = "****";

  /**
   * A subscription as JSON, the one way every command shows it ({@code subscriptions list --json},
   * {@code tail} of the subscriptions topic): a webhook's URL without credentials or query, its
   * secret, encrypted or from before encryption, replaced by {@value #SECRET_PLACEHOLDER}, with the
   * id of the key that encrypts it (null when it is stored unencrypted).
   *
   * @param subscription a subscription
   * @return it as JSON, with nothing secret
   */
  public static ObjectNode toJson(final Subscription subscription) {
    final ObjectNode node = AvroJson.toJson(subscription);
    if (subscription.getTarget() instanceof WebhookTarget w) {
      final ObjectNode target = (ObjectNode) node.get("target");
      target.put("url", Urls.redact(w.getUrl()));
      target.remove("encryptedSecret");
      target.put("secret", SECRET_PLACEHOLDER);
      target.put("secretKeyId", w.getEncryptedSecret() == null ? null : w.getEncryptedSecret().getKeyId());
    }
    return node;
  }

  private static SubscriptionFilter toAvro(final AlertFilter filter) {
    return SubscriptionFilter.newBuilder()
        .setCategories(filter.categories().stream().sorted().toList())
        .setActors(filter.actors().stream().sorted().toList())
        .setMinConfidence(filter.minConfidence())
        .setKeywords(filter.keywords())
        .setPerStory(filter.perStory())
        .build();
  }

  private static String checkId(final String id) {
    if (id == null || !id.matches("[a-zA-Z0-9._-]{1,100}")) {
      throw new IllegalArgumentException(
          "'" + id + "' is not a subscription id: use 1 to 100 letters, digits, '.', '_' and '-'");
    }
    return id;
  }

  private static void checkUrl(final String url) {
    try {
      final URI uri = new URI(url);
      final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "'" + Urls.redact(url) + "' is not a webhook URL: give an absolute http:// or https:// URL with a host");
      }
    } catch (final URISyntaxException e) {
      throw new IllegalArgumentException("'" + Urls.redact(url) + "' is not a URL: " + e.getReason(), e);
    }
  }
}
