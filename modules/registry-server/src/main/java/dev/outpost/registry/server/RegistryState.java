package dev.outpost.registry.server;

import dev.outpost.registry.CompatibilityChecker;
import dev.outpost.registry.CompatibilityLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's subjects, versions, ids and compatibility levels, and the rules of Confluent's
 * registry over them. Every change is appended to the {@link SchemaStore} first and applied here
 * only once the store accepted it, so the store's log always rebuilds this state.
 *
 * <p>Schemas are compared by their canonical text, Avro's {@code Schema.toString()} of the parsed
 * schema (as Confluent's registry does for Avro): whitespace and key order do not make a new
 * version, a different default or doc does.
 *
 * <p>Thread-safe: reads share a read lock; changes are serialized by one mutex, so a compatibility
 * check, the id and version it picks and the append happen as one step.
 *
 * <p>Other registries may write the same store. When the store refuses an append because one did
 * ({@link SchemaStoreConflictException}), this state applies their records and decides again: the
 * schema may have an id by now, or the next free id may have moved. A read that finds nothing
 * (an unknown id, subject or version) first applies their records and looks again. Listings
 * ({@code GET /subjects}, {@code latest}) show their writes once this registry writes or misses.
 * Misses that come together share one read of the store, done on a thread of its own, and wait
 * for it only a short while; reads that find what they want never wait for the store.
 */
final class RegistryState {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);
  static final String AVRO = "AVRO";
  private static final String LATEST = "latest";
  // Registries writing at once take turns; each turn lets at least one of them write.
  private static final int MAX_WRITE_ATTEMPTS = 20;
  // Long enough for a healthy Kafka to answer on a loaded machine; short enough that misses during
  // an outage leave the workers to the reads that hit.
  static final Duration DEFAULT_MISS_WAIT = Duration.ofSeconds(2);

  /**
   * A version of a subject, as the REST API returns it.
   *
   * @param references the schemas it references; empty when none
   */
  record SubjectVersion(
      String subject, int version, int id, String schema, List<StoreRecord.Reference> references) {}

  /**
   * A schema as a request carries it.
   *
   * @param schema the schema's text
   * @param schemaType the optional {@code schemaType}
   * @param references the schemas it references; empty when none
   * @param id the id to register it under (IMPORT mode only), or null
   * @param version the version to register it as, or null
   */
  record SchemaRequest(
      String schema, String schemaType, List<StoreRecord.Reference> references, Integer id, Integer version) {
    /** A request with only a schema and its type. */
    SchemaRequest(final String schema, final String schemaType) {
      this(schema, schemaType, List.of(), null, null);
    }

    /** Checks the fields. */
    SchemaRequest {
      references = references == null ? List.of() : List.copyOf(references);
    }
  }

  /** A parsed request: the schema, its stored text and its references (versions resolved). */
  private record Candidate(Schema schema, String canonical, List<StoreRecord.Reference> references) {}

  /** A version in a subject: which id it holds, and whether it was soft-deleted. */
  private record Entry(int version, int id, boolean deleted) {}

  /**
   * Which versions (or subjects) a listing shows, as Confluent's {@code deleted} and {@code
   * deletedOnly} query parameters choose: a subject counts as deleted when all its versions are.
   */
  enum Filter {
    /** Only live ones (no parameter). */
    LIVE,
    /** Live and soft-deleted ones ({@code deleted=true}). */
    INCLUDE_DELETED,
    /** Only soft-deleted ones ({@code deletedOnly=true}, which wins over {@code deleted}). */
    DELETED_ONLY;

    /**
     * @param deleted the {@code deleted} parameter
     * @param deletedOnly the {@code deletedOnly} parameter
     * @return the filter they ask for
     */
    static Filter of(final boolean deleted, final boolean deletedOnly) {
      if (deletedOnly) {
        return DELETED_ONLY;
      }
      return deleted ? INCLUDE_DELETED : LIVE;
    }

    boolean shows(final boolean isDeleted) {
      return switch (this) {
        case LIVE -> !isDeleted;
        case INCLUDE_DELETED -> true;
        case DELETED_ONLY -> isDeleted;
      };
    }
  }

  private final SchemaStore store;
  private final CompatibilityLevel defaultLevel;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ReentrantLock writeMutex = new ReentrantLock();
  private final Map<Integer, AvroSchemas.Parsed> parsedById = new ConcurrentHashMap<>();
  private final Duration missWait;
  // Reads the store for misses, so that no worker waits on Kafka longer than missWait.
  private final ThreadPoolExecutor catchUpThread;
  private final Object catchUps = new Object();

  // Guarded by catchUps. Catch-ups for misses are numbered from 1 and run one at a time.
  private long catchUpsBegun;
  private long catchUpsDone;
  private CompletableFuture<Void> running;
  private CompletableFuture<Void> next;

  // Guarded by lock.
  private final Map<Integer, String> schemaById = new HashMap<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final Map<String, NavigableMap<Integer, Entry>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  // The references of each schema id that has any: part of the schema's identity.
  private final Map<Integer, List<StoreRecord.Reference>> referencesById = new HashMap<>();
  // Modes as the log sets them; no entry and null mean READWRITE.
  private final Map<String, RegistryMode> subjectModes = new HashMap<>();
  private RegistryMode globalMode;
  private int maxId;

  /**
   * @param store the log the state is kept in
   * @param defaultLevel the global level until one is set
   * @param missWait how long a read that found nothing waits for the store to be read again
   */
  RegistryState(
      final SchemaStore store, final CompatibilityLevel defaultLevel, final Duration missWait) {
    this.store = Objects.requireNonNull(store, "store");
    this.defaultLevel = Objects.requireNonNull(defaultLevel, "defaultLevel");
    this.missWait = Objects.requireNonNull(missWait, "missWait");
    if (missWait.isNegative() || missWait.isZero()) {
      throw new IllegalArgumentException("missWait must be positive, was " + missWait);
    }
    final ThreadPoolExecutor thread =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              final Thread made = new Thread(task, "registry-catch-up");
              made.setDaemon(true);
              return made;
            });
    thread.allowCoreThreadTimeOut(true);
    this.catchUpThread = thread;
  }

  /** Drops the state and rebuilds it from the store's whole log. */
  void load() {
    writeMutex.lock();
    try {
      final List<StoreRecord> records = store.replay();
      lock.writeLock().lock();
      try {
        schemaById.clear();
        idByCanonical.clear();
        subjects.clear();
        subjectLevels.clear();
        parsedById.clear();
        referencesById.clear();
        subjectModes.clear();
        globalLevel = null;
        globalMode = null;
        maxId = 0;
        for (final StoreRecord record : records) {
          apply(record);
        }
      } finally {
        lock.writeLock().unlock();
      }
    } finally {
      writeMutex.unlock();
    }
  }

  /**
   * {@code POST /subjects/{subject}/versions}, as {@link #register(String, SchemaRequest,
   * boolean)} without normalizing.
   *
   * @return the schema's id
   */
  int register(final String subject, final SchemaRequest request) {
    return register(subject, request, false);
  }

  /**
   * {@code POST /subjects/{subject}/versions[?normalize=true]}, with Confluent's rules for modes: a
   * read-only subject refuses (42205); a request naming an {@code id} needs IMPORT mode (42205),
   * and IMPORT mode needs one (42205). In IMPORT mode the schema is stored under the id (and
   * version) it names without a compatibility check; an id another schema holds is refused
   * (42205). Elsewhere a named version must be the next one (42201).
   *
   * @param normalize store the normalized form, and match existing versions by it
   * @return the schema's id
   */
  int register(final String subject, final SchemaRequest request, final boolean normalize) {
    writeMutex.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        final int id;
        final int version;
        final List<StoreRecord> records = new ArrayList<>();
        final Candidate candidate;
        lock.readLock().lock();
        try {
          final RegistryMode mode = modeFor(subject);
          final boolean importing = request.id() != null && request.id() >= 0;
          checkRegisterMode(subject, mode, importing);
          candidate = candidate(request, normalize);
          final String identity = identity(candidate.canonical(), candidate.references());
          final boolean versionGiven = request.version() != null && request.version() > 0;
          final List<Entry> live = liveVersions(subject);
          if (!versionGiven) {
            for (final Entry entry : live) {
              if ((!importing || entry.id() == request.id())
                  && identity.equals(identityOf(entry.id(), normalize))) {
                return entry.id();
              }
            }
          }
          if (!importing) {
            final CompatibilityLevel level = levelFor(subject);
            final List<String> problems =
                incompatibilities(level, candidate.schema(), live, level.isTransitive());
            if (!problems.isEmpty()) {
              throw RestError.incompatible(
                  "Schema being registered is incompatible with an earlier schema for subject \""
                      + subject
                      + "\", details: "
                      + problems);
            }
          }
          final NavigableMap<Integer, Entry> all = subjects.get(subject);
          final int next = all == null || all.isEmpty() ? 1 : all.lastKey() + 1;
          if (versionGiven && !importing && request.version() != next) {
            throw RestError.invalidSchema(
                "Invalid schema: version "
                    + request.version()
                    + " is not one more than the previous version ("
                    + (next - 1)
                    + ")");
          }
          version = versionGiven ? request.version() : next;
          if (importing) {
            id = request.id();
            if (schemaById.containsKey(id) && !identity.equals(identityOf(id, normalize))) {
              throw RestError.operationNotPermitted(
                  "Overwrite new schema with id " + id + " is not permitted.");
            }
          } else {
            id = idByCanonical.getOrDefault(identity, maxId + 1);
          }
          // As Confluent does: the schema comes back as a new version, and its soft-deleted
          // versions under this subject go for good, so the subject holds the id once.
          if (all != null) {
            for (final Entry entry : all.values()) {
              if (entry.deleted() && entry.id() == id) {
                records.add(new StoreRecord.VersionTombstone(subject, entry.version()));
              }
            }
          }
        } finally {
          lock.readLock().unlock();
        }
        records.add(
            new StoreRecord.SchemaVersion(
                subject, version, id, candidate.canonical(), false, candidate.references()));
        if (!appendOrCatchUp(records, attempt)) {
          continue;
        }
        LOG.info("Registered schema id {} as version {} of subject {}", id, version, subject);
        return id;
      }
    } finally {
      writeMutex.unlock();
    }
  }

  /** {@code POST /subjects/{subject}}. */
  SubjectVersion lookup(final String subject, final SchemaRequest request) {
    return lookup(subject, request, false);
  }

  /**
   * {@code POST /subjects/{subject}[?normalize=true]}: the live version holding the schema (with
   * the same references); with {@code normalize}, one whose normalized form is the schema's.
   */
  SubjectVersion lookup(
      final String subject, final SchemaRequest request, final boolean normalize) {
    return readCatchingUpOnMiss(() -> lookupHere(subject, request, normalize));
  }

  private SubjectVersion lookupHere(
      final String subject, final SchemaRequest request, final boolean normalize) {
    lock.readLock().lock();
    try {
      final Candidate candidate = candidate(request, normalize);
      final String identity = identity(candidate.canonical(), candidate.references());
      final List<Entry> live = liveVersions(subject);
      if (live.isEmpty()) {
        throw RestError.subjectNotFound(subject);
      }
      for (final Entry entry : live) {
        if (identity.equals(identityOf(entry.id(), normalize))) {
          return view(subject, entry);
        }
      }
      throw RestError.schemaNotFound();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code GET /schemas/ids/{id}}. */
  String schemaById(final int id) {
    return readCatchingUpOnMiss(() -> schemaByIdHere(id));
  }

  private String schemaByIdHere(final int id) {
    lock.readLock().lock();
    try {
      final String schema = schemaById.get(id);
      if (schema == null) {
        throw RestError.schemaNotFound(id);
      }
      return schema;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code GET /subjects}: subjects with at least one live version, sorted. */
  List<String> subjects() {
    return subjects(Filter.LIVE);
  }

  /**
   * {@code GET /subjects[?deleted=true|deletedOnly=true]}, sorted. A subject is deleted when all
   * its versions are.
   */
  List<String> subjects(final Filter filter) {
    lock.readLock().lock();
    try {
      final List<String> names = new ArrayList<>();
      for (final Map.Entry<String, NavigableMap<Integer, Entry>> subject : subjects.entrySet()) {
        final boolean deleted = subject.getValue().values().stream().allMatch(Entry::deleted);
        if (!subject.getValue().isEmpty() && filter.shows(deleted)) {
          names.add(subject.getKey());
        }
      }
      return names;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code GET /subjects/{subject}/versions}. */
  List<Integer> versions(final String subject) {
    return versions(subject, Filter.LIVE);
  }

  /**
   * {@code GET /subjects/{subject}/versions[?deleted=true|deletedOnly=true]}: 40401 unless the
   * subject has a live version, or any version when deleted ones are asked for.
   */
  List<Integer> versions(final String subject, final Filter filter) {
    return readCatchingUpOnMiss(() -> versionsHere(subject, filter));
  }

  private List<Integer> versionsHere(final String subject, final Filter filter) {
    lock.readLock().lock();
    try {
      if (!hasVersions(subject, filter != Filter.LIVE)) {
        throw RestError.subjectNotFound(subject);
      }
      return subjects.get(subject).values().stream()
          .filter(entry -> filter.shows(entry.deleted()))
          .map(Entry::version)
          .toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code GET /subjects/{subject}/versions/{version}}. */
  SubjectVersion version(final String subject, final String versionText) {
    return version(subject, versionText, false);
  }

  /**
   * {@code GET /subjects/{subject}/versions/{version}[?deleted=true]}: with {@code deleted}, a
   * numbered version that was soft-deleted is found too ({@code latest} is always the newest live
   * one, as in Confluent).
   */
  SubjectVersion version(
      final String subject, final String versionText, final boolean lookupDeleted) {
    return readCatchingUpOnMiss(() -> versionHere(subject, versionText, lookupDeleted));
  }

  private SubjectVersion versionHere(
      final String subject, final String versionText, final boolean lookupDeleted) {
    final int wanted = parseVersion(versionText);
    lock.readLock().lock();
    try {
      final Entry entry = entryOf(subject, wanted, lookupDeleted);
      if (entry == null) {
        throw missingVersion(subject, wanted, lookupDeleted);
      }
      return view(subject, entry);
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---- The read API over schemas and ids: /schemas, /schemas/ids/{id}/..., referencedby ----

  /**
   * {@code GET /subjects?subjectPrefix=[&deleted=true|deletedOnly=true]}: the subjects {@link
   * #subjects(Filter)} lists that start with the prefix.
   *
   * @param prefix the prefix; empty or null for every subject
   * @param filter which subjects to list, live or deleted
   */
  List<String> subjects(final String prefix, final Filter filter) {
    final List<String> all = subjects(filter);
    if (prefix == null || prefix.isEmpty()) {
      return all;
    }
    return all.stream().filter(name -> name.startsWith(prefix)).toList();
  }

  /**
   * {@code GET /schemas}: the versions of every subject that starts with the prefix, by subject
   * and then version.
   *
   * @param prefix a subject prefix; empty or null for every subject
   * @param includeDeleted include soft-deleted versions
   * @param latestOnly only the latest of each subject's versions
   */
  List<SubjectVersion> schemas(
      final String prefix, final boolean includeDeleted, final boolean latestOnly) {
    lock.readLock().lock();
    try {
      final List<SubjectVersion> found = new ArrayList<>();
      for (final Map.Entry<String, NavigableMap<Integer, Entry>> subject : subjects.entrySet()) {
        if (prefix != null && !subject.getKey().startsWith(prefix)) {
          continue;
        }
        final List<Entry> shown =
            subject.getValue().values().stream()
                .filter(entry -> includeDeleted || !entry.deleted())
                .toList();
        final List<Entry> listed =
            latestOnly && !shown.isEmpty() ? List.of(shown.get(shown.size() - 1)) : shown;
        for (final Entry entry : listed) {
          found.add(view(subject.getKey(), entry));
        }
      }
      return found;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@code GET /schemas/ids/{id}}: the references a schema id carries (its text is {@link
   * #schemaById(int)}).
   *
   * @return the references; empty when it has none
   * @throws RestError 40403 if no schema has the id
   */
  List<StoreRecord.Reference> referencesOf(final int id) {
    return readCatchingUpOnMiss(
        () -> {
          lock.readLock().lock();
          try {
            if (!schemaById.containsKey(id)) {
              throw RestError.schemaNotFound(id);
            }
            return referencesById.getOrDefault(id, List.of());
          } finally {
            lock.readLock().unlock();
          }
        });
  }

  /**
   * {@code GET /schemas/ids/{id}/subjects}: the subjects with a version holding the id, sorted.
   *
   * @param includeDeleted count soft-deleted versions too
   * @throws RestError 40403 if no schema has the id
   */
  List<String> subjectsForId(final int id, final boolean includeDeleted) {
    return versionsForId(id, includeDeleted).stream()
        .map(SubjectVersion::subject)
        .distinct()
        .toList();
  }

  /**
   * {@code GET /schemas/ids/{id}/versions}: the versions holding the id, by subject and version.
   *
   * @param includeDeleted include soft-deleted versions
   * @throws RestError 40403 if no schema has the id
   */
  List<SubjectVersion> versionsForId(final int id, final boolean includeDeleted) {
    return readCatchingUpOnMiss(
        () -> {
          lock.readLock().lock();
          try {
            if (!schemaById.containsKey(id)) {
              throw RestError.schemaNotFound(id);
            }
            final List<SubjectVersion> found = new ArrayList<>();
            for (final Map.Entry<String, NavigableMap<Integer, Entry>> subject :
                subjects.entrySet()) {
              for (final Entry entry : subject.getValue().values()) {
                if (entry.id() == id && (includeDeleted || !entry.deleted())) {
                  found.add(view(subject.getKey(), entry));
                }
              }
            }
            return found;
          } finally {
            lock.readLock().unlock();
          }
        });
  }

  /**
   * {@code GET /subjects/{subject}/versions/{version}/referencedby}: the ids of the live schemas
   * that reference the version. The version may be soft-deleted, as in Confluent's registry.
   *
   * @throws RestError 40401 if the subject has no versions, 40402 if it lacks this one, 42202 if
   *     the version is not valid
   */
  List<Integer> referencedBy(final String subject, final String versionText) {
    final int wanted = parseVersion(versionText);
    return readCatchingUpOnMiss(
        () -> {
          lock.readLock().lock();
          try {
            final NavigableMap<Integer, Entry> all = subjects.get(subject);
            if (all == null || all.isEmpty()) {
              throw RestError.subjectNotFound(subject);
            }
            final Entry entry = find(new ArrayList<>(all.values()), wanted);
            if (entry == null) {
              throw RestError.versionNotFound(wanted);
            }
            return referencedByHere(subject, entry.version(), false);
          } finally {
            lock.readLock().unlock();
          }
        });
  }

  /**
   * The ids of the live schemas that reference a version: a soft delete of the version must be
   * refused with 42206 when there are any (see {@link #checkNotReferenced}).
   *
   * @param subject the referenced subject
   * @param version the referenced version
   * @return the ids, ascending; empty when nothing references it
   */
  List<Integer> referencedBy(final String subject, final int version) {
    return referencedBy(subject, version, false);
  }

  /**
   * @param subject the referenced subject
   * @param version the referenced version
   * @param includeDeleted count soft-deleted referring versions too (a permanent delete must)
   * @return the ids of the schemas that reference the version, ascending
   */
  List<Integer> referencedBy(final String subject, final int version, final boolean includeDeleted) {
    lock.readLock().lock();
    try {
      return referencedByHere(subject, version, includeDeleted);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * For the delete routes: refuses to delete a version other schemas reference, as Confluent does
   * (a soft delete counts live referrers, a permanent delete soft-deleted ones too).
   *
   * @throws RestError 42206 if the version is referenced
   */
  void checkNotReferenced(final String subject, final int version, final boolean permanent) {
    lock.readLock().lock();
    try {
      requireNotReferencedHere(subject, version, permanent, null);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@link #checkNotReferenced}, for a caller that holds the lock.
   *
   * @param ignoredSubject a subject whose own versions do not count as referrers (a whole-subject
   *     delete takes them along, as Confluent's does), or null
   */
  private void requireNotReferencedHere(
      final String subject,
      final int version,
      final boolean permanent,
      final String ignoredSubject) {
    if (!referencedByHere(subject, version, permanent, ignoredSubject).isEmpty()) {
      throw RestError.referenceExists(subject, version);
    }
  }

  /** Caller holds the lock. */
  private List<Integer> referencedByHere(
      final String subject, final int version, final boolean includeDeleted) {
    return referencedByHere(subject, version, includeDeleted, null);
  }

  /**
   * The ids of the schemas that reference a version, leaving out versions of {@code
   * ignoredSubject} (null: none left out). Caller holds the lock.
   */
  private List<Integer> referencedByHere(
      final String subject,
      final int version,
      final boolean includeDeleted,
      final String ignoredSubject) {
    final Set<Integer> ids = new TreeSet<>();
    for (final Map.Entry<String, NavigableMap<Integer, Entry>> versions : subjects.entrySet()) {
      if (versions.getKey().equals(ignoredSubject)) {
        continue;
      }
      for (final Entry entry : versions.getValue().values()) {
        if (!includeDeleted && entry.deleted()) {
          continue;
        }
        for (final StoreRecord.Reference reference : referencesById.getOrDefault(entry.id(), List.of())) {
          if (reference.subject().equals(subject) && reference.version() == version) {
            ids.add(entry.id());
          }
        }
      }
    }
    return List.copyOf(ids);
  }

  /**
   * {@code DELETE /subjects/{subject}[?permanent=true]}, with Confluent's rules: 40401 if the
   * subject never had a version (or all went for good); a soft delete of a subject whose versions
   * are all soft-deleted is 40404; a permanent delete while a version is live is 40405; 42205 in a
   * read-only mode; 42206 if a schema of another subject references a version it would delete
   * (live referrers for a soft delete, soft-deleted ones too for a permanent delete; the subject's
   * own versions may reference each other, as they go together). A soft delete writes one {@code DELETE_SUBJECT} record; a permanent delete a
   * tombstone per version, newest first, then clears the subject's compatibility level and mode.
   *
   * @return the versions deleted, oldest first
   */
  List<Integer> deleteSubject(final String subject, final boolean permanent) {
    writeMutex.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        final List<Integer> deleted = new ArrayList<>();
        final List<StoreRecord> records = new ArrayList<>();
        lock.readLock().lock();
        try {
          requireWritableHere(subject);
          if (!hasVersions(subject, true)) {
            throw RestError.subjectNotFound(subject);
          }
          if (!permanent && !hasVersions(subject, false)) {
            throw RestError.subjectSoftDeleted(subject);
          }
          for (final Entry entry : subjects.get(subject).values()) {
            if (permanent || !entry.deleted()) {
              requireNotReferencedHere(subject, entry.version(), permanent, subject);
            }
            if (permanent && !entry.deleted()) {
              throw RestError.subjectNotSoftDeleted(subject);
            }
            if (permanent || !entry.deleted()) {
              deleted.add(entry.version());
            }
          }
          if (permanent) {
            for (int i = deleted.size() - 1; i >= 0; i--) {
              records.add(new StoreRecord.VersionTombstone(subject, deleted.get(i)));
            }
            records.addAll(clearSubjectSettings(subject));
          } else {
            records.add(new StoreRecord.DeleteSubject(subject, deleted.get(deleted.size() - 1)));
          }
        } catch (final RestError e) {
          if (e.status() == 404 && attempt == 1 && catchUpBeforeAnswering()) {
            continue;
          }
          throw e;
        } finally {
          lock.readLock().unlock();
        }
        if (appendOrCatchUp(records, attempt)) {
          LOG.info(
              "{} deleted versions {} of subject {}",
              permanent ? "Permanently" : "Soft-",
              deleted,
              subject);
          return deleted;
        }
      }
    } finally {
      writeMutex.unlock();
    }
  }

  /**
   * {@code DELETE /subjects/{subject}/versions/{version}[?permanent=true]}, with Confluent's rules:
   * 42202 for an invalid version; 40401 if the subject has no version at all, 40402 if it lacks
   * this one; a soft delete of a soft-deleted version is 40406; a permanent delete of a live one is
   * 40407; 42205 in a read-only mode; 42206 if another schema references the version (a live one
   * for a soft delete, a soft-deleted one too for a permanent delete). {@code latest} is the newest
   * live version. A soft delete
   * writes the version again with {@code "deleted":true}; a permanent delete a tombstone, and once
   * the subject has no version left, clears its compatibility level and mode.
   *
   * @return the version deleted
   */
  int deleteVersion(final String subject, final String versionText, final boolean permanent) {
    final int wanted = parseVersion(versionText);
    writeMutex.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        final Entry entry;
        final List<StoreRecord> records = new ArrayList<>();
        lock.readLock().lock();
        try {
          requireWritableHere(subject);
          entry = entryOf(subject, wanted, true);
          if (entry == null) {
            throw missingVersion(subject, wanted, true);
          }
          if (!permanent && entry.deleted()) {
            throw RestError.versionSoftDeleted(subject, entry.version());
          }
          requireNotReferencedHere(subject, entry.version(), permanent, null);
          if (permanent && !entry.deleted()) {
            throw RestError.versionNotSoftDeleted(subject, entry.version());
          }
          if (permanent) {
            records.add(new StoreRecord.VersionTombstone(subject, entry.version()));
            if (subjects.get(subject).size() == 1) {
              records.addAll(clearSubjectSettings(subject));
            }
          } else {
            // The whole value again, references too: after compaction it is the only record.
            records.add(
                new StoreRecord.SchemaVersion(
                    subject,
                    entry.version(),
                    entry.id(),
                    schemaById.get(entry.id()),
                    true,
                    referencesById.getOrDefault(entry.id(), List.of())));
          }
        } catch (final RestError e) {
          if (e.status() == 404 && attempt == 1 && catchUpBeforeAnswering()) {
            continue;
          }
          throw e;
        } finally {
          lock.readLock().unlock();
        }
        if (appendOrCatchUp(records, attempt)) {
          LOG.info(
              "{} deleted version {} (id {}) of subject {}",
              permanent ? "Permanently" : "Soft-",
              entry.version(),
              entry.id(),
              subject);
          return entry.version();
        }
      }
    } finally {
      writeMutex.unlock();
    }
  }

  /** The records that clear a subject's own level and mode, where it has them. Caller locks. */
  private List<StoreRecord> clearSubjectSettings(final String subject) {
    final List<StoreRecord> records = new ArrayList<>();
    if (subjectLevels.containsKey(subject)) {
      records.add(new StoreRecord.Config(subject, null));
    }
    if (subjectModes.containsKey(subject)) {
      records.add(new StoreRecord.Mode(subject, null));
    }
    return records;
  }

  /**
   * Before a write answers "not found", applies what other registries wrote meanwhile. Caller
   * holds the write mutex and the read lock, which this releases while it reads and takes again.
   *
   * @return true if there was anything, so the caller decides again
   */
  private boolean catchUpBeforeAnswering() {
    lock.readLock().unlock();
    try {
      final List<StoreRecord> records = store.catchUp();
      applyAll(records);
      return !records.isEmpty();
    } finally {
      lock.readLock().lock();
    }
  }

  /** Whether the subject has a live version, or any version at all. Caller holds a lock. */
  private boolean hasVersions(final String subject, final boolean includeDeleted) {
    final NavigableMap<Integer, Entry> all = subjects.get(subject);
    if (all == null) {
      return false;
    }
    return includeDeleted ? !all.isEmpty() : all.values().stream().anyMatch(e -> !e.deleted());
  }

  /**
   * A version of a subject; {@code -1} is the newest live one.
   *
   * @param includeDeleted whether a numbered version may be a soft-deleted one
   * @return the entry, or null
   */
  private Entry entryOf(final String subject, final int wanted, final boolean includeDeleted) {
    if (wanted == -1) {
      return find(liveVersions(subject), wanted);
    }
    final NavigableMap<Integer, Entry> all = subjects.get(subject);
    final Entry entry = all == null ? null : all.get(wanted);
    return entry == null || (entry.deleted() && !includeDeleted) ? null : entry;
  }

  /** 40401 if the subject has no version that counts, else 40402, as Confluent tells them apart. */
  private RestError missingVersion(
      final String subject, final int wanted, final boolean includeDeleted) {
    return hasVersions(subject, includeDeleted)
        ? RestError.versionNotFound(wanted)
        : RestError.subjectNotFound(subject);
  }

  /**
   * {@code POST /compatibility/subjects/{subject}/versions/{version}}, as Confluent answers it: an
   * invalid version is 42202; a numbered version the subject lacks (or an unknown subject) is
   * 40402; {@code latest} of a subject with no versions is compatible; an unparseable schema is
   * 42201, or one message when verbose.
   *
   * @return the reasons the schema is incompatible; empty when it is compatible
   */
  List<String> testCompatibility(
      final String subject,
      final String versionText,
      final SchemaRequest request,
      final boolean verbose) {
    return readCatchingUpOnMiss(
        () -> testCompatibilityHere(subject, versionText, request, verbose));
  }

  private List<String> testCompatibilityHere(
      final String subject,
      final String versionText,
      final SchemaRequest request,
      final boolean verbose) {
    final int wanted = parseVersion(versionText);
    lock.readLock().lock();
    try {
      final Entry against = find(liveVersions(subject), wanted);
      if (against == null && wanted != -1) {
        throw RestError.versionNotFound(wanted);
      }
      final Candidate candidate;
      try {
        candidate = candidate(request, false);
      } catch (final RestError e) {
        if (verbose && e.errorCode() == RestError.INVALID_SCHEMA) {
          return List.of(e.getMessage());
        }
        throw e;
      }
      if (against == null) {
        return List.of();
      }
      return incompatibilities(levelFor(subject), candidate.schema(), List.of(against), true);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@code POST /compatibility/subjects/{subject}/versions}: the schema against the subject's live
   * versions as registering it would check it, every version for a transitive level, the latest
   * for the others. A subject with no versions (or none at all) is compatible; an unparseable
   * schema is 42201, or one message when verbose.
   *
   * @return the reasons the schema is incompatible; empty when it is compatible
   */
  List<String> testCompatibilityWithAll(
      final String subject,
      final SchemaRequest request,
      final boolean verbose,
      final boolean normalize) {
    lock.readLock().lock();
    try {
      final Candidate candidate;
      try {
        candidate = candidate(request, normalize);
      } catch (final RestError e) {
        if (verbose && e.errorCode() == RestError.INVALID_SCHEMA) {
          return List.of(e.getMessage());
        }
        throw e;
      }
      final CompatibilityLevel level = levelFor(subject);
      return incompatibilities(
          level, candidate.schema(), liveVersions(subject), level.isTransitive());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code GET /config}. */
  CompatibilityLevel globalLevel() {
    lock.readLock().lock();
    try {
      return globalLevelHere();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Caller holds the lock. */
  private CompatibilityLevel globalLevelHere() {
    return globalLevel == null ? defaultLevel : globalLevel;
  }

  /**
   * {@code GET /config/{subject}}.
   *
   * @param defaultToGlobal answer the global level when the subject has none of its own
   */
  CompatibilityLevel subjectLevel(final String subject, final boolean defaultToGlobal) {
    return readCatchingUpOnMiss(() -> subjectLevelHere(subject, defaultToGlobal));
  }

  private CompatibilityLevel subjectLevelHere(final String subject, final boolean defaultToGlobal) {
    lock.readLock().lock();
    try {
      final CompatibilityLevel own = subjectLevels.get(subject);
      if (own != null) {
        return own;
      }
      if (defaultToGlobal) {
        return globalLevel == null ? defaultLevel : globalLevel;
      }
      throw RestError.subjectCompatibilityNotConfigured(subject);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@code PUT /config} (subject {@code null}) or {@code PUT /config/{subject}}.
   *
   * @param subject the subject, or null for the global level
   * @param level the new level
   */
  void setLevel(final String subject, final CompatibilityLevel level) {
    Objects.requireNonNull(level, "level");
    writeMutex.lock();
    try {
      checkWritable(subject);
      final StoreRecord.Config record = new StoreRecord.Config(subject, level);
      int attempt = 1;
      while (!appendOrCatchUp(record, attempt)) {
        attempt++;
      }
      LOG.info(
          "Set the compatibility level of {} to {}",
          subject == null ? "the registry" : "subject " + subject,
          level);
    } finally {
      writeMutex.unlock();
    }
  }

  /**
   * {@code DELETE /config} (subject {@code null}: the global level goes back to the registry's
   * default) or {@code DELETE /config/{subject}} (the subject follows the global level again).
   *
   * @param subject the subject, or null for the global level
   * @return the level that was in force: for a subject its own, globally the global one
   * @throws RestError 40401 if the subject has no level of its own; 42205 if it is read-only
   */
  CompatibilityLevel deleteLevel(final String subject) {
    writeMutex.lock();
    try {
      checkWritable(subject);
      final CompatibilityLevel was;
      lock.readLock().lock();
      try {
        was = subject == null ? globalLevelHere() : subjectLevels.get(subject);
      } finally {
        lock.readLock().unlock();
      }
      if (was == null) {
        throw RestError.subjectNotFound(subject);
      }
      final StoreRecord.Config record = new StoreRecord.Config(subject, null);
      int attempt = 1;
      while (!appendOrCatchUp(record, attempt)) {
        attempt++;
      }
      LOG.info(
          "Removed the compatibility level of {} (was {})",
          subject == null ? "the registry" : "subject " + subject,
          was);
      return was;
    } finally {
      writeMutex.unlock();
    }
  }

  // ---- Modes: /mode and /mode/{subject} ----

  /**
   * {@code GET /mode}.
   *
   * @return the global mode; READWRITE unless one was set
   */
  RegistryMode globalMode() {
    lock.readLock().lock();
    try {
      return globalMode == null ? RegistryMode.READWRITE : globalMode;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@code GET /mode/{subject}[?defaultToGlobal=true]}.
   *
   * @param defaultToGlobal answer the global mode when the subject has none of its own
   * @throws RestError 40409 if the subject has no mode of its own and {@code defaultToGlobal} is
   *     false
   */
  RegistryMode subjectMode(final String subject, final boolean defaultToGlobal) {
    lock.readLock().lock();
    try {
      final RegistryMode own = subjectModes.get(subject);
      if (own != null) {
        return own;
      }
      if (defaultToGlobal) {
        return globalMode == null ? RegistryMode.READWRITE : globalMode;
      }
      throw RestError.subjectModeNotConfigured(subject);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * {@code PUT /mode} (subject {@code null}) or {@code PUT /mode/{subject}}, with Confluent's rule
   * for IMPORT: entering it (from another mode, without {@code force}) needs the subject, or for
   * the global mode the whole registry, to have no live versions; their soft-deleted versions are
   * then deleted for good, so imported versions cannot collide with them. Written as Confluent
   * writes it, here in one transaction: a tombstone per soft-deleted version, a {@code
   * CLEAR_SUBJECT} record, then the {@code MODE} record.
   *
   * @param subject the subject, or null for the global mode
   * @param mode the new mode
   * @param force enter IMPORT even if versions exist
   * @throws RestError 42205 if IMPORT is refused; 42206 if a soft-deleted version to remove is
   *     referenced
   */
  void setMode(final String subject, final RegistryMode mode, final boolean force) {
    Objects.requireNonNull(mode, "mode");
    writeMutex.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        final List<StoreRecord> records = new ArrayList<>();
        lock.readLock().lock();
        try {
          if (mode == RegistryMode.IMPORT && modeFor(subject) != RegistryMode.IMPORT && !force) {
            records.addAll(importRemnantsHere(subject));
            // As Confluent's registry writes it after the tombstones: readers forget the
            // subject's (or with no subject, every subject's) soft-deleted versions at once.
            records.add(new StoreRecord.ClearSubject(subject));
          }
        } finally {
          lock.readLock().unlock();
        }
        records.add(new StoreRecord.Mode(subject, mode.name()));
        if (appendOrCatchUp(records, attempt)) {
          break;
        }
      }
      LOG.info(
          "Set the mode of {} to {}", subject == null ? "the registry" : "subject " + subject, mode);
    } finally {
      writeMutex.unlock();
    }
  }

  /**
   * Entering IMPORT: the tombstones for the soft-deleted versions of the subject (or of every
   * subject) that must go first, as Confluent's {@code setMode} removes them. Caller holds the
   * lock.
   *
   * @throws RestError 42205 if a version is live; 42206 if one is referenced
   */
  private List<StoreRecord> importRemnantsHere(final String subject) {
    final List<StoreRecord> tombstones = new ArrayList<>();
    for (final Map.Entry<String, NavigableMap<Integer, Entry>> versions : subjects.entrySet()) {
      if (subject != null && !subject.equals(versions.getKey())) {
        continue;
      }
      for (final Entry entry : versions.getValue().values()) {
        if (!entry.deleted()) {
          throw RestError.operationNotPermitted("Cannot import since found existing subjects");
        }
        if (!referencedByHere(versions.getKey(), entry.version(), true).isEmpty()) {
          throw RestError.referenceExists(versions.getKey(), entry.version());
        }
        tombstones.add(new StoreRecord.VersionTombstone(versions.getKey(), entry.version()));
      }
    }
    return tombstones;
  }

  /**
   * {@code DELETE /mode} (the global mode goes back to READWRITE) or {@code DELETE
   * /mode/{subject}} (the subject follows the global mode again).
   *
   * @param subject the subject, or null for the global mode
   * @return the mode that was in force: for a subject its own, globally the global one
   * @throws RestError 40401 if the subject has no mode of its own
   */
  RegistryMode deleteMode(final String subject) {
    writeMutex.lock();
    try {
      final RegistryMode was;
      lock.readLock().lock();
      try {
        was =
            subject == null
                ? (globalMode == null ? RegistryMode.READWRITE : globalMode)
                : subjectModes.get(subject);
      } finally {
        lock.readLock().unlock();
      }
      if (was == null) {
        throw RestError.subjectNotFound(subject);
      }
      keepMode(subject, null);
      LOG.info(
          "Removed the mode of {} (was {})",
          subject == null ? "the registry" : "subject " + subject,
          was);
      return was;
    } finally {
      writeMutex.unlock();
    }
  }

  /**
   * For every route that changes a subject (register, delete, config): refuses when the subject's
   * mode (its own, else the global one) is read-only.
   *
   * @param subject the subject, or null for a registry-wide change
   * @throws RestError 42205 if the mode in force is READONLY or READONLY_OVERRIDE
   */
  void checkWritable(final String subject) {
    lock.readLock().lock();
    try {
      requireWritableHere(subject);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@link #checkWritable} for a caller that holds the lock. */
  private void requireWritableHere(final String subject) {
    if (modeFor(subject).readOnly()) {
      throw RestError.operationNotPermitted(readOnlyMessage(subject));
    }
  }

  /**
   * Applies a mode record: what a replay of the store does, and what {@link #setMode} and {@link
   * #deleteMode} do once the store took their record. Caller holds the write lock.
   *
   * @param subject the subject, or null for the global mode
   * @param mode the mode, or null when the setting was removed
   */
  private void applyMode(final String subject, final RegistryMode mode) {
    if (subject == null) {
      globalMode = mode;
    } else if (mode == null) {
      subjectModes.remove(subject);
    } else {
      subjectModes.put(subject, mode);
    }
  }

  /**
   * Keeps a mode change as a {@code MODE} record in the store, as {@link #setLevel} keeps a level,
   * so it survives a restart and other registries on the store follow it. Caller holds the write
   * mutex.
   *
   * @param mode the mode, or null to remove the setting
   */
  private void keepMode(final String subject, final RegistryMode mode) {
    final StoreRecord.Mode record = new StoreRecord.Mode(subject, mode == null ? null : mode.name());
    int attempt = 1;
    while (!appendOrCatchUp(record, attempt)) {
      attempt++;
    }
  }

  /** The mode in force for a subject (null: the global one). Caller holds the lock. */
  private RegistryMode modeFor(final String subject) {
    final RegistryMode own = subject == null ? null : subjectModes.get(subject);
    if (own != null) {
      return own;
    }
    return globalMode == null ? RegistryMode.READWRITE : globalMode;
  }

  private static String readOnlyMessage(final String subject) {
    return subject == null
        ? "The registry is in read-only mode"
        : "Subject " + subject + " is in read-only mode";
  }

  /** Confluent's {@code checkRegisterMode}. Caller holds the lock. */
  private static void checkRegisterMode(
      final String subject, final RegistryMode mode, final boolean importing) {
    if (mode.readOnly()) {
      throw RestError.operationNotPermitted(readOnlyMessage(subject));
    }
    if (importing && !mode.importsIds()) {
      throw RestError.operationNotPermitted("Subject " + subject + " is not in import mode");
    }
    if (!importing && mode != RegistryMode.READWRITE) {
      throw RestError.operationNotPermitted("Subject " + subject + " is not in read-write mode");
    }
  }

  /**
   * @return how many subjects have a live version
   */
  int subjectCount() {
    return subjects().size();
  }

  /**
   * @return how many distinct schema ids the registry holds
   */
  int schemaCount() {
    lock.readLock().lock();
    try {
      return schemaById.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @throws RestError 42201 if the type is not AVRO or the text is empty
   */
  private static void checkAvroText(final SchemaRequest request) {
    final String type = request.schemaType();
    if (type != null && !AVRO.equals(type.toUpperCase(Locale.ROOT))) {
      throw RestError.invalidSchema(
          "Invalid schema type " + type + ": this registry supports only AVRO schemas");
    }
    if (request.schema() == null || request.schema().isBlank()) {
      throw RestError.invalidSchema("Invalid schema of type AVRO, details: the schema is empty");
    }
  }

  /**
   * Parses a version as Confluent's {@code VersionId} does.
   *
   * @return the version, or -1 for {@code latest}
   * @throws RestError 42202 for anything but {@code latest} or an int from 1
   */
  static int parseVersion(final String text) {
    final String trimmed = text.trim();
    if (LATEST.equals(trimmed.toLowerCase(Locale.ROOT))) {
      return -1;
    }
    final int version;
    try {
      version = Integer.parseInt(trimmed);
    } catch (final NumberFormatException e) {
      throw RestError.invalidVersion(text);
    }
    if (version < 1 && version != -1) {
      throw RestError.invalidVersion(text);
    }
    return version;
  }

  /**
   * Checks the candidate against each of {@code existing}, newest first, and stops at the first
   * version it breaks, describing it as Confluent's registry does: the checker's findings, then
   * {@code {oldSchemaVersion: N}}, {@code {oldSchema: '...'}} and {@code {compatibility: 'L'}}.
   *
   * @param all true to check against every one of {@code existing}, else only the newest
   */
  private List<String> incompatibilities(
      final CompatibilityLevel level,
      final Schema candidate,
      final List<Entry> existing,
      final boolean all) {
    if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
      return List.of();
    }
    final int oldest = all ? 0 : existing.size() - 1;
    for (int i = existing.size() - 1; i >= oldest; i--) {
      final Entry entry = existing.get(i);
      final List<String> found =
          CompatibilityChecker.check(level, candidate, List.of(parsedSchema(entry.id())));
      if (!found.isEmpty()) {
        final List<String> messages = new ArrayList<>(found);
        messages.add("{oldSchemaVersion: " + entry.version() + "}");
        messages.add("{oldSchema: '" + schemaById.get(entry.id()) + "'}");
        messages.add("{compatibility: '" + level.name() + "'}");
        return messages;
      }
    }
    return List.of();
  }

  /** A stored schema, parsed with the schemas it references. Caller holds the lock. */
  private Schema parsedSchema(final int id) {
    return parsedStored(id).schema();
  }

  private AvroSchemas.Parsed parsedStored(final int id) {
    return parsedById.computeIfAbsent(
        id,
        key ->
            parseWith(
                schemaById.get(key),
                referencedTexts(referencesById.getOrDefault(key, List.of()))));
  }

  /** The canonical text of a stored schema; its raw text if a foreign log holds invalid Avro. */
  private String canonicalOf(final int id) {
    try {
      return parsedStored(id).canonical();
    } catch (final RestError e) {
      return schemaById.get(id);
    }
  }

  /**
   * What makes a schema the same schema, and so the same id: its text and its references.
   */
  private static String identity(final String canonical, final List<StoreRecord.Reference> references) {
    return references.isEmpty() ? canonical : canonical + '\u0000' + references;
  }

  /**
   * The identity of a stored schema; with {@code normalize}, of its normalized form (a stored
   * schema that does not parse keeps its text).
   */
  private String identityOf(final int id, final boolean normalize) {
    final List<StoreRecord.Reference> references = referencesById.getOrDefault(id, List.of());
    if (!normalize) {
      return identity(canonicalOf(id), references);
    }
    try {
      return identity(
          AvroSchemas.normalize(parsedSchema(id), referencedTexts(references)),
          sortedReferences(references));
    } catch (final RestError e) {
      return identity(schemaById.get(id), references);
    }
  }

  /**
   * Parses a request's schema with its references, which must name versions this registry holds
   * ({@code -1} means the subject's latest). With {@code normalize}, the stored text is the
   * normalized form and the references are sorted. Caller holds the lock.
   *
   * @throws RestError 42201 if the schema, its type or a reference is not valid
   */
  private Candidate candidate(final SchemaRequest request, final boolean normalize) {
    checkAvroText(request);
    final List<StoreRecord.Reference> references = new ArrayList<>();
    for (final StoreRecord.Reference reference : request.references()) {
      references.add(resolveVersion(reference));
    }
    final List<String> texts = referencedTexts(references);
    final AvroSchemas.Parsed parsed = parseWith(request.schema(), texts);
    if (!normalize) {
      return new Candidate(parsed.schema(), parsed.canonical(), List.copyOf(references));
    }
    return new Candidate(
        parsed.schema(),
        AvroSchemas.normalize(parsed.schema(), texts),
        sortedReferences(references));
  }

  private static List<StoreRecord.Reference> sortedReferences(final List<StoreRecord.Reference> references) {
    return references.stream()
        .distinct()
        .sorted(
            java.util.Comparator.comparing(StoreRecord.Reference::name)
                .thenComparing(StoreRecord.Reference::subject)
                .thenComparingInt(StoreRecord.Reference::version))
        .toList();
  }

  /** Checks a reference and turns version -1 into the subject's latest. Caller holds the lock. */
  private StoreRecord.Reference resolveVersion(final StoreRecord.Reference reference) {
    if (reference.name() == null
        || reference.name().isBlank()
        || reference.subject() == null
        || reference.subject().isBlank()) {
      throw RestError.invalidSchema(
          "Invalid schema: a reference needs a name, a subject and a version, was " + reference);
    }
    if (reference.version() != -1) {
      if (reference.version() < 1) {
        throw RestError.invalidSchema(
            "Invalid schema: reference " + reference.name() + " has invalid version "
                + reference.version());
      }
      return reference;
    }
    final List<Entry> live = liveVersions(reference.subject());
    if (live.isEmpty()) {
      throw RestError.invalidSchema(
          "Invalid schema: reference "
              + reference.name()
              + " names subject "
              + reference.subject()
              + ", which has no versions");
    }
    return new StoreRecord.Reference(
        reference.name(), reference.subject(), live.get(live.size() - 1).version());
  }

  /**
   * The texts of the referenced schemas and, before each, of those it references in turn.
   * Soft-deleted versions resolve, as in Confluent's registry. Caller holds the lock.
   *
   * @throws RestError 42201 if a reference names a version the registry lacks
   */
  private List<String> referencedTexts(final List<StoreRecord.Reference> references) {
    if (references.isEmpty()) {
      return List.of();
    }
    final Map<String, String> texts = new java.util.LinkedHashMap<>();
    collectTexts(references, texts, new java.util.HashSet<>());
    return List.copyOf(texts.values());
  }

  private void collectTexts(
      final List<StoreRecord.Reference> references, final Map<String, String> texts, final Set<String> seen) {
    for (final StoreRecord.Reference reference : references) {
      final String key = reference.subject() + '\u0000' + reference.version();
      // A version already resolved, or one being resolved (a cycle a foreign log could hold).
      if (!seen.add(key)) {
        continue;
      }
      final NavigableMap<Integer, Entry> versions = subjects.get(reference.subject());
      final Entry entry = versions == null ? null : versions.get(reference.version());
      if (entry == null) {
        throw RestError.invalidSchema(
            "Invalid schema: reference "
                + reference.name()
                + " names version "
                + reference.version()
                + " of subject "
                + reference.subject()
                + ", which this registry does not hold");
      }
      collectTexts(referencesById.getOrDefault(entry.id(), List.of()), texts, seen);
      texts.put(key, schemaById.get(entry.id()));
    }
  }

  /**
   * Parses Avro text after the schemas it references.
   *
   * @throws RestError 42201 if it is not valid Avro
   */
  private static AvroSchemas.Parsed parseWith(final String text, final List<String> referenced) {
    try {
      return AvroSchemas.parse(text, referenced);
    } catch (final AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
      throw RestError.invalidSchema("Invalid schema of type AVRO, details: " + e.getMessage());
    }
  }

  private List<Entry> liveVersions(final String subject) {
    final NavigableMap<Integer, Entry> all = subjects.get(subject);
    if (all == null) {
      return List.of();
    }
    return all.values().stream().filter(entry -> !entry.deleted()).toList();
  }

  private static Entry find(final List<Entry> live, final int wanted) {
    if (live.isEmpty()) {
      return null;
    }
    if (wanted == -1) {
      return live.get(live.size() - 1);
    }
    for (final Entry entry : live) {
      if (entry.version() == wanted) {
        return entry;
      }
    }
    return null;
  }

  private SubjectVersion view(final String subject, final Entry entry) {
    return new SubjectVersion(
        subject,
        entry.version(),
        entry.id(),
        schemaById.get(entry.id()),
        referencesById.getOrDefault(entry.id(), List.of()));
  }

  private CompatibilityLevel levelFor(final String subject) {
    final CompatibilityLevel own = subjectLevels.get(subject);
    if (own != null) {
      return own;
    }
    return globalLevel == null ? defaultLevel : globalLevel;
  }

  /**
   * Appends a record the caller decided on this state and applies it; or, when another registry
   * wrote to the store first, applies what it wrote instead, so the caller decides again. Caller
   * holds the write mutex.
   *
   * @return true if the record was appended; false if the caller must decide again
   * @throws SchemaStoreException if the store fails, or keeps moving on after many attempts
   */
  private boolean appendOrCatchUp(final StoreRecord record, final int attempt) {
    return appendOrCatchUp(List.of(record), attempt);
  }

  /** {@link #appendOrCatchUp(StoreRecord, int)} for records that make one change together. */
  private boolean appendOrCatchUp(final List<StoreRecord> records, final int attempt) {
    try {
      if (records.size() == 1) {
        store.append(records.get(0));
      } else {
        store.appendAll(records);
      }
    } catch (final SchemaStoreConflictException e) {
      if (attempt >= MAX_WRITE_ATTEMPTS) {
        throw new SchemaStoreException(
            "Gave up after "
                + attempt
                + " attempts: other registries kept writing the store first ("
                + e.getMessage()
                + ")",
            e);
      }
      LOG.debug("Attempt {}: {}; reading their writes and deciding again", attempt, e.getMessage());
      applyAll(store.catchUp());
      return false;
    }
    applyAll(records);
    return true;
  }

  /**
   * Applies a schema id's references, before the version that registers it, as a schema record
   * carries them: the first record of an id sets them. Caller holds the write lock.
   *
   * @param id the schema id
   * @param references its references; empty when none
   */
  private void applyReferences(final int id, final List<StoreRecord.Reference> references) {
    if (!references.isEmpty()) {
      referencesById.putIfAbsent(id, List.copyOf(references));
      parsedById.remove(id);
    }
  }

  /**
   * Runs a read; if it finds nothing, applies what other registries sharing the store wrote since
   * this one last read it, and runs the read again. A registry that only serves reads thus finds a
   * schema another registry registered.
   *
   * <p>A read that finds what it wants never waits for the store. One that misses waits at most
   * {@link #missWait} for a catch-up that began after it read; past that it answers 503, so that
   * misses during a Kafka outage do not hold the workers that answer the hits.
   */
  private <T> T readCatchingUpOnMiss(final Supplier<T> read) {
    final long before = catchUpsBegun();
    try {
      return read.get();
    } catch (final RestError e) {
      if (e.status() != 404) {
        throw e;
      }
      awaitCatchUpBegunAfter(before, e);
      return read.get();
    }
  }

  private long catchUpsBegun() {
    synchronized (catchUps) {
      return catchUpsBegun;
    }
  }

  /**
   * Waits until a catch-up that began after catch-up number {@code seen} has been applied: one
   * that has already, the one running if it began later, else the next one, which starts when the
   * running one ends and serves every miss that came meanwhile. So misses arriving together share
   * one read of the store, and a miss never settles for a read that began before it looked (that
   * could miss a schema registered elsewhere a moment ago, which a consumer would take as gone).
   *
   * @throws RestError 503 if the catch-up did not end within {@link #missWait}
   * @throws SchemaStoreException if the catch-up failed
   */
  private void awaitCatchUpBegunAfter(final long seen, final RestError miss) {
    final CompletableFuture<Void> wanted;
    synchronized (catchUps) {
      if (catchUpsDone > seen) {
        return;
      }
      if (running == null) {
        wanted = new CompletableFuture<>();
        beginCatchUp(wanted);
      } else if (catchUpsBegun > seen) {
        wanted = running;
      } else {
        if (next == null) {
          next = new CompletableFuture<>();
        }
        wanted = next;
      }
    }
    try {
      wanted.get(missWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final TimeoutException e) {
      LOG.debug(
          "{}; the schema store did not answer within {} to look for newer writes",
          miss.getMessage(),
          missWait);
      throw RestError.storeSlow(miss.getMessage(), missWait);
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof SchemaStoreException failure) {
        throw new SchemaStoreException(failure.getMessage(), failure);
      }
      throw new SchemaStoreException("Failed to read the schema store: " + e.getCause(), e.getCause());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaStoreException("Interrupted while reading the schema store", e);
    }
  }

  /** Starts a catch-up on the catch-up thread, completing {@code done}. Caller holds catchUps. */
  private void beginCatchUp(final CompletableFuture<Void> done) {
    final long number = ++catchUpsBegun;
    running = done;
    try {
      catchUpThread.execute(() -> runCatchUp(number, done));
    } catch (final RejectedExecutionException e) {
      running = null;
      done.completeExceptionally(new SchemaStoreException("The registry is shutting down", e));
    }
  }

  private void runCatchUp(final long number, final CompletableFuture<Void> done) {
    RuntimeException failure = null;
    try {
      catchUp();
    } catch (final RuntimeException e) {
      LOG.warn("Could not read what other registries wrote to {}: {}", store, e.getMessage());
      LOG.debug("Catch-up failure", e);
      failure = e;
    }
    synchronized (catchUps) {
      if (failure == null) {
        catchUpsDone = number;
      }
      running = null;
      if (next != null) {
        final CompletableFuture<Void> waiting = next;
        next = null;
        beginCatchUp(waiting);
      }
    }
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  /**
   * Applies what other registries sharing the store wrote since this one last read it. Holds the
   * write mutex, so no write decides on a state that lacks records the store counts as seen.
   *
   * @return true if there was anything
   */
  boolean catchUp() {
    writeMutex.lock();
    try {
      final List<StoreRecord> records = store.catchUp();
      applyAll(records);
      return !records.isEmpty();
    } finally {
      writeMutex.unlock();
    }
  }

  /**
   * Stops taking catch-ups; one running finishes (the store's timeouts bound it) without being
   * interrupted inside a client the registry does not own. A miss after this answers 500.
   */
  void close() {
    catchUpThread.shutdown();
  }

  private void applyAll(final List<StoreRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    lock.writeLock().lock();
    try {
      for (final StoreRecord record : records) {
        apply(record);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Applies one log record. Caller holds the write lock. */
  private void apply(final StoreRecord record) {
    if (record instanceof StoreRecord.SchemaVersion version) {
      applyReferences(version.id(), version.references());
      applySchema(version);
    } else if (record instanceof StoreRecord.Config config) {
      if (config.subject() == null) {
        globalLevel = config.level();
      } else if (config.level() == null) {
        subjectLevels.remove(config.subject());
      } else {
        subjectLevels.put(config.subject(), config.level());
      }
    } else if (record instanceof StoreRecord.VersionTombstone tombstone) {
      applyTombstone(tombstone);
    } else if (record instanceof StoreRecord.Mode mode) {
      applyMode(mode.subject(), modeOf(mode));
    } else if (record instanceof StoreRecord.DeleteSubject delete) {
      applyDeleteSubject(delete);
    } else if (record instanceof StoreRecord.ClearSubject clear) {
      applyClearSubject(clear);
    } else if (record instanceof StoreRecord.ForeignSchema foreign) {
      maxId = Math.max(maxId, foreign.id());
      LOG.warn(
          "Ignoring {} schema id {} (version {} of subject {}): only AVRO is served",
          foreign.schemaType(),
          foreign.id(),
          foreign.version(),
          foreign.subject());
    }
  }

  /** The mode a record names (every name {@link StoreRecord.Mode#MODES} allows has one). */
  private static RegistryMode modeOf(final StoreRecord.Mode record) {
    return record.mode() == null
        ? null
        : RegistryMode.parse(record.mode())
            .orElseThrow(() -> new IllegalStateException("No RegistryMode for " + record.mode()));
  }

  /** A soft delete of a subject: versions up to the record's are hidden; their ids stay. */
  private void applyDeleteSubject(final StoreRecord.DeleteSubject delete) {
    final NavigableMap<Integer, Entry> all = subjects.get(delete.subject());
    if (all == null) {
      return;
    }
    for (final Entry entry : List.copyOf(all.headMap(delete.version(), true).values())) {
      all.put(entry.version(), new Entry(entry.version(), entry.id(), true));
    }
  }

  /**
   * Forgets soft-deleted versions, of one subject or (subject null, or a Confluent context name
   * such as {@code :.:}) of every subject; their ids go unless a live version still holds them.
   */
  private void applyClearSubject(final StoreRecord.ClearSubject clear) {
    final String subject = clear.subject();
    final boolean all = subject == null || subject.startsWith(":");
    final List<StoreRecord.VersionTombstone> gone = new ArrayList<>();
    for (final Map.Entry<String, NavigableMap<Integer, Entry>> versions : subjects.entrySet()) {
      if (all || versions.getKey().equals(subject)) {
        for (final Entry entry : versions.getValue().values()) {
          if (entry.deleted()) {
            gone.add(new StoreRecord.VersionTombstone(versions.getKey(), entry.version()));
          }
        }
      }
    }
    for (final StoreRecord.VersionTombstone tombstone : gone) {
      applyTombstone(tombstone);
    }
  }

  /**
   * A permanent delete: the version goes, and its id stops resolving unless another version still
   * holds it, as in Confluent's registry. The id is never handed out again (maxId keeps it).
   */
  private void applyTombstone(final StoreRecord.VersionTombstone tombstone) {
    final NavigableMap<Integer, Entry> all = subjects.get(tombstone.subject());
    if (all == null) {
      return;
    }
    final Entry removed = all.remove(tombstone.version());
    if (all.isEmpty()) {
      subjects.remove(tombstone.subject());
    }
    if (removed == null) {
      return;
    }
    final int id = removed.id();
    final boolean stillHeld =
        subjects.values().stream()
            .flatMap(versions -> versions.values().stream())
            .anyMatch(entry -> entry.id() == id);
    if (!stillHeld) {
      idByCanonical.values().removeIf(held -> held == id);
      schemaById.remove(id);
      parsedById.remove(id);
      referencesById.remove(id);
    }
  }

  private void applySchema(final StoreRecord.SchemaVersion version) {
    maxId = Math.max(maxId, version.id());
    final String known = schemaById.putIfAbsent(version.id(), version.schema());
    if (known == null) {
      idByCanonical.putIfAbsent(identityOf(version.id(), false), version.id());
    }
    subjects
        .computeIfAbsent(version.subject(), key -> new TreeMap<>())
        .put(version.version(), new Entry(version.version(), version.id(), version.deleted()));
  }
}
