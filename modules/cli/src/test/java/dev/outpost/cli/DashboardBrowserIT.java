package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: headless Chromium, driven through chromedriver, against a
 * running demo. An item published while the page is open shows up live as an alert, the
 * pipeline's group has a lag row, and a screenshot is saved under {@code target/}.
 *
 * <p>Needs Debian's chromium and chromium-driver; the cli module's {@code browser} profile runs it
 * wherever /usr/bin/chromedriver exists, and {@code .ci/run} installs both.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardBrowserIT {

  @TempDir Path dir;

  @Test
  void anAlertAppearsLiveAndThePipelineHasALagRow() throws Exception {
    final OutpostProcess demo =
        OutpostProcess.start(
            "demo", "--kafka-port", "0", "--registry-port", "0", "--ops-port", "0", "--data-dir", dir.resolve("demo").toString());
    final List<String> lines = demo.lines();
    ChromeDriver browser = null;
    try {
      demo.awaitLine("Press Ctrl-C to stop", Duration.ofSeconds(120));
      final String kafka = demo.after("Kafka broker");
      final String registry = demo.after("Schema registry");
      final String ops = demo.after("Alert stream").replaceAll("/alerts/stream.*$", "");

      final ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments(
          "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-quic", "--window-size=1280,900",
          "--user-data-dir=" + dir.resolve("chromium"));
      browser =
          new ChromeDriver(
              new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(),
              options);
      browser.get(ops + "/");
      final ChromeDriver page = browser;
      await()
          .alias("the page connected to the alert stream")
          .atMost(Duration.ofSeconds(30))
          .until(() -> "live".equals(page.findElement(By.id("connection")).getText()));

      final Path item = dir.resolve("item.jsonl");
      Files.writeString(
          item,
          "{\"id\":\"browser-1\",\"title\":\"Navy begins live-fire drills off the coast\","
              + "\"body\":\"Warships from both countries started three days of joint live-fire exercises on Monday.\"}\n");
      final CliRunner.Result published =
          CliRunner.run("publish", "--input", item.toString(), "--bootstrap-servers", kafka, "--schema-registry-url", registry);
      assertThat(published.exitCode()).as(published.err()).isZero();

      await()
          .alias("the alert shown live")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  page.findElements(By.cssSelector("tr[data-testid=alert]")).stream()
                      .anyMatch(r -> r.getText().contains("Navy begins live-fire drills off the coast")));
      await()
          .alias("a lag row for the pipeline's group")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !page.findElements(By.cssSelector("tr[data-testid=lag-row][data-group=outpost-demo]")).isEmpty());
      await()
          .alias("the demo's dead letters counted")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !page.findElements(By.cssSelector("tr[data-testid=dead-letter]")).isEmpty());

      await()
          .alias("the demo's items in a language Outpost does not read counted, per language")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !page.findElements(By.cssSelector("tr[data-testid=unsupported-language]")).isEmpty()
                      && !"0".equals(page.findElement(By.id("unsupported-total")).getText()));

      final Path shot = Path.of("target", "dashboard.png");
      Files.createDirectories(shot.getParent());
      final byte[] png = browser.getScreenshotAs(OutputType.BYTES);
      Files.write(shot, png);
      // The screenshot must be a picture of a rendered page: a PNG that decodes, of the window's
      // width, with more than a handful of colours (a blank or error page is one or two).
      final BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertThat(image).as("the screenshot decodes as an image").isNotNull();
      assertThat(image.getWidth()).as("screenshot width").isEqualTo(1280);
      assertThat(distinctColours(image)).as("colours in the screenshot").isGreaterThan(16);
    } catch (final RuntimeException | AssertionError e) {
      final Path debug = Path.of("target", "dashboard-failure.txt");
      Files.createDirectories(debug.getParent());
      Files.writeString(
          debug, String.join("\n", lines) + "\n\n--- page ---\n" + (browser == null ? "" : browser.getPageSource()));
      throw e;
    } finally {
      if (browser != null) {
        browser.quit();
      }
      demo.terminate();
      demo.close();
    }
  }

  private static int distinctColours(final BufferedImage image) {
    final Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
