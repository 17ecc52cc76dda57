package dev.outpost.ingest.replay;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a replay has got: a progress bar with items, rate and time left on a terminal,
 * and otherwise a plain line now and then, which reads well in a log.
 */
public abstract class ReplayProgress implements Replayer.Progress, AutoCloseable {

  /**
   * @param terminal a terminal to draw a bar on, or null for plain lines
   * @param lines where plain lines go
   * @param label what is replayed, such as the namespace
   * @param total the entries the source holds, or 0 when unknown
   * @param every how often to print a plain line
   * @param nanoTime the clock rates are measured by
   * @return the progress display
   */
  public static ReplayProgress create(
      final PrintStream terminal,
      final PrintWriter lines,
      final String label,
      final long total,
      final Duration every,
      final LongSupplier nanoTime) {
    return terminal != null ? new Bar(terminal, label, total) : new Lines(lines, label, total, every, nanoTime);
  }

  /** Says the last figures, whatever the time since the last line. */
  public abstract void flush();

  @Override
  public abstract void close();

  private static final class Bar extends ReplayProgress {
    private final ProgressBar bar;

    Bar(final PrintStream terminal, final String label, final long total) {
      this.bar =
          new ProgressBarBuilder()
              .setTaskName(label)
              .setInitialMax(total > 0 ? total : -1)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUnit(" items", 1)
              .showSpeed()
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(terminal))
              .build();
    }

    @Override
    public void update(final long read, final long published) {
      bar.stepTo(read);
      bar.setExtraMessage(String.format(Locale.ROOT, " %,d sent", published));
    }

    @Override
    public void flush() {
      bar.refresh();
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** Plain lines: {@code replay NAME: 12,000 of 50,000 items (24%), 3,100/s, 12s left, 11,800 sent}. */
  static final class Lines extends ReplayProgress {
    private final PrintWriter out;
    private final String label;
    private final long total;
    private final long everyNanos;
    private final LongSupplier nanoTime;
    private final long started;
    private long startRead = -1;
    private long lastLine;
    private long read;
    private long published;

    Lines(final PrintWriter out, final String label, final long total, final Duration every, final LongSupplier nanoTime) {
      this.out = out;
      this.label = label;
      this.total = total;
      this.everyNanos = every.toNanos();
      this.nanoTime = nanoTime;
      this.started = nanoTime.getAsLong();
      this.lastLine = started;
    }

    @Override
    public void update(final long read, final long published) {
      if (startRead < 0) {
        startRead = read;
      }
      this.read = read;
      this.published = published;
      if (nanoTime.getAsLong() - lastLine >= everyNanos) {
        flush();
      }
    }

    @Override
    public void flush() {
      final long now = nanoTime.getAsLong();
      lastLine = now;
      out.println(line(now));
      out.flush();
    }

    String line(final long now) {
      final double seconds = Math.max(1e-9, (now - started) / 1e9);
      final double rate = (read - Math.max(0, startRead)) / seconds;
      final StringBuilder s = new StringBuilder("replay ").append(label).append(": ");
      s.append(String.format(Locale.ROOT, "%,d", read));
      if (total > 0) {
        s.append(String.format(Locale.ROOT, " of %,d items (%d%%)", total, Math.min(100, read * 100 / total)));
      } else {
        s.append(" items");
      }
      s.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
      if (total > 0 && rate > 0 && read < total) {
        s.append(", ").append(human(Duration.ofSeconds((long) Math.ceil((total - read) / rate)))).append(" left");
      }
      s.append(String.format(Locale.ROOT, ", %,d sent", published));
      return s.toString();
    }

    static String human(final Duration d) {
      final long s = d.toSeconds();
      if (s < 60) {
        return s + "s";
      }
      if (s < 3600) {
        return (s / 60) + "m" + (s % 60 == 0 ? "" : String.format(Locale.ROOT, "%02ds", s % 60));
      }
      return (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
    }

    @Override
    public void close() {
      flush();
    }
  }
}
