package dev.outpost.ingest.replay;

import dev.outpost.ingest.IngestException;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.ingest.ParsedItems;
import dev.outpost.model.AvroTrust;
import dev.outpost.model.NewsItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Items from a file or every news file under a directory: Avro container files (as {@code outpost
 * archive} writes them), JSON Lines, RSS or Atom. Files are read in the order of their paths,
 * which for an archive is the order of its days; items in the order of the file.
 */
public final class FileSource implements ReplaySource {

  private static final Set<String> EXTENSIONS =
      Set.of("avro", "jsonl", "ndjson", "json", "xml", "rss", "atom", "txt");
  private static final String POSITION = "items";

  private final Path root;
  private final List<Path> files;
  private final NewsFileReader reader;
  private final Consumer<String> problems;
  private final InputLimit limit;
  private int fileIndex = -1;
  private Iterator<NewsItem> current;
  private DataFileStream<NewsItem> avro;
  private AvroBlocks blocks;
  private long read;
  private long bad;

  /**
   * A source that reads text files of up to {@link InputLimit#DEFAULT} bytes.
   *
   * @param root a file, or a directory to search for news files
   * @param reader reads text formats
   * @param problems told each bad entry, with its file and position
   * @throws IngestException when there is nothing to read there
   */
  public FileSource(final Path root, final NewsFileReader reader, final Consumer<String> problems) {
    this(root, reader, problems, InputLimit.DEFAULT);
  }

  /**
   * @param root a file, or a directory to search for news files
   * @param reader reads text formats
   * @param problems told each bad entry, with its file and position
   * @param limit the most bytes a text file (JSON Lines, a feed, an article) may hold, as each is
   *     read whole; Avro container files are read block by block and are not bound by it
   * @throws IngestException when there is nothing to read there
   */
  public FileSource(
      final Path root, final NewsFileReader reader, final Consumer<String> problems, final InputLimit limit) {
    // Reading generated records looks their classes up by name, which Avro allows only for
    // trusted ones.
    AvroTrust.install();
    this.root = root;
    this.reader = reader;
    this.problems = problems;
    this.limit = limit;
    this.files = list(root);
  }

  private static List<Path> list(final Path root) {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    if (!Files.isDirectory(root)) {
      throw new IngestException("--from '" + root + "' is neither a file nor a directory");
    }
    try (Stream<Path> walk = Files.walk(root)) {
      final List<Path> found =
          walk.filter(Files::isRegularFile)
              .filter(p -> EXTENSIONS.contains(extension(p)))
              .sorted(Comparator.comparing(p -> root.relativize(p).toString()))
              .toList();
      if (found.isEmpty()) {
        throw new IngestException(
            "--from '" + root + "' holds no news files (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")");
      }
      return found;
    } catch (final IOException e) {
      throw new IngestException("Cannot list --from '" + root + "': " + e.getMessage(), e);
    }
  }

