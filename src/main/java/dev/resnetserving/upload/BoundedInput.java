package dev.resnetserving.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body read within a limit, refused as soon as it passes it: neither a false
 * Content-Length nor a chunked body can make the service buffer more than the limit. Each door says
 * what passing the limit means in its own protocol.
 */
public final class BoundedInput extends InputStream {

  private final InputStream in;
  private final long limit;
  private final Supplier<? extends RuntimeException> tooLarge;
  private long read;

  private BoundedInput(InputStream in, long limit, Supplier<? extends RuntimeException> tooLarge) {
    this.in = in;
    this.limit = limit;
    this.tooLarge = tooLarge;
  }

  /**
   * @param declaredLength the Content-Length, or -1 when unknown (chunked): one over the limit is
   *     refused before a byte is read
   * @param tooLarge what to throw once the body passes {@code limit} bytes
   */
  public static BoundedInput of(
      InputStream in,
      long declaredLength,
      long limit,
      Supplier<? extends RuntimeException> tooLarge) {
    if (declaredLength > limit) {
      throw tooLarge.get();
    }
    return new BoundedInput(in, limit, tooLarge);
  }

  /** Everything left, which is at most the limit. */
  public byte[] readAll() throws IOException {
    return readNBytes(Math.toIntExact(Math.min(limit - read + 1, Integer.MAX_VALUE - 8)));
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) {
    read += n;
    if (read > limit) {
      throw tooLarge.get();
    }
  }
}
