package dev.resnetserving.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until the service answers 200 on /readyz, polled from the host. Testcontainers' HTTP wait
 * cannot be used: with host networking there is no mapped port. Gives up at once when the container
 * exits.
 */
final class ReadyzWaitStrategy extends AbstractWaitStrategy {

  private static final Duration POLL = Duration.ofMillis(250);

  private final URI readyz;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  ReadyzWaitStrategy(URI readyz) {
    this.readyz = readyz;
  }

  @Override
  protected void waitUntilReady() {
    Instant deadline = Instant.now().plus(startupTimeout);
    int lastStatus = -1;
    while (Instant.now().isBefore(deadline)) {
      if (!waitStrategyTarget.isRunning()) {
        throw new ContainerLaunchException(
            "the container exited before " + readyz + " answered 200");
      }
      lastStatus = status();
      if (lastStatus == 200) {
        return;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerLaunchException("interrupted while waiting for " + readyz, e);
      }
    }
    throw new ContainerLaunchException(
        readyz
            + " did not answer 200 within "
            + startupTimeout
            + " (last status "
            + lastStatus
            + ")");
  }

  /** The HTTP status, or -1 while nothing listens yet. */
  private int status() {
    HttpRequest request =
        HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerLaunchException("interrupted while waiting for " + readyz, e);
    }
  }
}
