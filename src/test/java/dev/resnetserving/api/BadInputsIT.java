package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Part;
import dev.resnetserving.support.HttpTestClient.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Bad and odd inputs, one table row each: every bad request gets the right status and an RFC 9457
 * body that names the problem without leaking internals, the service answers a good request right
 * after it, and every odd but valid image is classified. The committed files and how they were made
 * are listed in {@code src/test/resources/bad-inputs/README.md}; the rest are made here.
 *
 * <p>How little work the inputs built to be expensive cost is asserted where the work is bounded,
 * without a clock: {@code JpegScansTest}, {@code HeaderBombTest}, {@code ByteArrayInputTest} and
 * {@code CostlyImagesTest}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.images.max-bytes=300KB",
      "resnet.images.max-pixels=1000000",
      "resnet.images.max-per-request=3"
    })
class BadInputsIT {

  static final Path BAD_INPUTS = Fixtures.RESOURCES.resolve("bad-inputs");
  static final Path FUZZ_INPUTS =
      Fixtures.RESOURCES.resolve(
          "dev/resnetserving/image/fuzz/ImagePreprocessorFuzzTestInputs/preprocess");
  static final String CLASSIFY = "/v1/classify";
  static final String ALL_CLASSES = CLASSIFY + "?topK=1000";
  static final int MAX_BYTES = 300 * 1024;

  /** A file name no response may echo. */
  static final String UPLOAD_NAME = "holiday-upload-4711.jpg";

  static final String TRAVERSAL_NAME = "../../etc/passwd";

  /** What a streamed oversize upload may have sent before the server answers and stops reading. */
  static final long MOST_BYTES_SENT = 16L << 20;

  /** Strings that would reveal internals, or echo what the client sent, in an error body. */
  static final List<String> LEAKS =
      List.of(
          "Exception",
          "\tat ",
          "dev.resnetserving",
          "java.",
          "javax.",
          "org.springframework",
          "org.apache",
          "Tomcat",
          "com.twelvemonkeys",
          "tools.jackson",
          "ai.djl",
          UPLOAD_NAME,
          "passwd",
          "<script");

  @LocalServerPort int port;
  HttpTestClient client;

  @BeforeEach
  void connect() {
    client = new HttpTestClient(port);
  }

  /** A request to send. */
  interface Call {
    Response send(HttpTestClient client, int port) throws Exception;
  }

  /**
   * A bad request and the problem it must get back.
   *
   * @param type the full problem type, or {@code about:blank} for Spring's own problems
   */
  record Problem(String name, int status, String type, Call call) {
    @Override
    public String toString() {
      return name + " -> " + status;
    }
  }

  /**
   * An odd but valid request that must be classified.
   *
   * @param sameAs a committed image whose probabilities it must get, or null
   */
  record Classified(String name, String sameAs, Call call) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Problem> problems() throws Exception {
    byte[] photo = Fixtures.image("china.jpg");
    byte[] png = Fixtures.image("chelsea.png");
    List<Problem> rows = new ArrayList<>();

    // The shape of the request
    rows.add(problem("empty raw body", 400, "empty-image", raw("image/jpeg", new byte[0])));
    rows.add(problem("no content type, no body", 400, "empty-image", raw(null, new byte[0])));
    rows.add(
        problem(
            "no image part",
            400,
            "missing-image",
            parts(new Part("other", null, null, "x".getBytes(StandardCharsets.US_ASCII)))));
    rows.add(
        problem(
            "wrong part name",
            400,
            "missing-image",
            parts(new Part("file", UPLOAD_NAME, "image/jpeg", photo))));
    rows.add(problem("empty image part", 400, "empty-image", parts(part(new byte[0]))));
    for (String topK : List.of("0", "-1", "1001", "99999999999999999999", "five", "", "2.5")) {
      rows.add(
          problem(
              "topK '" + topK + "'",
              400,
              "invalid-top-k",
              (c, p) -> c.postMultipart(CLASSIFY + "?topK=" + topK, List.of(part(photo)))));
    }
    rows.add(
        problem(
            "JSON content type",
            415,
            "unsupported-content-type",
            raw("application/json", "{}".getBytes())));
    rows.add(
        problem(
            "text/plain content type", 415, "unsupported-content-type", raw("text/plain", photo)));
    rows.add(
        problem(
            "multipart without a boundary",
            400,
            "invalid-multipart",
            (c, p) ->
                c.send(
                    classify(p)
                        .header("Content-Type", "multipart/form-data")
                        .POST(
                            HttpRequest.BodyPublishers.ofByteArray(
                                HttpTestClient.multipart("b", List.of(part(photo))))))));
    rows.add(
        problem(
            "multipart cut before its closing boundary",
            400,
            "invalid-multipart",
            (c, p) ->
                c.send(
                    classify(p)
                        .header("Content-Type", "multipart/form-data; boundary=b")
                        .POST(
                            HttpRequest.BodyPublishers.ofByteArray(
                                Arrays.copyOf(
                                    HttpTestClient.multipart("b", List.of(part(photo))), 1000))))));
    rows.add(
        problem(
            "chunked body with a malformed chunk size",
            400,
            "about:blank",
            (c, p) ->
                StreamedUpload.sendAsIs(
                    p,
                    "POST "
                        + CLASSIFY
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                    "10\r\n0123456789abcdef\r\nzz\r\n".getBytes(StandardCharsets.US_ASCII))));
    rows.add(
        problem("GET instead of POST", 405, "about:blank", (c, p) -> c.send(classify(p).GET())));

