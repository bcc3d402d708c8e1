package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.Fixtures;
import dev.resnetserving.support.HttpTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Uploads are admitted by the bytes they will bring: while slow uploads hold the budget, a new one
 * is refused with 503 before a byte of its body is read, and the budget comes back when the slow
 * clients finish or go away.
 */
@Timeout(60)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "resnet.model.uri=src/test/resources/models/tiny-resnet",
      "management.server.port=0",
      "resnet.images.max-bytes=700KB",
      "resnet.images.max-bytes-in-flight=1MB"
    })
class UploadAdmissionIT {

  @LocalServerPort int port;

  @Test
  void refusesUploadsBeyondTheBudgetUntilItIsFreed() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", port)) {
      OutputStream out = slow.getOutputStream();
      out.write(headers(600_000).getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1000]);
      out.flush();
      Thread.sleep(300);

      assertThat(statusLineOf(headers(600_000))).contains(" 503 ");
      assertThat(
              new HttpTestClient(port)
                  .postRaw("/v1/classify", "image/jpeg", Fixtures.image("china.jpg"))
                  .status())
          .as("a small upload still fits beside the slow one")
          .isEqualTo(200);
    }
    // The slow client went away: its charge is released once the server notices.
    int status = 503;
    for (int attempt = 0; attempt < 50 && status == 503; attempt++) {
      Thread.sleep(100);
      status = statusOf(600_000);
    }
    assertThat(status)
        .as("a body of zeros is no image, but it was admitted and read")
        .isEqualTo(415);
  }

  private static String headers(int contentLength) {
    return "POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
        + "Content-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  /** Sends only the headers of an upload and reads the status line the server answers with. */
  private String statusLineOf(String headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  /** Sends a whole upload of zeros and returns the status. */
  private int statusOf(int contentLength) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(headers(contentLength).getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[contentLength]);
      out.flush();
      String line =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(line.split(" ")[1]);
    }
  }
}
