package dev.resnetserving.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

  private static final ResponseScope SCOPE = new ResponseScope("ab12", "fp32", 256, 224, "ImageIO");
  private static final int CLASSES = 1000;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicReference<String> tenant = new AtomicReference<>("first-key");

  private ResponseCache cache(long maxBytes) {
    return new ResponseCache(maxBytes, SCOPE, tenant::get, registry, "m");
  }

  private static byte[] image(int n) {
    return ("image " + n).getBytes(StandardCharsets.US_ASCII);
  }

  private static float[] probabilities(float first) {
    float[] probabilities = new float[CLASSES];
    probabilities[0] = first;
    probabilities[1] = 1 - first;
    return probabilities;
  }

  @Test
  void theMetersExistAtZeroFromTheStart() {
    cache(1 << 20);

    assertThat(requests("hit")).isZero();
    assertThat(requests("miss")).isZero();
    assertThat(evictions()).isZero();
    assertThat(size()).isZero();
    assertThat(registry.get("resnet.response.cache.size").gauge().getId().getBaseUnit())
        .isEqualTo("bytes");
  }

  @Test
  void aMissThenAHitGivesBackWhatWasPut() {
    ResponseCache cache = cache(1 << 20);
    ResponseKey key = cache.keyOf(image(1)).orElseThrow();

    assertThat(cache.get(key)).isEmpty();
    cache.put(key, probabilities(0.25f));

    assertThat(cache.get(cache.keyOf(image(1)).orElseThrow()))
        .hasValueSatisfying(cached -> assertThat(cached).isEqualTo(probabilities(0.25f)));
    assertThat(requests("miss")).isEqualTo(1);
    assertThat(requests("hit")).isEqualTo(1);
    assertThat(size()).isEqualTo(ResponseCache.weight(key, probabilities(0.25f)));
  }

  @Test
  void whatCallersDoWithTheirArraysDoesNotChangeTheCachedAnswer() {
    ResponseCache cache = cache(1 << 20);
    ResponseKey key = cache.keyOf(image(1)).orElseThrow();
    float[] computed = probabilities(0.25f);

    cache.put(key, computed);
    computed[0] = 99;
    cache.get(key).orElseThrow()[1] = 99;

    assertThat(cache.get(key))
        .hasValueSatisfying(c -> assertThat(c).isEqualTo(probabilities(0.25f)));
  }

  @Test
  void theKeyIsTheImagesBytesTheScopeAndTheCallersApiKey() {
    ResponseCache cache = cache(1 << 20);
    ResponseKey first = cache.keyOf(image(1)).orElseThrow();

    assertThat(cache.keyOf(image(1))).contains(first);
    assertThat(cache.keyOf(image(2))).isNotEqualTo(first);
    tenant.set("second-key");
    assertThat(cache.keyOf(image(1))).isNotEqualTo(first);
    assertThat(
            new ResponseCache(
                    1 << 20,
                    new ResponseScope("cd34", "fp32", 256, 224, "ImageIO"),
                    () -> "first-key",
                    new SimpleMeterRegistry(),
                    "m")
                .keyOf(image(1)))
        .isNotEqualTo(first);
    // A SHA-256, hex: no two uploads share a key unless they are the same bytes.
    assertThat(first.imageSha256()).hasSize(64);
  }

  @Test
  void oneTenantsAnswerIsAMissForAnother() {
    ResponseCache cache = cache(1 << 20);
    cache.put(cache.keyOf(image(1)).orElseThrow(), probabilities(0.25f));

    tenant.set("second-key");

    assertThat(cache.get(cache.keyOf(image(1)).orElseThrow())).isEmpty();
    assertThat(requests("miss")).isEqualTo(1);
    assertThat(requests("hit")).isZero();
  }

  @Test
  void staysWithinItsBytesByEvicting() {
    ResponseCache probe = new ResponseCache(1, SCOPE, tenant::get, new SimpleMeterRegistry(), "m");
    int entryWeight = ResponseCache.weight(probe.keyOf(image(0)).orElseThrow(), probabilities(0));
    long maxBytes = 3L * entryWeight;
    ResponseCache cache = cache(maxBytes);

    for (int n = 0; n < 20; n++) {
      cache.put(cache.keyOf(image(n)).orElseThrow(), probabilities(n / 20f));
      assertThat(size()).isLessThanOrEqualTo(maxBytes);
    }

    assertThat(size()).isPositive();
    // At most three of the twenty fit, so at least seventeen were evicted or never admitted.
    assertThat(evictions()).isGreaterThanOrEqualTo(17);
  }

  @Test
  void anEntryWeighsAtLeastItsProbabilitiesAndKey() {
    ResponseCache cache = cache(1 << 20);
    ResponseKey key = cache.keyOf(image(1)).orElseThrow();

    assertThat(ResponseCache.weight(key, probabilities(0)))
        .isGreaterThanOrEqualTo(4 * CLASSES + key.imageSha256().length() + key.tenant().length());
  }

  @Test
  void offKeepsNothingLooksNothingUpAndItsMetersStayAtZero() {
    ResponseCache cache = cache(0);

    // Without a key nothing can be looked up or kept, and no image is hashed for nothing.
    assertThat(cache.keyOf(image(1))).isEmpty();
    assertThat(size()).isZero();
    assertThat(evictions()).isZero();
    assertThat(requests("hit")).isZero();
    assertThat(requests("miss")).isZero();
  }

  @Test
  void refusesANegativeSize() {
    assertThatThrownBy(() -> cache(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  private double requests(String result) {
    return registry
        .get("resnet.response.cache.requests")
        .tags("model", "m", "result", result)
        .counter()
        .count();
  }

  private double evictions() {
    return registry.get("resnet.response.cache.evictions").tags("model", "m").counter().count();
  }

  private double size() {
    return registry.get("resnet.response.cache.size").tags("model", "m").gauge().value();
  }
}