    // Not an image of a supported format, whatever the declared type
    rows.add(
        problem(
            "text declared as JPEG",
            415,
            "unsupported-image",
            raw("image/jpeg", "hello, world".getBytes(StandardCharsets.UTF_8))));
    rows.add(
        problem(
            "HTML as a part",
            415,
            "unsupported-image",
            parts(part("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8)))));
    rows.add(
        problem(
            "PDF text",
            415,
            "unsupported-image",
            raw("image/jpeg", "%PDF-1.4\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1))));
    rows.add(
        problem(
            "TIFF, big-endian header",
            415,
            "unsupported-image",
            raw("image/tiff", new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0})));
    rows.add(
        problem(
            "AVIF header",
            415,
            "unsupported-image",
            raw(
                "image/avif",
                "\0\0\0\u001cftypavif\0\0\0\0avifmif1".getBytes(StandardCharsets.ISO_8859_1))));
    for (String file :
        List.of(
            "page.html",
            "document.pdf",
            "archive.zip",
            "drawing.svg",
            "image.tif",
            "image.psd",
            "favicon.ico",
            "image.jp2",
            "zip-then-jpeg.zip",
            "html-then-png.html")) {
      rows.add(
          problem(
              file + " declared as JPEG",
              415,
              "unsupported-image",
              raw("image/jpeg", badInput(file))));
    }
    rows.add(
        problem(
            "traversal file name on a PDF",
            415,
            "unsupported-image",
            parts(new Part("image", TRAVERSAL_NAME, "image/jpeg", badInput("document.pdf")))));

    // A supported format that cannot be decoded
    rows.add(
        problem(
            "truncated JPEG",
            422,
            "corrupt-image",
            raw("image/jpeg", Arrays.copyOf(photo, photo.length / 2))));
    rows.add(
        problem(
            "JPEG without end marker",
            422,
            "corrupt-image",
            raw("image/jpeg", Arrays.copyOf(photo, photo.length - 2))));
    rows.add(
        problem(
            "truncated PNG",
            422,
            "corrupt-image",
            raw("image/png", Arrays.copyOf(png, png.length / 3))));
    for (String file :
        List.of(
            "jpeg-bad-huffman-table.jpg",
            "jpeg-bad-huffman-code.jpg",
            "jpeg-zero-width.jpg",
            "jpeg-zero-height.jpg",
            "jpeg-markers-only.jpg",
            "jpeg-101-scans.jpg",
            "png-bad-crc-ihdr.png",
            "png-bad-crc-idat.png",
            "png-zero-width.png",
            "png-bit-depth-3.png",
            "png-no-idat.png",
            "bmp-zero-width.bmp",
            "bmp-negative-width.bmp",
            "gif-no-frame.gif",
            "webp-riff-size-huge.webp")) {
      rows.add(problem(file, 422, "corrupt-image", parts(part(badInput(file)))));
    }
    rows.add(
        problem(
            "fuzzer finding: lossless WebP whose codes run past its data",
            422,
            "corrupt-image",
            parts(part(fuzzerFinding("timeout-d5a956f056f327c42f56046b28562dca0da93016")))));
    rows.add(
        problem(
            "jpeg-20000-scans.jpg",
            422,
            "corrupt-image",
            parts(part(badInput("jpeg-20000-scans.jpg")))));

    // More pixels than resnet.images.max-pixels, told from the header
    for (String file :
        List.of(
            "png-65535x65535.png",
            "jpeg-65535x65535.jpg",
            "gif-65535x65535-screen.gif",
            "webp-vp8x-16384x16384.webp")) {
      rows.add(problem(file, 422, "image-too-large", parts(part(badInput(file)))));
    }
    rows.add(
        problem(
            "decodable 1200x1000 PNG",
            422,
            "image-too-large",
            raw("image/png", blankPng(1200, 1000))));

    // Too many bytes or parts: refused before the body is read whole
    rows.add(
        problem(
            "raw body over the byte limit",
            413,
            "too-large",
            raw("image/jpeg", new byte[400 * 1024])));
    rows.add(
        problem("part over the byte limit", 413, "too-large", parts(part(new byte[400 * 1024]))));
    rows.add(
        problem(
            "too many images",
            413,
            "too-large",
            (c, p) -> c.postMultipart(CLASSIFY, Collections.nCopies(4, part(photo)))));
    rows.add(
        problem(
            "more parts than Tomcat takes",
            413,
            "too-large",
            (c, p) ->
                c.postMultipart(
                    CLASSIFY,
                    Collections.nCopies(60, new Part("note", null, null, new byte[] {1})))));
    rows.add(
        problem(
            "raw body declaring 1 GiB, streamed",
            413,
            "too-large",
            (c, p) -> StreamedUpload.raw(p, false).send(MOST_BYTES_SENT)));
    rows.add(
        problem(
            "raw body without end, chunked",
            413,
            "too-large",
            (c, p) -> StreamedUpload.raw(p, true).send(MOST_BYTES_SENT)));
    rows.add(
        problem(
            "multipart declaring 1 GiB, streamed",
            413,
            "too-large",
            (c, p) -> StreamedUpload.multipart(p, false).send(MOST_BYTES_SENT)));
    rows.add(
        problem(
            "image part without end, chunked",
            413,
            "too-large",
            (c, p) -> StreamedUpload.multipart(p, true).send(MOST_BYTES_SENT)));
    return rows.stream();
  }

  static Stream<Classified> classified() throws Exception {
    List<Classified> rows = new ArrayList<>();
    for (String image :
        List.of(
            "variant-cmyk.jpg",
            "variant-ycck.jpg",
            "variant-rgb16.png",
            "variant-gray16.png",
            "variant-grayscale.jpg",
            "variant-grayscale.png",
            "variant-grayscale-alpha.png",
            "variant-bilevel.png",
            "variant-palette-transparency.png",
            "variant-rgba.png",
            "variant-interlaced.png",
            "variant-progressive.jpg",
            "variant-exif-orientation-6.jpg",
            "variant-exif-orientation-6.png",
            "variant-lossless.webp",
            "variant-lossy.webp",
            "variant-rgb.bmp",
            "variant-rgba.bmp",
            "variant-animated.gif",
            "variant-odd-portrait-211x299.jpg")) {
      rows.add(
          new Classified(
              image,
              null,
              (c, p) -> c.postMultipart(ALL_CLASSES, List.of(part(Fixtures.image(image))))));
    }
    rows.add(sameAs("gifar.gif", "variant-animated.gif"));
    rows.add(sameAs("jpeg-zip-polyglot.jpg", "variant-small-100x80.jpg"));
    rows.add(sameAs("png-html-comment.png", "variant-grayscale.png"));
    rows.add(sameAs("jpeg-html-comment.jpg", "variant-small-100x80.jpg"));
    rows.add(sameAs("exif-ifd-count-65535.jpg", "variant-small-100x80.jpg"));
    rows.add(sameAs("exif-ifd-loop.jpg", "variant-small-100x80.jpg"));
    rows.add(sameAs("exif-huge-value-count.jpg", "variant-small-100x80.jpg"));
    rows.add(sameAs("png-ztxt-bomb.png", "variant-grayscale.png"));
    rows.add(sameAs("png-bad-crc-late-text.png", "variant-grayscale.png"));
    rows.add(sameAs("bmp-top-down.bmp", "variant-rgb.bmp"));
    rows.add(sameAs("gif-5000-frames.gif", "variant-animated.gif"));
    rows.add(
        new Classified(
            "jpeg-100-scans.jpg",
            null,
            (c, p) -> c.postMultipart(ALL_CLASSES, List.of(part(badInput("jpeg-100-scans.jpg"))))));

    byte[] png = Fixtures.image("variant-grayscale.png");
    byte[] jpeg = Fixtures.image("variant-small-100x80.jpg");
    rows.add(
        new Classified(
            "traversal file name",
            "variant-small-100x80.jpg",
            (c, p) ->
                c.postMultipart(
                    ALL_CLASSES, List.of(new Part("image", TRAVERSAL_NAME, "image/jpeg", jpeg)))));
    rows.add(
        new Classified(
            "PNG declared as JPEG",
            "variant-grayscale.png",
            (c, p) -> c.postRaw(ALL_CLASSES, "image/jpeg", png)));
    rows.add(
        new Classified(
            "JPEG as application/octet-stream",
            "variant-small-100x80.jpg",
            (c, p) -> c.postRaw(ALL_CLASSES, "application/octet-stream", jpeg)));
    rows.add(
        new Classified(
            "JPEG without a content type",
            "variant-small-100x80.jpg",
            (c, p) -> c.postRaw(ALL_CLASSES, null, jpeg)));
    rows.add(
        new Classified(
            "JPEG as an unknown image subtype",
            "variant-small-100x80.jpg",
            (c, p) -> c.postRaw(ALL_CLASSES, "image/x-anything", jpeg)));
    rows.add(
        new Classified(
            "part declared text/plain, named .exe",
            "variant-small-100x80.jpg",
            (c, p) ->
                c.postMultipart(
                    ALL_CLASSES, List.of(new Part("image", "setup.exe", "text/plain", jpeg)))));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void answersWithAProblemAndKeepsServing(Problem row) throws Exception {
    Response response = row.call().send(client, port);

    assertThat(response.status()).as(response.body()).isEqualTo(row.status());
    assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(row.status());
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("detail").asString()).isNotBlank();
    assertThat(problem.path("type").asString("about:blank")).isEqualTo(row.type());
    assertThat(response.body()).doesNotContain(LEAKS);

    Response next = client.postMultipart(CLASSIFY, List.of(part(Fixtures.image("china.jpg"))));
    assertThat(next.status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classified")
  void classifiesOddButValidImages(Classified row) throws Exception {
    Response response = row.call().send(client, port);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).doesNotContain(LEAKS);
    float[] probabilities = probabilities(response);
    double sum = 0;
    for (float probability : probabilities) {
      assertThat(probability).isBetween(0f, 1f);
      sum += probability;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-4));
    if (row.sameAs() != null) {
      Response alone =
          client.postMultipart(ALL_CLASSES, List.of(part(Fixtures.image(row.sameAs()))));
      float[] expected = probabilities(alone);
      for (int i = 0; i < expected.length; i++) {
        assertThat(probabilities[i]).as("class %d", i).isCloseTo(expected[i], within(1e-5f));
      }
    }
  }

  /** All 1000 probabilities of the only result, by class index, checking they come sorted. */
  private static float[] probabilities(Response response) {
    JsonNode results = response.json().get("results");
    assertThat(results).hasSize(1);
    JsonNode predictions = results.get(0).get("predictions");
    assertThat(predictions).hasSize(1000);
    float[] byIndex = new float[1000];
    Arrays.fill(byIndex, Float.NaN);
    float previous = Float.MAX_VALUE;
    for (JsonNode prediction : predictions) {
      float probability = prediction.get("probability").floatValue();
      assertThat(probability).isLessThanOrEqualTo(previous);
      previous = probability;
      int index = prediction.get("index").asInt();
      assertThat(byIndex[index]).as("class %d listed once", index).isNaN();
      byIndex[index] = probability;
    }
    return byIndex;
  }

  private static Problem problem(String name, int status, String slug, Call call) {
    String type = slug.equals("about:blank") ? slug : ProblemDetailsAdvice.TYPE_PREFIX + slug;
    return new Problem(name, status, type, call);
  }

  private static Classified sameAs(String badInput, String image) {
    byte[] bytes = badInput(badInput);
    return new Classified(
        badInput, image, (c, p) -> c.postMultipart(ALL_CLASSES, List.of(part(bytes))));
  }

  private static Call raw(String contentType, byte[] body) {
    return (c, p) -> c.postRaw(CLASSIFY, contentType, body);
  }

  private static Call parts(Part... parts) {
    return (c, p) -> c.postMultipart(CLASSIFY, List.of(parts));
  }

  private static HttpRequest.Builder classify(int port) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + CLASSIFY));
  }

  private static Part part(byte[] content) {
    return new Part("image", UPLOAD_NAME, "image/jpeg", content);
  }

  static byte[] badInput(String name) {
    return read(BAD_INPUTS.resolve(name));
  }

  /** An input kept by the Jazzer fuzz test of the image decoder (docs/fuzzing.md). */
  static byte[] fuzzerFinding(String name) {
    return read(FUZZ_INPUTS.resolve(name));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] blankPng(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    return out.toByteArray();
  }
}
