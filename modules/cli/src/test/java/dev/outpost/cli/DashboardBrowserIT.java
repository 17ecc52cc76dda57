package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser: headless Chromium, driven through chromedriver, against a
 * running demo. The page is opened only once the demo's alerts are on the topics, and shows them
 * at once, with links to the news and the evidence; a category filter narrows the list, and a
 * live alert of another category arrives hidden behind it and shows once the filter is cleared.
 * A hostile title and link stay text. The pipeline's group has a lag row with a trend line, and
 * the dead letters are counted by reason. Screenshots are saved under {@code target/}.
 *
 * <p>Needs Debian's chromium and chromium-driver; the cli module's {@code browser} profile runs it
 * wherever /usr/bin/chromedriver exists, and {@code .ci/run} installs both.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardBrowserIT {

  private static final String LIVE_TITLE = "Navy begins live-fire drills off the coast <img src=x onerror=window.pwned=1>";

  @TempDir Path dir;

  @Test
  void alertsAlreadyOnTheTopicsShowOnArrivalAndFilterAndLiveOnesFollow() throws Exception {
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

      // given: the demo's alerts, of more than one category, already on the topics
      final HttpClient http = HttpClient.newHttpClient();
      final ObjectMapper json = new ObjectMapper();
      final JsonNode[] recent = new JsonNode[1];
      await()
          .alias("the demo's alerts on the topics, of several categories")
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                final HttpResponse<String> answer =
                    http.send(HttpRequest.newBuilder(URI.create(ops + "/api/recent")).build(), HttpResponse.BodyHandlers.ofString());
                recent[0] = json.readTree(answer.body());
                return answer.statusCode() == 200 && categories(recent[0].get("alerts")).size() >= 2;
              });
      final JsonNode alerts = recent[0].get("alerts");
      final String aTitle = alerts.get(0).get("title").asText();

      // when: the page is opened after them
      browser = chromium();
      browser.get(ops + "/");
      final ChromeDriver page = browser;

      // then: they are shown on arrival, before any new alert, with links to the news and evidence
      await()
          .alias("the alerts already on the topics shown")
          .atMost(Duration.ofSeconds(30))
          .until(() -> alertRows(page).size() >= alerts.size());
      assertThat(alertRows(page)).anySatisfy(r -> assertThat(r.getText()).contains(aTitle));
      final List<WebElement> links = page.findElements(By.cssSelector("tr[data-testid=alert] a[data-testid=link]"));
      assertThat(links).as("links to the news").isNotEmpty().allSatisfy(a -> assertThat(a.getAttribute("href")).startsWith("http"));
      assertThat(page.findElements(By.cssSelector("tr[data-testid=alert] [data-testid=evidence]"))).as("evidence").isNotEmpty();
      assertThat(page.findElements(By.cssSelector("tr[data-testid=story]"))).as("stories").isNotEmpty();
      screenshot(page, "dashboard-on-arrival.png");

      // when: filtered to one category other than the live alert's
      final String category =
          categories(alerts).stream().filter(c -> !c.equals("MILITARY_EXERCISE")).sorted().findFirst().orElseThrow();
      new Select(page.findElement(By.id("filter-category"))).selectByValue(category);

      // then: only that category's alerts and stories are shown
      final List<WebElement> shown = visible(alertRows(page));
      assertThat(shown).isNotEmpty().hasSizeLessThan(alertRows(page).size()).allSatisfy(r -> assertThat(r.getAttribute("data-category")).isEqualTo(category));
      assertThat(visible(page.findElements(By.cssSelector("tr[data-testid=story]"))))
          .allSatisfy(r -> assertThat(r.getAttribute("data-category")).isEqualTo(category));
      assertThat(page.findElement(By.id("filter-count")).getText()).isEqualTo(shown.size() + " of " + alertRows(page).size() + " alerts shown");
      assertThat(page.getCurrentUrl()).endsWith("#category=" + category);
      screenshot(page, "dashboard-filtered.png");

      // when: a military exercise, with a hostile title and link, is published while the filter is on
      await()
          .alias("the page connected to the alert stream")
          .atMost(Duration.ofSeconds(30))
          .until(() -> "live".equals(page.findElement(By.id("connection")).getText()));
      final Path item = dir.resolve("item.jsonl");
      Files.writeString(
          item,
          "{\"id\":\"browser-1\",\"source\":\"Hostile Wire\",\"url\":\"javascript:window.pwned=1\",\"title\":\""
              + LIVE_TITLE
              + "\",\"body\":\"Warships from both countries started three days of joint live-fire exercises on Monday.\"}\n");
      final CliRunner.Result published =
          CliRunner.run("publish", "--input", item.toString(), "--bootstrap-servers", kafka, "--schema-registry-url", registry);
      assertThat(published.exitCode()).as(published.err()).isZero();

      // then: it arrives live, hidden by the filter, and shows once the filter is cleared, as text
      await()
          .alias("the live alert, hidden by the filter")
          .atMost(Duration.ofSeconds(60))
          .until(() -> alertRows(page).stream().anyMatch(r -> r.getAttribute("textContent").contains(LIVE_TITLE) && !r.isDisplayed()));
      page.findElement(By.id("filter-clear")).click();
      await()
          .alias("the live alert shown once the filter is cleared")
          .atMost(Duration.ofSeconds(10))
          .until(() -> visible(alertRows(page)).stream().anyMatch(r -> r.getText().contains(LIVE_TITLE)));
      assertThat(page.findElements(By.cssSelector("#alerts img"))).as("a title is text, never markup").isEmpty();
      assertThat(page.findElements(By.cssSelector("a[href^='javascript']"))).as("no javascript: link").isEmpty();
      assertThat(page.executeScript("return window.pwned === undefined")).isEqualTo(true);

      await()
          .alias("a lag row for the pipeline's group, with a trend line")
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  page.findElements(By.cssSelector("tr[data-testid=lag-row][data-group=outpost-demo] svg[data-testid=sparkline]")).stream()
                      .anyMatch(s -> Integer.parseInt(s.getAttribute("data-points")) >= 2));
      assertThat(page.findElement(By.cssSelector("tr[data-testid=lag-row][data-group=outpost-demo] [data-testid=lag-reason]")).getText())
          .as("the rule that set the group's status")
          .isNotBlank();
      await()
          .alias("the demo's dead letters counted from the topic, by reason")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !page.findElements(By.cssSelector("tr[data-testid=dead-letter]")).isEmpty());
      await()
          .alias("the demo's items in a language Outpost does not read counted, per language")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !page.findElements(By.cssSelector("tr[data-testid=unsupported-language]")).isEmpty()
                      && !"0".equals(page.findElement(By.id("unsupported-total")).getText()));

      final byte[] png = screenshot(page, "dashboard.png");
      page.executeScript("document.getElementById('lag').scrollIntoView()");
      screenshot(page, "dashboard-lag-and-dead-letters.png");
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

  private ChromeDriver chromium() {
    final ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--window-size=1280,900",
        "--user-data-dir=" + dir.resolve("chromium"));
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(), options);
  }

  private static Set<String> categories(final JsonNode alerts) {
    final Set<String> categories = new HashSet<>();
    StreamSupport.stream(alerts.spliterator(), false).forEach(a -> categories.add(a.get("category").asText()));
    return categories;
  }

  private static List<WebElement> alertRows(final ChromeDriver page) {
    return page.findElements(By.cssSelector("tr[data-testid=alert]"));
  }

  private static List<WebElement> visible(final List<WebElement> rows) {
    return rows.stream().filter(WebElement::isDisplayed).toList();
  }

  private static byte[] screenshot(final ChromeDriver page, final String name) throws java.io.IOException {
    final Path shot = Path.of("target", name);
    Files.createDirectories(shot.getParent());
    final byte[] png = page.getScreenshotAs(OutputType.BYTES);
    Files.write(shot, png);
    return png;
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
