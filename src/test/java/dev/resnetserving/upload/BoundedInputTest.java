package dev.resnetserving.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedInputTest {

  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void readsABodyUpToItsLimit() throws IOException {
    byte[] body = {1, 2, 3, 4};

    assertThat(BoundedInput.of(new ByteArrayInputStream(body), 4, 4, TooLarge::new).readAll())
        .isEqualTo(body);
    assertThat(BoundedInput.of(new ByteArrayInputStream(body), -1, 5, TooLarge::new).readAll())
        .isEqualTo(body);
  }

  @Test
  void refusesADeclaredLengthOverTheLimitBeforeReadingAByte() {
    AtomicLong served = new AtomicLong();
    InputStream body = endless(served);

    assertThatThrownBy(() -> BoundedInput.of(body, 5, 4, TooLarge::new))
        .isInstanceOf(TooLarge.class);
    assertThat(served).hasValue(0);
  }

  @Test
  void refusesAnEndlessBodyOfUnknownLengthOnceItPassesTheLimit() {
    AtomicLong served = new AtomicLong();

    assertThatThrownBy(() -> BoundedInput.of(endless(served), -1, 1000, TooLarge::new).readAll())
        .isInstanceOf(TooLarge.class);
    assertThat(served.get()).isGreaterThan(1000).isLessThan(1000 + 8192 + 1);
  }

  @Test
  void refusesABodyLongerThanItsFalseContentLength() {
    byte[] body = new byte[10];

    assertThatThrownBy(
            () -> BoundedInput.of(new ByteArrayInputStream(body), 3, 8, TooLarge::new).readAll())
        .isInstanceOf(TooLarge.class);
  }

  /** Zeros without end, counting what was handed out. */
  static InputStream endless(AtomicLong served) {
    return new InputStream() {
      @Override
      public int read() {
        served.incrementAndGet();
        return 0;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        served.addAndGet(length);
        return length;
      }
    };
  }
}
