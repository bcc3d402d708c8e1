package dev.resnetserving.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.context.SecurityContextHolder;

class TenantQuotasTest {

  @TempDir Path dir;

  /** A clock that moves only when the test says so. */
  private static final class ManualClock implements TimeMeter {
    long nanos;

    void advance(Duration duration) {
      nanos += duration.toNanos();
    }

    @Override
    public long currentTimeNanos() {
      return nanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Path file;
  private ApiKeys keys;
  private TenantQuotas quotas;

  @BeforeEach
  void start() throws Exception {
    file =
        Files.writeString(
            dir.resolve("keys.yaml"),
            """
        keys:
          - name: team-a
            key: a-key
            images-per-second: 2
            burst: 4
          - name: team-b
            key: b-key
            images-per-second: 2
            burst: 4
          - name: unlimited
            key: u-key
        """);
    keys = new ApiKeys(List.of(), file);
    quotas = new TenantQuotas(keys, registry, clock);
  }

  @AfterEach
  void clearContext() {
    SecurityContextHolder.clearContext();
  }

  private QuotaPermit admitAs(String key, int images) {
    SecurityContextHolder.getContext()
        .setAuthentication(ApiKeyAuthentication.matched(keys.find(key).orElseThrow()));
    return quotas.admit(images);
  }

  private double count(String key, String outcome) {
    return registry.get("resnet.key.images").tags("key", key, "outcome", outcome).counter().count();
  }

  private double inFlight(String key) {
    return registry.get("resnet.key.in.flight").tag("key", key).gauge().value();
  }

  @Test
  void aBurstIsAdmittedAndTheNextImageWaitsForTheRefill() {
    admitAs("a-key", 3);
    admitAs("a-key", 1);

    assertThatThrownBy(() -> admitAs("a-key", 1))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofMillis(500));
              assertThat(e.getMessage())
                  .contains("team-a", "2 images per second")
                  .doesNotContain("a-key");
            });

    clock.advance(Duration.ofMillis(499));
    assertThatThrownBy(() -> admitAs("a-key", 1)).isInstanceOf(QuotaExceededException.class);
    clock.advance(Duration.ofMillis(1));
    admitAs("a-key", 1);
  }

  @Test
  void aRequestIsChargedPerImageAndTheWaitCoversAllOfThem() {
    admitAs("a-key", 4);

    assertThatThrownBy(() -> admitAs("a-key", 3))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(1500)));
    assertThat(count("team-a", "admitted")).isEqualTo(4);
    assertThat(count("team-a", "over_quota")).isEqualTo(3);
  }

  @Test
  void aRequestLargerThanTheBurstCanNeverFitAndSaysSo() {
    assertThatThrownBy(() -> admitAs("a-key", 5))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.getMessage()).contains("5 images", "at most 4");
            });
    admitAs("a-key", 4);
  }

  @Test
  void oneKeyOverItsQuotaLeavesTheOtherUntouched() {
    admitAs("a-key", 4);
    assertThatThrownBy(() -> admitAs("a-key", 1)).isInstanceOf(QuotaExceededException.class);

    admitAs("b-key", 4);
    for (int i = 0; i < 100; i++) {
      admitAs("u-key", 32);
    }
    assertThat(count("team-b", "over_quota")).isZero();
    assertThat(count("unlimited", "admitted")).isEqualTo(3200);
  }

  @Test
  void imagesInFlightAreCountedUntilTheRequestEndsOnce() {
    QuotaPermit permit = admitAs("a-key", 3);
    assertThat(inFlight("team-a")).isEqualTo(3);

    CompletableFuture<String> work = new CompletableFuture<>();
    assertThat(permit.holdDuring(() -> work)).isSameAs(work);
    work.complete("done");
    permit.release();

    assertThat(inFlight("team-a")).isZero();
  }

  @Test
  void aPermitIsReleasedWhenStartingTheWorkThrows() {
    QuotaPermit permit = admitAs("a-key", 2);

    assertThatThrownBy(
            () ->
                permit.holdDuring(
                    () -> {
                      throw new IllegalArgumentException("bad tensor");
                    }))
        .hasMessage("bad tensor");
    assertThat(inFlight("team-a")).isZero();
  }

  @Test
  void anOpenApiAdmitsWithoutCounting() {
    TenantQuotas open = new TenantQuotas(new ApiKeys(List.of(), null), registry, clock);

    open.admit(1000).release();
    assertThat(registry.find("resnet.key.images").counters()).hasSize(6);
  }

  @Test
  void aReloadKeepsTheBucketAppliesANewQuotaAndDropsMetersOfRemovedKeys() throws Exception {
    admitAs("a-key", 4);
    Files.writeString(
        file,
        """
        keys:
          - name: team-a
            key: a-key
            images-per-second: 10
            burst: 20
        """);
    keys.reloadIfChanged();

    assertThatThrownBy(() -> admitAs("a-key", 1))
        .as("a rotation does not refill the bucket")
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(100)));
    clock.advance(Duration.ofSeconds(2));
    admitAs("a-key", 20);
    assertThat(count("team-a", "admitted")).isEqualTo(24);
    assertThat(registry.find("resnet.key.images").tag("key", "team-b").counters()).isEmpty();
  }
}
