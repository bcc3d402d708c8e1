package dev.resnetserving.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Runs a test class only where a Docker engine answers a ping at DOCKER_HOST (or the default
 * socket), and otherwise skips it with one line saying why. Testcontainers' own check logs every
 * strategy it tried as an ERROR, which reads as a failure in a build that succeeds.
 */
final class DockerEngineCondition implements ExecutionCondition {

  private static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String host = System.getenv().getOrDefault("DOCKER_HOST", DEFAULT_HOST);
    String problem = ping(host);
    if (problem == null) {
      return ConditionEvaluationResult.enabled("a Docker engine answers at " + host);
    }
    String reason =
        "Skipped: no Docker engine at " + host + " (" + problem + "); .ci/run starts one";
    LoggerFactory.getLogger(context.getRequiredTestClass()).warn(reason);
    return ConditionEvaluationResult.disabled(reason);
  }

  /** Null when the engine answers {@code GET /_ping} with 200, else what went wrong. */
  static String ping(String host) {
    URI uri = URI.create(host);
    try (SocketChannel channel = open(uri)) {
      channel.write(
          ByteBuffer.wrap(
              "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer answer = ByteBuffer.allocate(64);
      channel.read(answer);
      String statusLine =
          new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
      return statusLine.startsWith("HTTP/1.") && statusLine.contains(" 200 ")
          ? null
          : "it answered " + statusLine.lines().findFirst().orElse("nothing");
    } catch (IOException | RuntimeException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  private static SocketChannel open(URI uri) throws IOException {
    switch (uri.getScheme()) {
      case "unix" -> {
        Path socket = Path.of(uri.getPath());
        if (!Files.exists(socket)) {
          throw new IOException("no socket " + socket);
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
      }
      case "tcp" -> {
        return SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
      }
      default -> throw new IOException("unsupported scheme " + uri.getScheme());
    }
  }
}
