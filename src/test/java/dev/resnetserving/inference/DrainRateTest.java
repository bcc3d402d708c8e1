package dev.resnetserving.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainRateTest {

  private static final long MS = 1_000_000;

  @Test
  void knowsNoRateBeforeTwoBatches() {
    DrainRate rate = new DrainRate();
    assertThat(rate.timeFor(10)).isEmpty();
    rate.drained(4, 0);
    assertThat(rate.timeFor(10)).isEmpty();
  }

  @Test
  void aSteadyDrainGivesTheTimeTheQueueNeeds() {
    DrainRate rate = new DrainRate();
    // 4 images every 100 ms: 40 images per second, for a minute.
    for (long t = 0; t <= 60_000; t += 100) {
      rate.drained(4, t * MS);
    }
    assertThat(rate.timeFor(80).orElseThrow())
        .isBetween(Duration.ofMillis(1950), Duration.ofMillis(2050));
  }

  @Test
  void followsASlowdownWithinSeconds() {
    DrainRate rate = new DrainRate();
    long t = 0;
    for (; t <= 30_000; t += 100) {
      rate.drained(4, t * MS);
    }
    // Then one image every 100 ms: 10 per second, for 20 s.
    for (; t <= 50_000; t += 100) {
      rate.drained(1, t * MS);
    }
    assertThat(rate.timeFor(20).orElseThrow())
        .isBetween(Duration.ofMillis(1800), Duration.ofMillis(2200));
  }
}
