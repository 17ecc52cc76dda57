package dev.outpost.classifier.story;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A story still open: what it has gathered so far, and what matching needs of it (the sketches
 * of its first alerts, the names in their evidence). Written to a state store as bytes by {@link
 * #toBytes()}, read back by {@link #fromBytes(byte[])}.
 */
public final class OpenStory {

  /** Sources listed on a story; {@link #sourceCount()} counts past it. */
  public static final int MAX_SOURCES_LISTED = 20;

  /** Distinct sources remembered for counting; past it the count may count a source twice. */
  static final int MAX_SOURCES_COUNTED = 1_000;

  /** Distinct pieces of evidence kept. */
  public static final int MAX_EVIDENCE = 10;

  /** Item ids kept. */
  public static final int MAX_ITEM_IDS = 50;

  /** Sketches of alerts kept for matching: the story's first ones. */
  static final int MAX_MEMBERS = 10;

  static final int MAX_NAMES = 50;

  /**
   * Format 3 added each evidence span's targets; format 2 added the primary state, the targets
   * and each evidence span's states. Formats 1 and 2 are still read, as stories without them.
   */
  private static final byte FORMAT = 3;

  private static final byte FORMAT_WITHOUT_SPAN_TARGETS = 2;

  private static final byte FORMAT_WITHOUT_PRIMARY = 1;

  /**
   * The sketch of one of its alerts, and the language it was read in: text is compared only
   * within one language.
   *
   * @param sketch the MinHash sketch of its title, lead and evidence
   * @param language its language
   */
  record Member(int[] sketch, String language) {}

  private final String id;
  private final String category;
  private final String title;
  private final String url;
  private final TreeSet<String> states = new TreeSet<>();
  private final TreeSet<String> founders = new TreeSet<>();
  /**
   * The states and founders again, hashed: {@link StoryBook} asks about them for every story an
   * alert is held to, and a sorted set answers by walking its tree.
   */
  private final Set<String> stateLookup = new HashSet<>();

  private final Set<String> founderLookup = new HashSet<>();
  private String primary = "";
  /**
   * The encoded collections, from {@code states} on, as {@link #toBytes} last wrote them; null
   * when one changed since. A story is written on every alert that joins it, and past its first
   * few dozen alerts only its counts and times change.
   */
  private byte[] encodedCollections;

  /** {@link #encodeHead}, once. */
  private byte[] encodedHead;
  private final TreeSet<String> targets = new TreeSet<>();
  private final TreeSet<String> languages = new TreeSet<>();
  private final LinkedHashSet<String> sources = new LinkedHashSet<>();
  private final List<StoryCandidate.Span> evidence = new ArrayList<>();
  /** The head counts its evidence gives, worked out on first use after the evidence changed. */
  private Set<Long> headCounts;
  private final List<String> itemIds = new ArrayList<>();
  private final List<Member> members = new ArrayList<>();
  private final TreeSet<String> names = new TreeSet<>();
  private long firstSeen;
  private long lastSeen;
  private int itemCount;
  private int sourceCount;
  private boolean closed;

  /**
   * The last-alert time {@link StoryBook}'s state index files it under: at most the join gap
   * behind {@link #lastSeen}, so the index is not reordered on every alert. Not stored.
   */
  long filedAt;

  /**
   * The number of the last alert {@link StoryBook} scored this story for, so that an alert the
   * indexes lead to it several times scores it once; not stored.
   */
  long visit;

  private OpenStory(final String id, final String category, final String title, final String url) {
    this.id = id;
    this.category = category;
    this.title = title;
    this.url = url;
  }

  /**
   * @param founder the alert that starts it
   * @param sketch its sketch
   * @param names the names in its evidence
   * @return a story of that one alert
   */
  static OpenStory start(final StoryCandidate founder, final int[] sketch, final Set<String> names) {
    final OpenStory story = new OpenStory(idFor(founder.category(), founder.itemId()), founder.category(), founder.title(), founder.url());
    story.firstSeen = founder.eventTime();
    story.lastSeen = founder.eventTime();
    story.founders.addAll(founder.states());
    story.founderLookup.addAll(founder.states());
    story.primary = founder.primary();
    story.add(founder, sketch, names);
    return story;
  }

  /**
   * @param category a category
   * @param itemId the id of the item that starts a story in it
   * @return the story's id: the first 16 hex digits of the SHA-256 of both, so replaying the same
   *     items gives the same ids
   */
  public static String idFor(final String category, final String itemId) {
    try {
      final byte[] digest =
          MessageDigest.getInstance("SHA-256").digest((category + "|" + itemId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  void add(final StoryCandidate alert, final int[] sketch, final Set<String> newNames) {
    itemCount++;
    firstSeen = Math.min(firstSeen, alert.eventTime());
    lastSeen = Math.max(lastSeen, alert.eventTime());
    // What follows changes the collections only until they fill: a story's encoded collections
    // are kept, and encoded again only when one of them changed.
    boolean changed = false;
    if (primary.isEmpty() && !alert.primary().isEmpty()) {
      primary = alert.primary();
      changed = true;
    }
    if (targets.isEmpty()) {
      changed |= targets.addAll(StoryText.targets(alert.evidence()));
    }
    if (states.addAll(alert.states())) {
      stateLookup.addAll(alert.states());
      changed = true;
    }
    changed |= languages.add(alert.language());
    if (!alert.source().isEmpty() && !sources.contains(alert.source())) {
      sourceCount++;
      if (sources.size() < MAX_SOURCES_COUNTED) {
        sources.add(alert.source());
        changed = true;
      }
    }
    for (final StoryCandidate.Span span : alert.evidence()) {
      if (evidence.size() >= MAX_EVIDENCE) {
        break;
      }
      if (evidence.stream().noneMatch(e -> e.text().equals(span.text()))) {
        evidence.add(span);
        headCounts = null;
        changed = true;
      }
    }
    if (itemIds.size() < MAX_ITEM_IDS) {
      itemIds.add(alert.itemId());
      changed = true;
    }
    if (sketch.length > 0 && members.size() < MAX_MEMBERS) {
      members.add(new Member(sketch, alert.language()));
      changed = true;
    }
    for (final String name : newNames) {
      if (names.size() >= MAX_NAMES) {
        break;
      }
      changed |= names.add(name);
    }
    if (changed) {
      encodedCollections = null;
    }
  }

  void close() {
    closed = true;
  }

  /** @return its id */
  public String id() {
    return id;
  }

  /** @return its category, by name */
  public String category() {
    return category;
  }

  /** @return the title of the alert that started it */
  public String title() {
    return title;
  }

  /** @return the link of the alert that started it, or null */
  public String url() {
    return url;
  }

  /** @return every state its alerts named, sorted */
  public List<String> states() {
    return List.copyOf(states);
  }

  Set<String> stateSet() {
    return states;
  }

  /** The states of the alert that started it: what alerts joining on states alone are held to. */
  Set<String> founders() {
    return founders;
  }

  /**
   * @param state a state
   * @return whether one of its alerts named it; what {@code stateSet().contains} says, by hash
   */
  boolean hasState(final String state) {
    return stateLookup.contains(state);
  }

  /**
   * @param state a state
   * @return whether the alert that started it named it; what {@code founders().contains} says, by
   *     hash
   */
  boolean hasFounder(final String state) {
    return founderLookup.contains(state);
  }

  /**
   * The state its first alert naming any names first: who acted, more often than not, in the
   * report that started it.
   */
  String primary() {
    return primary;
  }

  /**
   * The states the first of its alerts to name any names as the ones its act is aimed at ({@link
   * StoryText#targets}): whom the ambassador summoned, or the diplomats expelled, belong to.
   */
  Set<String> targets() {
    return targets;
  }

  /** @return the languages of its alerts, sorted */
  public List<String> languages() {
    return List.copyOf(languages);
  }

  /** @return its first {@link #MAX_SOURCES_LISTED} distinct sources, in the order they joined */
  public List<String> sources() {
    return sources.stream().limit(MAX_SOURCES_LISTED).toList();
  }

  /**
   * @return the head counts its evidence gives ({@link StoryText#headCounts})
   */
  Set<Long> headCounts() {
    if (headCounts == null) {
      headCounts = StoryText.headCounts(evidence);
    }
    return headCounts;
  }

  /** @return distinct evidence, at most {@link #MAX_EVIDENCE} */
  public List<StoryCandidate.Span> evidence() {
    return List.copyOf(evidence);
  }

  /** @return its first item ids, at most {@link #MAX_ITEM_IDS} */
  public List<String> itemIds() {
    return List.copyOf(itemIds);
  }

  List<Member> members() {
    return members;
  }

  Set<String> names() {
    return names;
  }

  /** @return the earliest event time of its alerts, epoch millis */
  public long firstSeen() {
    return firstSeen;
  }

  /** @return the latest event time of its alerts, epoch millis */
  public long lastSeen() {
    return lastSeen;
  }

  /** @return how many alerts joined it */
  public int itemCount() {
    return itemCount;
  }

  /** @return how many distinct sources reported it */
  public int sourceCount() {
    return sourceCount;
  }

  /** @return whether it has closed */
  public boolean closed() {
    return closed;
  }

  /** @return the story as bytes, for a state store */
  public byte[] toBytes() {
    if (encodedHead == null) {
      encodedHead = encodeHead();
    }
    if (encodedCollections == null) {
      try {
        encodedCollections = encodeCollections();
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // As DataOutputStream writes them, big-endian: the head, then the fields an alert changes.
    return ByteBuffer.allocate(encodedHead.length + 2 * Long.BYTES + 2 * Integer.BYTES + 1 + encodedCollections.length)
        .put(encodedHead)
        .putLong(firstSeen)
        .putLong(lastSeen)
        .putInt(itemCount)
        .putInt(sourceCount)
        .put((byte) (closed ? 1 : 0))
        .put(encodedCollections)
        .array();
  }

  /** The format, id, category, title and link: what never changes once the story started. */
  private byte[] encodeHead() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + title.length() + (url == null ? 0 : url.length()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(id);
      out.writeUTF(category);
      writeLong(out, title);
      out.writeBoolean(url != null);
      if (url != null) {
        writeLong(out, url);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private byte[] encodeCollections() throws IOException {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 + members.size() * StoryText.SKETCH_SIZE * Integer.BYTES);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
        writeStrings(out, states);
        writeStrings(out, founders);
        out.writeUTF(primary);
        writeStrings(out, targets);
        writeStrings(out, languages);
        writeStrings(out, sources);
        out.writeInt(evidence.size());
        for (final StoryCandidate.Span span : evidence) {
          out.writeUTF(span.field());
          out.writeInt(span.start());
          out.writeInt(span.end());
          writeLong(out, span.text());
          out.writeUTF(span.ruleId());
          writeStrings(out, span.states());
          writeStrings(out, span.targets());
        }
        writeStrings(out, itemIds);
        out.writeInt(members.size());
        // The sketches are most of a story's bytes, and the story is written on every alert: each
        // as one block, big-endian as writeInt writes each int, rather than four one-byte writes an int.
        final ByteBuffer block = ByteBuffer.allocate(StoryText.SKETCH_SIZE * Integer.BYTES);
        for (final Member member : members) {
          out.writeUTF(member.language());
          block.clear();
          for (final int v : member.sketch()) {
            block.putInt(v);
          }
          out.write(block.array());
        }
        writeStrings(out, names);
    }
    return bytes.toByteArray();
  }

  /**
   * @param bytes what {@link #toBytes()} wrote
   * @return the story
   * @throws IllegalArgumentException when the bytes are not a story of this format
   */
  public static OpenStory fromBytes(final byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      final byte format = in.readByte();
      if (format != FORMAT && format != FORMAT_WITHOUT_SPAN_TARGETS && format != FORMAT_WITHOUT_PRIMARY) {
        throw new IllegalArgumentException("unknown story state format " + format);
      }
      final String id = in.readUTF();
      final String category = in.readUTF();
      final String title = readLong(in);
      final String url = in.readBoolean() ? readLong(in) : null;
      final OpenStory story = new OpenStory(id, category, title, url);
      story.firstSeen = in.readLong();
      story.lastSeen = in.readLong();
      story.itemCount = in.readInt();
      story.sourceCount = in.readInt();
      story.closed = in.readBoolean();
      readStrings(in, story.states);
      readStrings(in, story.founders);
      story.stateLookup.addAll(story.states);
      story.founderLookup.addAll(story.founders);
      if (format != FORMAT_WITHOUT_PRIMARY) {
        story.primary = in.readUTF();
        readStrings(in, story.targets);
      }
      readStrings(in, story.languages);
      readStrings(in, story.sources);
      final int spans = in.readInt();
      for (int i = 0; i < spans; i++) {
        final String field = in.readUTF();
        final int start = in.readInt();
        final int end = in.readInt();
        final String text = readLong(in);
        final String ruleId = in.readUTF();
        final List<String> spanStates = new ArrayList<>();
        final List<String> spanTargets = new ArrayList<>();
        if (format != FORMAT_WITHOUT_PRIMARY) {
          readStrings(in, spanStates);
        }
        if (format == FORMAT) {
          readStrings(in, spanTargets);
        }
        story.evidence.add(new StoryCandidate.Span(field, start, end, text, ruleId, spanStates, spanTargets));
      }
      readStrings(in, story.itemIds);
      final int members = in.readInt();
      for (int m = 0; m < members; m++) {
        final String language = in.readUTF();
        final int[] sketch = new int[StoryText.SKETCH_SIZE];
        for (int i = 0; i < sketch.length; i++) {
          sketch[i] = in.readInt();
        }
        story.members.add(new Member(sketch, language));
      }
      readStrings(in, story.names);
      return story;
    } catch (final IOException e) {
      throw new IllegalArgumentException("truncated or corrupt story state: " + e.getMessage(), e);
    }
  }

  private static void writeLong(final DataOutputStream out, final String s) throws IOException {
    final byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLong(final DataInputStream in) throws IOException {
    final int n = in.readInt();
    if (n < 0 || n > (1 << 24)) {
      throw new IOException("string of " + n + " bytes");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static void writeStrings(final DataOutputStream out, final java.util.Collection<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (final String s : strings) {
      writeLong(out, s);
    }
  }

  private static void readStrings(final DataInputStream in, final java.util.Collection<String> into) throws IOException {
    final int n = in.readInt();
    for (int i = 0; i < n; i++) {
      into.add(readLong(in));
    }
  }
}
