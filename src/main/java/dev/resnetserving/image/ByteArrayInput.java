package dev.resnetserving.image;

import java.io.IOException;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The encoded image as an ImageIO stream, failing a reader that goes on reading past the end.
 *
 * <p>TwelveMonkeys' lossless WebP decoder takes the end of its data for more bits and carries on: a
 * tiny file found by the fuzzer kept it busy for seconds and allocating gigabytes before it
 * "decoded" (docs/preprocessing.md), where libwebp refuses the file at once. A reader that tops up
 * a buffer near the end of valid data runs into the end a few times; one reading on and on is
 * decoding data that is not there.
 */
final class ByteArrayInput extends ImageInputStreamImpl {

  static final int MAX_READS_PAST_END = 256;

  private byte[] data;
  private int readsPastEnd;

  ByteArrayInput(byte[] data) {
    this.data = data;
  }

  /**
   * Lets go of the image at once: {@link ImageInputStreamImpl} has a finalizer, so this object
   * outlives its last use by a GC cycle or more, and would keep every upload's bytes with it.
   */
  @Override
  public void close() throws IOException {
    super.close();
    data = null;
  }

  @Override
  public int read() throws IOException {
    checkClosed();
    bitOffset = 0;
    if (streamPos >= data.length) {
      return pastEnd();
    }
    return data[(int) streamPos++] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    checkClosed();
    Objects.checkFromIndexSize(offset, length, buffer.length);
    bitOffset = 0;
    if (length == 0) {
      return 0;
    }
    if (streamPos >= data.length) {
      return pastEnd();
    }
    int count = (int) Math.min(length, data.length - streamPos);
    System.arraycopy(data, (int) streamPos, buffer, offset, count);
    streamPos += count;
    return count;
  }

  @Override
  public long length() {
    return data.length;
  }

  int readsPastEnd() {
    return readsPastEnd;
  }

  private int pastEnd() throws IIOException {
    if (++readsPastEnd > MAX_READS_PAST_END) {
      throw new IIOException("Read " + readsPastEnd + " times past the end of the data");
    }
    return -1;
  }
}