  private static String extension(final Path p) {
    final String name = p.getFileName().toString();
    final int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  @Override
  public String description() {
    return "files " + root.toAbsolutePath().normalize() + " (" + files.size() + ")";
  }

  @Override
  public long size() {
    long n = 0;
    for (final Path file : files) {
      if (extension(file).equals("avro")) {
        // Block headers hold their record counts: no record is decoded.
        try (DataFileStream<NewsItem> stream = openAvro(file)) {
          while (stream.hasNext()) {
            n += stream.getBlockCount();
            stream.nextBlock();
          }
        } catch (final IOException | AvroRuntimeException e) {
          // Counted as far as it reads; next() reports the damage.
        }
      } else {
        final ParsedItems parsed = parse(file);
        n += parsed.items().size() + parsed.problems().size();
      }
    }
    return n;
  }

  @Override
  public void resume(final Map<String, Long> position) {
    final long skip = position.getOrDefault(POSITION, 0L);
    while (read < skip && next() != null) {
      // Passing over what an earlier run sent.
    }
  }

  @Override
  public NewsItem next() {
    while (true) {
      if (current != null) {
        try {
          if (current.hasNext()) {
            read++;
            return current.next();
          }
        } catch (final AvroRuntimeException e) {
          bad++;
          problems.accept(
              files.get(fileIndex) + ": unreadable after item " + read + " (" + e.getMessage() + "); the rest of the file is passed over");
        }
        closeAvro();
        current = null;
      }
      if (++fileIndex >= files.size()) {
        return null;
      }
      final Path file = files.get(fileIndex);
      if (extension(file).equals("avro")) {
        avro = openAvro(file);
        blocks = new AvroBlocks(avro);
        current = blocks;
      } else {
        blocks = null;
        final ParsedItems parsed = parse(file);
        parsed.problems().forEach(p -> problems.accept(file + ": " + p));
        bad += parsed.problems().size();
        current = parsed.items().iterator();
      }
    }
  }

  private ParsedItems parse(final Path file) {
    return reader.parseAll(
        file.toString(), NewsFileReader.readBytes(file, limit), null, NewsFileReader.Format.AUTO, file.getFileName().toString());
  }

  private static DataFileStream<NewsItem> openAvro(final Path file) {
    try {
      final InputStream in = Files.newInputStream(file);
      final DataFileStream<NewsItem> stream;
      try {
        stream = new DataFileStream<>(in, new SpecificDatumReader<>(NewsItem.class));
      } catch (final IOException | RuntimeException e) {
        in.close();
        throw new IngestException("'" + file + "' is not an Avro container file: " + e.getMessage(), e);
      }
      final String held = stream.getSchema().getFullName();
      if (!held.equals(NewsItem.getClassSchema().getFullName())) {
        stream.close();
        throw new IngestException(
            "'" + file + "' holds " + held + " records, not news items: point --from at an archive of news.items.v1");
      }
      return stream;
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private void closeAvro() {
    if (avro != null) {
      try {
        avro.close();
      } catch (final IOException e) {
        // Read-only; nothing is lost.
      }
      avro = null;
    }
  }

  @Override
  public byte[] storedBytes() {
    return blocks == null ? null : blocks.lastBytes;
  }

  @Override
  public org.apache.avro.Schema storedSchema() {
    return blocks == null ? null : avro.getSchema();
  }

  /**
   * The records of a container file, block by block, each decoded and also kept as the bytes it
   * was stored as: a block is Avro binary records back to back, so a record's bytes are what the
   * decoder consumed for it.
   */
  private static final class AvroBlocks implements Iterator<NewsItem> {
    private final DataFileStream<NewsItem> stream;
    private final org.apache.avro.specific.SpecificDatumReader<NewsItem> reader;
    private java.io.ByteArrayInputStream block;
    private int blockLength;
    private org.apache.avro.io.BinaryDecoder decoder;
    private byte[] blockBytes;
    private byte[] lastBytes;

    AvroBlocks(final DataFileStream<NewsItem> stream) {
      this.stream = stream;
      this.reader = new org.apache.avro.specific.SpecificDatumReader<>(stream.getSchema(), NewsItem.getClassSchema());
    }

    @Override
    public boolean hasNext() {
      if (block != null && block.available() > 0) {
        return true;
      }
      try {
        if (!stream.hasNext()) {
          return false;
        }
        final java.nio.ByteBuffer buffer = stream.nextBlock();
        blockBytes = new byte[buffer.remaining()];
        buffer.get(blockBytes);
        blockLength = blockBytes.length;
        block = new java.io.ByteArrayInputStream(blockBytes);
        // Direct: it reads no further than the record it decodes, so the stream's position is
        // where the record ends.
        decoder = org.apache.avro.io.DecoderFactory.get().directBinaryDecoder(block, decoder);
        return block.available() > 0;
      } catch (final IOException e) {
        throw new AvroRuntimeException(e);
      }
    }

    @Override
    public NewsItem next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      final int start = blockLength - block.available();
      try {
        final NewsItem item = reader.read(null, decoder);
        lastBytes = java.util.Arrays.copyOfRange(blockBytes, start, blockLength - block.available());
        return item;
      } catch (final IOException e) {
        throw new AvroRuntimeException(e);
      }
    }
  }

  @Override
  public Map<String, Long> position() {
    return Map.of(POSITION, read);
  }

  @Override
  public long bad() {
    return bad;
  }

  @Override
  public void close() {
    closeAvro();
  }
}
