package dev.resnetserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image the project's Dockerfile builds from the packaged jar, run the way the Helm chart runs
 * it: non-root, read-only root filesystem with tmpfs for /tmp and the DJL cache, the tiny test
 * model mounted read-only, offline. Host networking only (no bridge on CI machines), so the service
 * listens on free loopback ports given by environment variables.
 *
 * <p>Without a registry, set RESNET_BASE_IMAGE and RESNET_BUILDER_IMAGE to the images
 * docker/build-base-image makes (.ci/run does); otherwise the Dockerfile's public defaults are
 * pulled.
 */
@ExtendWith(DockerEngineCondition.class)
@Testcontainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerImageIT {

  /**
   * Two shutdown phases of the service's default spring.lifecycle.timeout-per-shutdown-phase (30s).
   */
  private static final Duration GRACE = Duration.ofSeconds(60);

  private static final int SIGTERM_EXIT_CODE = 128 + 15;

  private static final int HTTP_PORT = freePort();
  private static final int MANAGEMENT_PORT = freePort();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Container
  private static final GenericContainer<?> SERVICE =
      new GenericContainer<>(image())
          .withNetworkMode("host")
          .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true))
          .withTmpFs(
              Map.of("/tmp", "rw,size=256m", "/var/cache/djl", "rw,size=64m,uid=10001,gid=10001"))
          .withFileSystemBind(
              resource("models/tiny-resnet").toString(), "/models/tiny-resnet", BindMode.READ_ONLY)
          .withEnv("RESNET_MODEL_URI", "file:/models/tiny-resnet")
          .withEnv("DJL_OFFLINE", "true")
          .withEnv("SERVER_ADDRESS", "127.0.0.1")
          .withEnv("SERVER_PORT", Integer.toString(HTTP_PORT))
          .withEnv("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1")
          .withEnv("MANAGEMENT_SERVER_PORT", Integer.toString(MANAGEMENT_PORT))
          .withLogConsumer(
              new Slf4jLogConsumer(LoggerFactory.getLogger("resnet-serving-container")))
          .waitingFor(
              new ReadyzWaitStrategy(service("/readyz")).withStartupTimeout(Duration.ofMinutes(3)));

  @Test
  @Order(1)
  void imageRunsAsNonRootAndExposesBothPorts() {
    InspectImageResponse image = docker().inspectImageCmd(SERVICE.getDockerImageName()).exec();

    assertThat(image.getConfig().getUser()).isEqualTo("10001:10001");
    assertThat(image.getConfig().getExposedPorts())
        .extracting(Object::toString)
        .contains("8080/tcp", "8081/tcp", "9090/tcp");
    assertThat(image.getConfig().getLabels())
        .containsEntry("org.opencontainers.image.title", "resnet-serving");
    assertThat(image.getConfig().getEnv())
        .contains(
            "DJL_CACHE_DIR=/var/cache/djl",
            "ENGINE_CACHE_DIR=/opt/djl/engines",
            "RESNET_IMAGES_JPEG_DECODER=libjpeg-turbo");
  }

  @Test
  @Order(2)
  void classifiesAPhotoLikePyTorch() throws IOException, InterruptedException {
    HttpResponse<String> response =
        classify("china.jpg", Files.readAllBytes(resource("images/china.jpg")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(SERVICE.getLogs()).contains("JPEG decoder: libjpeg-turbo");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("model").asString()).isEqualTo("tiny-resnet");
    Map<Integer, Double> probabilities = new HashMap<>();
    for (JsonNode prediction : body.get("results").get(0).get("predictions")) {
      probabilities.put(prediction.get("index").asInt(), prediction.get("probability").asDouble());
    }
    JsonNode reference =
        JSON.readTree(resource("references/china.jpg.tiny-resnet.json").toFile())
            .get("probabilities");
    assertThat(probabilities).hasSize(reference.size());
    for (int index = 0; index < reference.size(); index++) {
      assertThat(probabilities.get(index))
          .as("class %d", index)
          .isCloseTo(reference.get(index).asDouble(), within(1e-4));
    }
  }

  @Test
  @Order(3)
  void exposesTheServiceMetricsOnTheManagementPort() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/actuator/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ServiceMetrics.mentionedIn(response.body())).containsAll(ServiceMetrics.AT_START);
    assertThat(response.body())
        .containsPattern("resnet_requests_total\\{[^}]*outcome=\"success\"[^}]*} [1-9]");
  }

  @Test
  @Order(4)
  void stopsCleanlyOnSigtermWithinTheGracePeriod() {
    String id = SERVICE.getContainerId();
    long started = System.nanoTime();

    docker().killContainerCmd(id).withSignal("TERM").exec();
    Integer exitCode =
        docker()
            .waitContainerCmd(id)
            .exec(new WaitContainerResultCallback())
            .awaitStatusCode(GRACE.toSeconds(), TimeUnit.SECONDS);

    // The JVM ends with 128 + SIGTERM after its shutdown hooks (Spring's graceful shutdown) ran;
    // a crash in libtorch would give 134 or 139, the kubelet's SIGKILL 137.
    assertThat(exitCode).isEqualTo(SIGTERM_EXIT_CODE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GRACE);
    assertThat(SERVICE.getLogs())
        .doesNotContain("A fatal error has been detected by the Java Runtime Environment");
  }

  /**
   * The project's Dockerfile with a build context of exactly the files it copies, the jar from this
   * build's output directory at the path the Dockerfile expects.
   */
  private static ImageFromDockerfile image() {
    Path root = Path.of("").toAbsolutePath();
    ImageFromDockerfile image =
        new ImageFromDockerfile("resnet-serving:it", false)
            .withFileFromPath("Dockerfile", root.resolve("Dockerfile"))
            .withFileFromPath(
                "docker/PrepareEngine.java", root.resolve("docker/PrepareEngine.java"))
            .withFileFromPath("target/resnet-serving.jar", packagedJar())
            .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"));
    buildArgFromEnv(image, "BASE_IMAGE", "RESNET_BASE_IMAGE");
    buildArgFromEnv(image, "BUILDER_IMAGE", "RESNET_BUILDER_IMAGE");
    return image;
  }

  private static void buildArgFromEnv(ImageFromDockerfile image, String arg, String variable) {
    String value = System.getenv(variable);
    if (value != null && !value.isBlank()) {
      image.withBuildArg(arg, value);
    }
  }

  /** The jar Maven's package phase made, in the build directory the test classes live in. */
  private static Path packagedJar() {
    Path testClasses = codeSource();
    Path jar = testClasses.getParent().resolve("resnet-serving.jar");
    assertThat(jar).as("the packaged jar (failsafe runs after package)").isRegularFile();
    return jar;
  }

  private static Path codeSource() {
    try {
      return Path.of(
          DockerImageIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(DockerImageIT.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static URI service(String path) {
    return URI.create("http://127.0.0.1:" + HTTP_PORT + path);
  }

  private static HttpResponse<String> classify(String fileName, byte[] image)
      throws IOException, InterruptedException {
    String boundary = UUID.randomUUID().toString();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"image\"; filename=\""
                + fileName
                + "\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(image);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpRequest request =
        HttpRequest.newBuilder(service("/v1/classify?topK=1000"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
