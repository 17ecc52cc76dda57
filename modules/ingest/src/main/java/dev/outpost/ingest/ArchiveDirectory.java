package dev.outpost.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One topic's archive: Avro container files, one per day ({@code <yyyy-mm-dd>.avro}), and the
 * position they hold, kept so that every record is in the archive exactly once, across crashes.
 *
 * <p>The position file {@value #POSITION_FILE} is what the archive holds: for each partition the
 * next offset to read, for each day file its length in bytes. {@link #commit} makes it true in
 * this order: the day files written since the last commit are flushed (Avro writes a whole block
 * and a sync marker) and fsynced; then the position file is replaced atomically (written beside,
 * fsynced, renamed over, the directory fsynced). A crash before the rename leaves the old position
 * file, which names shorter files and earlier offsets; a crash after it leaves the new one. So on
 * {@link #open}, whatever a file holds beyond its recorded length was written after the last commit
 * (and may end in a torn block): it is cut off, and day files the position file does not list are
 * removed. The files then hold exactly the records before the recorded offsets, and reading
 * resumes there.
 *
 * <p>A directory without a position file (a new archive, or one written before there was one)
 * keeps its files as they are and reads from the consumer group's offsets; its position file is
 * written when it is opened, before anything is appended.
 *
 * <p>One run at a time: {@link #open} takes an exclusive lock on {@value #LOCK_FILE} and holds it
 * until {@link #close}, because the repair on open would otherwise cut back or delete the files a
 * run still writing has not committed yet. The operating system drops the lock when the process
 * dies, so a killed run leaves nothing to clean up.
 */
public final class ArchiveDirectory implements Closeable {

  /** The file that records the archive's position; no extension that replay would read as news. */
  public static final String POSITION_FILE = ".archive-position";

  /** The file locked while a run writes the directory; no extension that replay would read. */
  public static final String LOCK_FILE = ".archive-lock";

  private static final Pattern DAY_FILE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}\\.avro");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the position file holds.
   *
   * @param offsets per partition, the next offset to read
   * @param files per day file name, its length in bytes
   */
  record Position(Map<Integer, Long> offsets, Map<String, Long> files) {}

  private final Path dir;
  private final FileLock lock;
  private final Map<Integer, Long> offsets;
  private final Map<String, Long> lengths;
  private final Map<String, DataFileWriter<SpecificRecord>> writers = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private boolean created;
  private long uncommitted;

  private ArchiveDirectory(final Path dir, final FileLock lock, final Position position) {
    this.dir = dir;
    this.lock = lock;
    this.offsets = new TreeMap<>(position.offsets());
    this.lengths = new TreeMap<>(position.files());
  }

  /**
   * Opens an archive directory, creating it if needed, and puts its files back to the last commit.
   *
   * @param dir the directory of one topic's day files
   * @param report told, in a sentence, of everything cut or removed
   * @return the archive, at its last committed position
   * @throws IngestException if another run holds the directory
   * @throws IOException if the files cannot be read or repaired
   * @throws IllegalStateException if a day file is shorter than recorded: changed by someone else
   */
  public static ArchiveDirectory open(final Path dir, final Consumer<String> report) throws IOException {
    Files.createDirectories(dir);
    final FileLock lock = lock(dir);
    try {
      return open(dir, lock, report);
    } catch (final IOException | RuntimeException e) {
      lock.channel().close();
      throw e;
    }
  }

  /**
   * @return the directory's exclusive lock
   * @throws IngestException if another process, or another archive in this one, holds it
   */
  private static FileLock lock(final Path dir) throws IOException {
    final FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (final OverlappingFileLockException e) {
      // Locks belong to the process: one held by this JVM shows up here rather than as null.
      lock = null;
    } catch (final IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IngestException(
          "Another 'outpost archive' is writing " + dir + "; wait for it or stop it (it holds the lock on " + dir.resolve(LOCK_FILE) + ")");
    }
    return lock;
  }

  private static ArchiveDirectory open(final Path dir, final FileLock lock, final Consumer<String> report) throws IOException {
    final Path positionFile = dir.resolve(POSITION_FILE);
    final List<Path> days = dayFiles(dir);
    if (!Files.exists(positionFile)) {
      final Map<String, Long> lengths = new TreeMap<>();
      for (final Path day : days) {
        lengths.put(day.getFileName().toString(), Files.size(day));
      }
      // Recorded before anything is written: a run that dies before its first commit must leave
      // a position to cut back to, not files that look like an archive from before positions.
      final ArchiveDirectory fresh = new ArchiveDirectory(dir, lock, new Position(Map.of(), lengths));
      fresh.writePosition();
      return fresh;
    }
    final Position position = JSON.readValue(Files.readString(positionFile, StandardCharsets.UTF_8), Position.class);
    final Map<String, Long> lengths = new TreeMap<>(position.files());
    boolean removed = false;
    for (final Path day : days) {
      final String name = day.getFileName().toString();
      final Long length = lengths.get(name);
      final long size = Files.size(day);
      if (length == null) {
        Files.delete(day);
        removed = true;
        report.accept(String.format(Locale.ROOT, "Removed %s: written after the archive's last commit (%,d bytes), it is written again", day, size));
      } else if (size > length) {
        try (FileChannel channel = FileChannel.open(day, StandardOpenOption.WRITE)) {
          channel.truncate(length);
          channel.force(true);
        }
        report.accept(String.format(Locale.ROOT, "Cut %s back to its last commit: %,d bytes written after it are written again", day, size - length));
      } else if (size < length) {
        throw new IllegalStateException(
            "The archive file " + day + " holds " + size + " bytes, fewer than the " + length
                + " its last commit recorded: it was changed by something other than 'outpost archive'. Restore it, or move "
                + positionFile + " away to keep the files as they are and resume from the consumer group's offsets");
      }
    }
    for (final String name : List.copyOf(lengths.keySet())) {
      if (!Files.exists(dir.resolve(name))) {
        // Moved away by its owner, say to colder storage: nothing to repair.
        lengths.remove(name);
      }
    }
    if (removed) {
      syncDirectory(dir);
    }
    return new ArchiveDirectory(dir, lock, new Position(position.offsets(), lengths));
  }

  /**
   * @return per partition, the next offset the files do not hold yet; a partition not named has
   *     nothing in this directory's record, and the consumer group says where it stands
   */
  public Map<Integer, Long> offsets() {
    return Map.copyOf(offsets);
  }

  /**
   * Appends a record to its day's file; it is the archive's once {@link #commit} returns.
   *
   * @param day the record's day
   * @param record the record
   * @throws IOException if the file cannot be written
   */
  public void append(final LocalDate day, final SpecificRecord record) throws IOException {
    final String name = day + ".avro";
    DataFileWriter<SpecificRecord> writer = writers.get(name);
    if (writer == null) {
      writer = open(dir.resolve(name), record);
      writers.put(name, writer);
    }
    writer.append(record);
    dirty.add(name);
    uncommitted++;
  }

  /** @return the records appended since the last commit */
  public long uncommitted() {
    return uncommitted;
  }

  /**
   * Makes what was appended durable and records the position that covers it: files first, then
   * the position file, atomically.
   *
   * @param next per partition, the next offset to read; partitions not named keep theirs
   * @throws IOException if the files or the position file cannot be written
   */
  public void commit(final Map<Integer, Long> next) throws IOException {
    for (final String name : dirty) {
      final DataFileWriter<SpecificRecord> writer = writers.get(name);
      writer.fSync();
      lengths.put(name, Files.size(dir.resolve(name)));
    }
    if (created) {
      // A new file's name is durable only once its directory is.
      syncDirectory(dir);
      created = false;
    }
    offsets.putAll(next);
    writePosition();
    dirty.clear();
    uncommitted = 0;
  }

  private void writePosition() throws IOException {
    final Path temp = dir.resolve(POSITION_FILE + ".tmp");
    final byte[] bytes = JSON.writeValueAsBytes(new Position(offsets, lengths));
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      final ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, dir.resolve(POSITION_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  /**
   * Closes the files. What was appended since the last commit may reach them, but is not the
   * archive's: the next {@link #open} cuts it off. Then lets the next run have the directory.
   */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (final DataFileWriter<SpecificRecord> writer : writers.values()) {
      try {
        writer.close();
      } catch (final IOException e) {
        failure = e;
      }
    }
    writers.clear();
    // Closing the channel releases the lock; the file stays, as removing it would let a run that
    // opened it just before lock a file no one else sees.
    try {
      lock.channel().close();
    } catch (final IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure != null) {
      throw failure;
    }
  }

  private DataFileWriter<SpecificRecord> open(final Path file, final SpecificRecord first) throws IOException {
    final Schema schema = first.getSchema();
    // The record's own model: it knows its classes and conversions, so Avro needs no class
    // look-up by name (which its allow-list refuses for classes it was not told to trust).
    final DataFileWriter<SpecificRecord> writer =
        new DataFileWriter<>(new SpecificDatumWriter<>(schema, ((SpecificRecordBase) first).getSpecificData()));
    final File f = file.toFile();
    if (f.exists() && f.length() > 0) {
      return writer.appendTo(f);
    }
    created = true;
    return writer.setCodec(CodecFactory.deflateCodec(6)).create(schema, f);
  }

  private static List<Path> dayFiles(final Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return new ArrayList<>(list.filter(p -> DAY_FILE.matcher(p.getFileName().toString()).matches()).filter(Files::isRegularFile).sorted().toList());
    }
  }

  private static void syncDirectory(final Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
