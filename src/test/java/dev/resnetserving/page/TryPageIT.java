package dev.resnetserving.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.ResnetServingApplication;
import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The page at {@code /} in a real browser: Debian's headless Chromium driven by its chromedriver,
 * both given by path so that nothing is downloaded. Skipped where they are not installed ({@code
 * apt-get install chromium chromium-driver}).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0"
    })
@EnabledIf("browserInstalled")
class TryPageIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration PATIENCE = Duration.ofSeconds(60);

  @LocalServerPort int port;
  WebDriver browser;
  Path profile;

  static boolean browserInstalled() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** The build directory (target/ or -Dbuild.dir), where screenshots go. */
  static Path buildDirectory() throws Exception {
    return Path.of(TryPageIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
  }

  @BeforeEach
  void openBrowser() throws IOException {
    // With the driver's path given, Selenium Manager never runs (and never downloads).
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1280,1500");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.get("http://127.0.0.1:" + port + "/");
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** What the page shows for a probability: JavaScript's {@code (p * 100).toFixed(1) + "%"}. */
  static String percent(double probability) {
    return new BigDecimal(probability * 100).setScale(1, RoundingMode.HALF_UP) + "%";
  }

  WebElement card(String fileName) {
    return browser.findElements(By.cssSelector("li.card")).stream()
        .filter(card -> card.findElement(By.cssSelector(".file-name")).getText().equals(fileName))
        .findFirst()
        .orElseThrow();
  }

  void upload(String... images) {
    String paths =
        String.join(
            "\n",
            Stream.of(images)
                .map(image -> Fixtures.IMAGES.resolve(image).toAbsolutePath().toString())
                .toList());
    browser.findElement(By.id("file-input")).sendKeys(paths);
  }

  Object script(String code) {
    return ((JavascriptExecutor) browser).executeScript(code);
  }

  void screenshot(String name) throws Exception {
    Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, buildDirectory().resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void showsEachImagesTopFiveAsTheApiAnswersWithItsHeatmap() throws Exception {
    List<String> images = List.of("china.jpg", "chelsea.png");

    upload(images.toArray(String[]::new));

    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
    wait.until(
        page ->
            page.findElements(By.cssSelector(".heatmap img:not([hidden])")).size()
                == images.size());
    HttpTestClient api = new HttpTestClient(port);
    for (String image : images) {
      WebElement card = card(image);
      JsonNode expected =
          api.postRaw("/v1/classify?topK=5", "application/octet-stream", Fixtures.image(image))
              .json()
              .at("/results/0/predictions");
      List<WebElement> bars = card.findElements(By.cssSelector(".prediction"));
      assertThat(bars).hasSize(5);
      List<String> shown = new ArrayList<>();
      List<String> answered = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        WebElement bar = bars.get(i);
        shown.add(
            bar.getDomAttribute("data-index")
                + " "
                + bar.findElement(By.cssSelector(".label")).getText()
                + " "
                + bar.findElement(By.cssSelector(".percent")).getText());
        JsonNode prediction = expected.get(i);
        answered.add(
            prediction.get("index").asInt()
                + " "
                + prediction.get("label").asString()
                + " "
                + percent(prediction.get("probability").asDouble()));
      }
      assertThat(shown).as(image).isEqualTo(answered);
      assertThat(card.findElement(By.cssSelector(".latency")).getText())
          .matches("Classified in \\d+ ms");
      WebElement heatmap = card.findElement(By.cssSelector(".heatmap img"));
      assertThat(heatmap.getDomProperty("naturalWidth")).isEqualTo("224");
      assertThat(heatmap.getDomAttribute("alt")).startsWith("Occlusion heatmap for ");
    }
    assertThat(browser.findElement(By.id("status")).getDomAttribute("aria-live"))
        .isEqualTo("polite");
    assertThat(browser.findElement(By.id("model-info")).getText())
        .contains("tiny-resnet", "1000 classes");
    screenshot("try-page.png");
  }

  @Test
  void fitsAPhoneScreenWithoutSidewaysScrolling() throws Exception {
    browser.manage().window().setSize(new Dimension(390, 844));
    upload("flower.jpg");

    new WebDriverWait(browser, PATIENCE)
        .until(page -> !page.findElements(By.cssSelector(".heatmap img:not([hidden])")).isEmpty());

    assertThat((Long) script("return document.documentElement.scrollWidth"))
        .isLessThanOrEqualTo((Long) script("return window.innerWidth"));
    screenshot("try-page-phone.png");
  }

  @Test
  void isUsableFromTheKeyboard() {
    browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);

    assertThat(script("return document.activeElement.id")).isEqualTo("file-input");
    String labelled =
        (String)
            script(
                "return Array.from(document.getElementById('file-input').labels).map(l => l.textContent).join()");
    assertThat(labelled).contains("Choose images");
  }

  @Test
  void saysWhyAnImageCouldNotBeClassified() throws Exception {
    Path notAnImage = Files.createTempFile(profile, "broken", ".png");
    Files.writeString(notAnImage, "this is not a picture");

    browser.findElement(By.id("file-input")).sendKeys(notAnImage.toString());

    WebElement alert =
        new WebDriverWait(browser, PATIENCE)
            .until(
                page ->
                    page.findElements(By.cssSelector(".card [role=alert]")).stream()
                        .findFirst()
                        .orElse(null));
    assertThat(alert.getText()).contains("could not be classified", "Unsupported image format");
  }

  @Test
  void namesTheFilesThatAreNotImagesAndClassifiesTheOthers() throws Exception {
    Path pdf = profile.resolve("report.pdf");
    Files.writeString(pdf, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n");
    String photo = Fixtures.IMAGES.resolve("china.jpg").toAbsolutePath().toString();

    browser.findElement(By.id("file-input")).sendKeys(pdf + "\n" + photo);

    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
    WebElement notice =
        wait.until(
            page -> {
              WebElement shown = page.findElement(By.id("notice"));
              return shown.isDisplayed() ? shown : null;
            });
    assertThat(notice.getText()).contains("Not an image", "report.pdf", "JPEG, PNG");
    assertThat(notice.getDomAttribute("role")).isEqualTo("alert");
    wait.until(page -> page.findElements(By.cssSelector("li.card .prediction")).size() == 5);
    assertThat(browser.findElements(By.cssSelector("li.card .file-name")))
        .extracting(WebElement::getText)
        .containsExactly("china.jpg");
  }

  /**
   * With API keys on, the page says a key is needed; once one is entered, it is sent as a header
   * (never in the URL) and the photo is classified.
   */
  @Test
  void asksForTheApiKeyAndClassifiesOnceItIsEntered() throws Exception {
    ConfigurableApplicationContext secured =
        new SpringApplicationBuilder(ResnetServingApplication.class)
            .run(
                "--resnet.model.uri=src/test/resources/models/tiny-resnet",
                "--server.port=0",
                "--management.server.port=0",
                "--resnet.security.api-keys=some-key");
    try {
      browser.get(
          "http://127.0.0.1:" + secured.getEnvironment().getProperty("local.server.port") + "/");
      WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
      wait.until(
          page -> page.findElement(By.id("model-info")).getText().contains("Enter the API key"));

      upload("china.jpg");
      WebElement refused =
          wait.until(
              page ->
                  page.findElements(By.cssSelector(".card [role=alert]")).stream()
                      .findFirst()
                      .orElse(null));
      assertThat(refused.getText())
          .contains("china.jpg could not be classified", "needs an API key");

      browser.findElement(By.id("api-key")).sendKeys("wrong-key");
      upload("chelsea.png");
      wait.until(page -> page.findElements(By.cssSelector(".card [role=alert]")).size() == 2);
      assertThat(card("chelsea.png").findElement(By.cssSelector("[role=alert]")).getText())
          .contains("API key was not accepted");

      WebElement key = browser.findElement(By.id("api-key"));
      key.clear();
      key.sendKeys("some-key");
      upload("flower.jpg");
      wait.until(
          page ->
              page.findElements(By.cssSelector("li.card")).stream()
                  .filter(
                      card ->
                          card.findElement(By.cssSelector(".file-name"))
                              .getText()
                              .equals("flower.jpg"))
                  .anyMatch(card -> card.findElements(By.cssSelector(".prediction")).size() == 5));
      assertThat(browser.getCurrentUrl()).doesNotContain("some-key");
      assertThat(script("return sessionStorage.getItem('resnet-serving.api-key')"))
          .isEqualTo("some-key");
    } finally {
      secured.close();
    }
  }

  /**
   * Once keys carry quotas the service answers 429 with Retry-After; until it does, the browser's
   * fetch gives the page that answer, so the whole path from upload to message is the page's own.
   */
  @Test
  void saysWhenToTryAgainWhenTheQuotaIsUsedUp() {
    script(
        "window.fetch = async () => new Response('{\"status\":429,\"title\":\"Too Many Requests\"}',"
            + " {status: 429, headers: {'Retry-After': '7', 'Content-Type': 'application/problem+json'}})");

    upload("china.jpg");

    WebElement alert =
        new WebDriverWait(browser, PATIENCE)
            .until(
                page ->
                    page.findElements(By.cssSelector(".card [role=alert]")).stream()
                        .findFirst()
                        .orElse(null));
    assertThat(alert.getText())
        .contains(
            "china.jpg could not be classified",
            "the API key's request quota is used up: try again in 7 s");
  }
}
