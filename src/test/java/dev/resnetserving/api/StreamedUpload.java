package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.HttpTestClient.Response;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An upload over a plain loopback socket that would send a gibibyte: it writes until the server
 * answers (or closes the connection) and counts what it wrote, which bounds what the server read. A
 * plain socket shows exactly how much went out before the answer, and stops sending at once.
 */
final class StreamedUpload {

  static final long DECLARED_BYTES = 1L << 30;
  private static final String BOUNDARY = "streamed-upload-boundary";
  private static final byte[] BLOCK = filled(64 * 1024, (byte) 0x55);

  private final int port;
  private final String description;
  private final String head;
  private final byte[] preamble;
  private final boolean chunked;

  private StreamedUpload(int port, String contentType, byte[] preamble, boolean chunked) {
    this.port = port;
    this.preamble = preamble;
    this.chunked = chunked;
    this.description = contentType.split(";")[0] + (chunked ? ", chunked" : ", declaring 1 GiB");
    this.head =
        "POST /v1/classify HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Content-Type: "
            + contentType
            + "\r\n"
            + (chunked
                ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + DECLARED_BYTES + "\r\n")
            + "Connection: close\r\n\r\n";
  }

  /** A raw image body: declaring its gibibyte, or chunked without an end. */
  static StreamedUpload raw(int port, boolean chunked) {
    return new StreamedUpload(port, "image/jpeg", new byte[0], chunked);
  }

  /** A multipart body whose one image part goes on for a gibibyte, or without an end. */
  static StreamedUpload multipart(int port, boolean chunked) {
    String partHead =
        "--"
            + BOUNDARY
            + "\r\n"
            + "Content-Disposition: form-data; name=\"image\"; filename=\""
            + BadInputsIT.UPLOAD_NAME
            + "\"\r\n"
            + "Content-Type: image/jpeg\r\n\r\n";
    return new StreamedUpload(
        port,
        "multipart/form-data; boundary=" + BOUNDARY,
        partHead.getBytes(StandardCharsets.US_ASCII),
        chunked);
  }

  /** Sends a request exactly as given, head and body, and reads the answer. */
  static Response sendAsIs(int port, String head, byte[] body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /** Sends until the server answers, and checks that it answered within {@code mostBytes}. */
  Response send(long mostBytes) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      CompletableFuture<Response> answer =
          CompletableFuture.supplyAsync(
              () -> read(in), task -> new Thread(task, "streamed-upload-reader").start());
      // Unblocks a write that waits on a server that answered but no longer reads.
      answer.whenComplete((response, failure) -> close(socket));
      OutputStream out = socket.getOutputStream();
      long sent = 0;
      try {
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        write(out, preamble);
        while (!answer.isDone() && sent < DECLARED_BYTES) {
          write(out, BLOCK);
          sent += BLOCK.length;
        }
      } catch (IOException e) {
        // the server closed the connection after answering
      }
      Response response = answer.get(30, TimeUnit.SECONDS);
      System.out.printf(
          "%s: answered %d after %d kB sent%n", description, response.status(), sent / 1024);
      assertThat(sent).as("bytes sent before the server answered").isLessThan(mostBytes);
      return response;
    }
  }

  private void write(OutputStream out, byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      return;
    }
    if (chunked) {
      out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    out.write(bytes);
    if (chunked) {
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** An HTTP/1.1 response: status line, headers, then a body of known length, chunked or to EOF. */
  private static Response read(InputStream socketInput) {
    try {
      InputStream in = new BufferedInputStream(socketInput);
      int status = Integer.parseInt(line(in).split(" ")[1]);
      Map<String, String> headers = new HashMap<>();
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).strip());
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).split(";")[0], 16);
            size > 0;
            size = Integer.parseInt(line(in).split(";")[0], 16)) {
          out.write(in.readNBytes(size));
          line(in);
        }
        body = out.toByteArray();
      } else if (headers.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      } else {
        body = in.readAllBytes();
      }
      return new Response(
          status,
          headers.getOrDefault("content-type", ""),
          new String(body, StandardCharsets.UTF_8),
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in the middle of the response");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }
}
