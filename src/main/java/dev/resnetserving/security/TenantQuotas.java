package dev.resnetserving.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Charges each request's images to the quota of the key that sent it, before anything is queued, so
 * a tenant over its quota never takes queue capacity from the others. Counts per key name (bounded
 * by the keys in force): images admitted, images refused by the quota, images in flight.
 */
public final class TenantQuotas {

  private final MeterRegistry registry;
  private final TimeMeter clock;
  private volatile Map<String, Tenant> tenants = Map.of();

  public TenantQuotas(ApiKeys keys, MeterRegistry registry) {
    this(keys, registry, TimeMeter.SYSTEM_NANOTIME);
  }

  TenantQuotas(ApiKeys keys, MeterRegistry registry, TimeMeter clock) {
    this.registry = registry;
    this.clock = clock;
    keys.onChange(this::update);
  }

  /**
   * Admits {@code images} for the key of the current request (none when the API is open).
   *
   * @throws QuotaExceededException when the key's bucket does not hold that many images now
   */
  public QuotaPermit admit(int images) {
    Tenant tenant = tenants.get(CurrentApiKey.name());
    return tenant == null ? QuotaPermit.NONE : tenant.admit(images);
  }

  private synchronized void update(KeyRing ring) {
    Map<String, Tenant> next = new HashMap<>();
    for (ApiKey key : ring.keys()) {
      Tenant tenant = tenants.get(key.name());
      if (tenant == null) {
        tenant = new Tenant(key.name(), key.quota());
      } else {
        tenant.setQuota(key.quota());
      }
      next.put(key.name(), tenant);
    }
    tenants.forEach(
        (name, tenant) -> {
          if (!next.containsKey(name)) {
            tenant.removeMeters();
          }
        });
    tenants = Map.copyOf(next);
  }

  /** One key's bucket and meters; kept across reloads so that a rotation does not refill it. */
  private final class Tenant {

    /** A quota with the bucket that enforces it. */
    private record Limit(Quota quota, Bucket bucket) {}

    private final String name;
    private final Counter admitted;
    private final Counter refused;
    private final AtomicLong inFlight = new AtomicLong();
    private final List<Meter> meters;
    private volatile Limit limit;

    Tenant(String name, Optional<Quota> quota) {
      this.name = name;
      this.admitted = images("admitted");
      this.refused = images("over_quota");
      Gauge inFlightGauge =
          Gauge.builder("resnet.key.in.flight", inFlight, AtomicLong::get)
              .description("Images of this key admitted and not yet answered")
              .tag("key", name)
              .baseUnit("images")
              .register(registry);
      this.meters = List.of(admitted, refused, inFlightGauge);
      setQuota(quota);
    }

    /** Applies a quota from a reloaded keys file; the tokens already in the bucket stay. */
    void setQuota(Optional<Quota> quota) {
      Limit current = limit;
      if (quota.isEmpty()) {
        limit = null;
      } else if (current == null) {
        Bucket bucket =
            Bucket.builder()
                .addLimit(bandwidth(quota.get()))
                .withCustomTimePrecision(clock)
                .build();
        limit = new Limit(quota.get(), bucket);
      } else if (!current.quota().equals(quota.get())) {
        current
            .bucket()
            .replaceConfiguration(
                BucketConfiguration.builder().addLimit(bandwidth(quota.get())).build(),
                TokensInheritanceStrategy.AS_IS);
        limit = new Limit(quota.get(), current.bucket());
      }
    }

    QuotaPermit admit(int images) {
      Limit current = limit;
      if (current != null) {
        if (images > current.quota().burst()) {
          refused.increment(images);
          throw new QuotaExceededException(
              "this request holds "
                  + images
                  + " images; key '"
                  + name
                  + "' allows at most "
                  + current.quota().burst()
                  + " at once",
              Optional.empty());
        }
        ConsumptionProbe probe = current.bucket().tryConsumeAndReturnRemaining(images);
        if (!probe.isConsumed()) {
          refused.increment(images);
          throw new QuotaExceededException(
              "key '"
                  + name
                  + "' is over its quota of "
                  + current.quota().imagesPerSecond()
                  + " images per second",
              Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill())));
        }
      }
      admitted.increment(images);
      inFlight.addAndGet(images);
      AtomicBoolean released = new AtomicBoolean();
      return () -> {
        if (released.compareAndSet(false, true)) {
          inFlight.addAndGet(-images);
        }
      };
    }

    private Counter images(String outcome) {
      return Counter.builder("resnet.key.images")
          .description("Images sent with this key, by outcome: admitted, or refused over its quota")
          .tags("key", name, "outcome", outcome)
          .baseUnit("images")
          .register(registry);
    }

    void removeMeters() {
      meters.forEach(registry::remove);
    }
  }

  private static Bandwidth bandwidth(Quota quota) {
    return Bandwidth.builder()
        .capacity(quota.burst())
        .refillGreedy(quota.imagesPerSecond(), Duration.ofSeconds(1))
        .build();
  }
}
