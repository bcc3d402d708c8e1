package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny files declaring billions of pixels are refused from their headers, allocating next to
 * nothing where decoding would need gigabytes. Allocation, not the clock, is what is asserted: it
 * does not change with the machine's load.
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
    assertThatThrownBy(() -> preprocessor.preprocess(bomb))
        .isInstanceOf(ImageTooLargeException.class);

    long thread = Thread.currentThread().getId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    assertThatThrownBy(() -> preprocessor.preprocess(bomb))
        .isInstanceOf(ImageTooLargeException.class);
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;

    assertThat(allocated).as("bytes allocated").isLessThan(2L << 20);
  }
}
