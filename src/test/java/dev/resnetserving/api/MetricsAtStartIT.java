package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.support.HttpTestClient;
import dev.resnetserving.support.HttpTestClient.Response;
import dev.resnetserving.support.ServiceWithApiKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Every series an operator reads exists from the start: the names the dashboard, the alert and
 * recording rules and the operations guide use are all exposed by a service that has served nothing
 * of theirs yet, and every {@code resnet_*} family exposed is in the guide's table. The scrape is
 * kept in {@code target/} for {@code promtool check metrics} in {@code .ci/run}.
 */
@ServiceWithApiKeys
class MetricsAtStartIT {

  /** A metric name, not part of a recorded series' name like {@code job:resnet_x:rate5m}. */
  private static final Pattern USED_NAME =
      Pattern.compile("(?<![\\w:])(resnet_[a-z0-9_]*[a-z0-9])(?![\\w:])");

  private static final Pattern EXPOSED_FAMILY =
      Pattern.compile("^# TYPE (resnet_\\w+) ", Pattern.MULTILINE);
  private static final Pattern EXPOSED_SAMPLE =
      Pattern.compile("^(resnet_\\w+)[{ ]", Pattern.MULTILINE);
  private static final Path DASHBOARD = Path.of("helm/resnet-serving/files/grafana-dashboard.json");
  private static final Path RULES = Path.of("helm/resnet-serving/files/prometheus-rules.yaml");
  private static final Path OPERATIONS = Path.of("docs/operations.md");
  static final Path SCRAPE = Path.of("target/metrics/actuator-prometheus.txt");

  @LocalManagementPort int managementPort;
  private String scrape;

  @BeforeEach
  void scrape() throws Exception {
    Response response = new HttpTestClient(managementPort).get("/actuator/prometheus");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/plain");
    scrape = response.body();
    Files.createDirectories(SCRAPE.getParent());
    Files.writeString(SCRAPE, scrape);
  }

  @Test
  void everyNameTheDashboardUsesIsExposed() throws IOException {
    assertExposed(DASHBOARD);
  }

  @Test
  void everyNameTheRulesUseIsExposed() throws IOException {
    assertExposed(RULES);
  }

  @Test
  void everyNameTheOperationsGuideUsesIsExposed() throws IOException {
    assertExposed(OPERATIONS);
  }

  @Test
  void everyExposedFamilyIsInTheOperationsGuidesTable() throws IOException {
    Set<String> families = matches(EXPOSED_FAMILY, scrape);
    // Micrometer's gauge of each histogram's recent maximum, which the guide describes once.
    families.removeIf(
        family ->
            family.endsWith("_max") && families.contains(family.substring(0, family.length() - 4)));
    Set<String> documented =
        matches(
            Pattern.compile("^\\| `(resnet_\\w+)`", Pattern.MULTILINE),
            Files.readString(OPERATIONS));

    assertThat(families).isNotEmpty();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(families);
  }

  @Test
  void eventSeriesExistAtZeroBeforeTheirFirstEvent() {
    assertAtZero("resnet_queue_rejections_total", Map.of("reason", "queue_full"));
    assertAtZero("resnet_queue_dropped_total", Map.of("reason", "cancelled"));
    assertAtZero("resnet_queue_dropped_total", Map.of("reason", "timeout"));
    assertAtZero("resnet_batches_total", Map.of("device", "cpu()", "outcome", "stalled"));
    assertAtZero("resnet_key_images_total", Map.of("key", "key-1", "outcome", "over_quota"));
    assertAtZero("resnet_requests_total", Map.of("door", "http", "outcome", "timeout"));
    assertAtZero("resnet_requests_total", Map.of("door", "grpc", "outcome", "timeout"));
    assertAtZero("resnet_response_cache_evictions_total", Map.of());
  }

  /**
   * Other tests of this shared service may have classified images already, so only the series'
   * presence is certain here; ResponseCacheEvictionIT sees them at 0 on a service of its own.
   */
  @Test
  void theResponseCacheCountsHitsAndMissesFromTheStart() {
    assertThat(series("resnet_response_cache_requests_total", Map.of("result", "hit")))
        .singleElement();
    assertThat(series("resnet_response_cache_requests_total", Map.of("result", "miss")))
        .singleElement();
    assertThat(series("resnet_response_cache_size_bytes", Map.of())).singleElement();
  }

  private void assertAtZero(String name, Map<String, String> labels) {
    assertThat(series(name, labels))
        .as("%s%s", name, labels)
        .singleElement()
        .satisfies(line -> assertThat(line).endsWith(" 0.0"));
  }

  private List<String> series(String name, Map<String, String> labels) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(
            line ->
                labels.entrySet().stream()
                    .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\"")))
        .toList();
  }

  private void assertExposed(Path file) throws IOException {
    Set<String> used = matches(USED_NAME, Files.readString(file));
    Set<String> exposed = matches(EXPOSED_FAMILY, scrape);
    exposed.addAll(matches(EXPOSED_SAMPLE, scrape));

    assertThat(used).as("resnet_* names in %s", file).isNotEmpty();
    assertThat(exposed).as("exposed after start, for %s", file).containsAll(used);
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
