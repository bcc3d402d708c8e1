package dev.resnetserving.classification;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The softmax outputs of images already classified, so that an image sent again skips decoding and
 * the forward pass. Keyed by the image's SHA-256, the {@link ResponseScope} and the caller's API
 * key, and bounded by an estimate of the bytes its entries hold; the least useful entries are
 * evicted first (Caffeine's W-TinyLFU). Only answers are kept: a failure is computed again.
 */
public final class ResponseCache {

  /**
   * Heap per entry besides the probabilities and the key's strings, estimated from the field
   * layouts with compressed references: Caffeine's node for a weight-bounded cache (about 40
   * bytes), the hash table's node and slot (about 40), the frequency sketch's share, and the key
   * record (24).
   */
  static final int ENTRY_OVERHEAD_BYTES = 112;

  private static final HexFormat HEX = HexFormat.of();

  private final ResponseScope scope;
  private final Supplier<String> tenant;
  private final Optional<Cache<ResponseKey, float[]>> entries;
  private final Counter hits;
  private final Counter misses;
  private final Counter evictions;

  /**
   * @param maxBytes the most heap the entries may hold, by {@link #weight}; 0 turns the cache off:
   *     nothing is looked up or kept, and the meters stay at 0
   * @param tenant the name of the API key of the request on the calling thread, empty when the API
   *     is open
   * @param model the model tag of the meters
   */
  public ResponseCache(
      long maxBytes,
      ResponseScope scope,
      Supplier<String> tenant,
      MeterRegistry registry,
      String model) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be 0 (off) or more, got " + maxBytes);
    }
    this.scope = scope;
    this.tenant = tenant;
    Tags tags = Tags.of("model", model);
    this.hits = requests(registry, tags, "hit");
    this.misses = requests(registry, tags, "miss");
    this.evictions =
        Counter.builder("resnet.response.cache.evictions")
            .description("Answers evicted from the response cache to stay within its size")
            .tags(tags)
            .register(registry);
    this.entries =
        maxBytes == 0
            ? Optional.empty()
            : Optional.of(
                Caffeine.newBuilder()
                    .maximumWeight(maxBytes)
                    .weigher((ResponseKey key, float[] value) -> weight(key, value))
                    .evictionListener(
                        (key, value, cause) -> {
                          if (cause.wasEvicted()) {
                            evictions.increment();
                          }
                        })
                    // Evicts on the writing thread, so the size never stays above the bound
                    // waiting for a pool, and no pool thread is taken.
                    .executor(Runnable::run)
                    .build());
    Gauge.builder("resnet.response.cache.size", this, ResponseCache::weightedSize)
        .description("Heap held by the response cache's entries, as weighed against its bound")
        .tags(tags)
        .baseUnit("bytes")
        .register(registry);
  }

  /** A cache that keeps nothing, its meters in a registry of its own, for classifiers without. */
  public static ResponseCache off() {
    return new ResponseCache(
        0, new ResponseScope("", "", 0, 0, ""), () -> "", new SimpleMeterRegistry(), "");
  }

  /**
   * The key of an image sent by the caller of the current thread (whose API key is read here), or
   * none when the cache is off.
   */
  Optional<ResponseKey> keyOf(byte[] image) {
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ResponseKey(scope, tenant.get(), HEX.formatHex(sha256(image))));
  }

  /** The cached probabilities, a copy the caller may keep; counts a hit or a miss. */
  Optional<float[]> get(ResponseKey key) {
    float[] cached = entries.map(cache -> cache.getIfPresent(key)).orElse(null);
    if (cached == null) {
      misses.increment();
      return Optional.empty();
    }
    hits.increment();
    return Optional.of(cached.clone());
  }

  /** Keeps a copy, so that what the caller does with its array cannot change later answers. */
  void put(ResponseKey key, float[] probabilities) {
    entries.ifPresent(cache -> cache.put(key, probabilities.clone()));
  }

  /**
   * The heap an entry holds: the probabilities array, the key's two strings (Latin-1, one byte a
   * character) and {@link #ENTRY_OVERHEAD_BYTES}.
   */
  static int weight(ResponseKey key, float[] probabilities) {
    return array(4L * probabilities.length)
        + string(key.imageSha256())
        + string(key.tenant())
        + ENTRY_OVERHEAD_BYTES;
  }

  private static int string(String value) {
    // The String object (24 bytes) and its byte[] (a 16-byte header and the characters).
    return 24 + array(value.length());
  }

  private static int array(long contentBytes) {
    return Math.toIntExact((16 + contentBytes + 7) / 8 * 8);
  }

  private double weightedSize() {
    return entries
        .flatMap(cache -> cache.policy().eviction())
        .map(eviction -> eviction.weightedSize().orElse(0))
        .orElse(0L);
  }

  private static Counter requests(MeterRegistry registry, Tags tags, String result) {
    return Counter.builder("resnet.response.cache.requests")
        .description(
            "Images looked up in the response cache, by result: a hit skips decoding and the model")
        .tags(tags.and("result", result))
        .register(registry);
  }

  private static byte[] sha256(byte[] image) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(image);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
