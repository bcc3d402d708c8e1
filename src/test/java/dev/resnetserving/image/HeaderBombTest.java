package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny files declaring billions of pixels are refused from their headers: in milliseconds, and
 * allocating next to nothing where decoding would need gigabytes.
 */
class HeaderBombTest {

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);
  private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "png-65535x65535.png",
        "jpeg-65535x65535.jpg",
        "gif-65535x65535-screen.gif",
        "webp-vp8x-16384x16384.webp"
      })
  void isRefusedFromTheHeaderWithAFlatHeap(String file) {
    byte[] bomb = ReferenceFixtures.bytes("bad-inputs/" + file);
    assertThatThrownBy(() -> preprocessor.preprocess(bomb)).isInstanceOf(ImageTooLargeException.class);

    long thread = Thread.currentThread().getId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long started = System.nanoTime();
    assertThatThrownBy(() -> preprocessor.preprocess(bomb)).isInstanceOf(ImageTooLargeException.class);
    long millis = (System.nanoTime() - started) / 1_000_000;
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;

    System.out.printf("%s (%d bytes): refused in %d ms, %d kB allocated%n", file, bomb.length, millis, allocated / 1024);
    assertThat(millis).isLessThan(250);
    assertThat(allocated).as("bytes allocated").isLessThan(2L << 20);
  }
}
