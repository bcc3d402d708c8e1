package dev.resnetserving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart rendered by helm-java's embedded Helm, every document parsed into the Kubernetes Java
 * model. The model's parsers reject unknown fields, missing required fields and wrong types, which
 * {@code helm lint} does not catch.
 */
final class RenderedChart {

  static final Path CHART = Path.of("helm", "resnet-serving");
  static final String RELEASE = "demo";
  static final String NAMESPACE = "serving";

  private static final Gson GSON = new Gson();
  private static final Map<String, Parser> MODELS =
      Map.of(
          "apps/v1 Deployment", V1Deployment::fromJson,
          "v1 Service", V1Service::fromJson,
          "v1 ServiceAccount", V1ServiceAccount::fromJson,
          "v1 ConfigMap", V1ConfigMap::fromJson,
          "v1 Pod", V1Pod::fromJson,
          "autoscaling/v2 HorizontalPodAutoscaler", V2HorizontalPodAutoscaler::fromJson,
          "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget::fromJson,
          "networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy::fromJson,
          "monitoring.coreos.com/v1 ServiceMonitor", RenderedChart::checkServiceMonitor,
          "monitoring.coreos.com/v1 PrometheusRule", RenderedChart::checkPrometheusRule);

  private final List<Object> objects;
  private final List<Map<String, Object>> manifests;

  private RenderedChart(List<Object> objects, List<Map<String, Object>> manifests) {
    this.objects = objects;
    this.manifests = manifests;
  }

  static RenderedChart render(UnaryOperator<TemplateCommand> options) {
    return render(CHART, options);
  }

  static RenderedChart render() {
    return render(template -> template);
  }

  /**
   * Renders the chart's {@code helm test} hooks, which helm-java's template leaves out of its
   * output (it returns the release manifest only): a copy of the chart without the hook annotations
   * makes them ordinary documents.
   */
  static RenderedChart renderTestHooks(Path scratch) throws IOException {
    Path copy = scratch.resolve("resnet-serving");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (source.startsWith(CHART.resolve("templates/tests"))) {
          List<String> lines = Files.readAllLines(source);
          Files.write(
              target, lines.stream().filter(line -> !line.contains("helm.sh/hook")).toList());
        } else {
          Files.copy(source, target);
        }
      }
    }
    return render(copy, template -> template);
  }

  private static RenderedChart render(Path chart, UnaryOperator<TemplateCommand> options) {
    String yaml =
        options.apply(new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)).call();
    List<Object> objects = new ArrayList<>();
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (Object document : new Yaml().loadAll(yaml)) {
      if (document == null) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> manifest = (Map<String, Object>) document;
      String type = manifest.get("apiVersion") + " " + manifest.get("kind");
      Parser parser = MODELS.get(type);
      assertThat(parser).as("a Kubernetes model for %s", type).isNotNull();
      try {
        objects.add(parser.parse(GSON.toJson(manifest)));
      } catch (IOException | RuntimeException e) {
        throw new AssertionError(type + " does not match the Kubernetes API: " + e.getMessage(), e);
      }
      manifests.add(manifest);
    }
    return new RenderedChart(objects, manifests);
  }

  Set<String> kinds() {
    return Set.copyOf(manifests.stream().map(m -> (String) m.get("kind")).toList());
  }

  <T> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T> T one(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  /** A rendered document as plain maps, for kinds without a Java model (CRDs). */
  Map<String, Object> manifest(String kind) {
    return manifests.stream()
        .filter(m -> kind.equals(m.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
  }

  /** The service's application.yaml from the chart's ConfigMap, parsed. */
  Map<String, Object> applicationYaml() {
    V1ConfigMap configMap =
        all(V1ConfigMap.class).stream()
            .filter(c -> c.getData() != null && c.getData().containsKey("application.yaml"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ConfigMap with application.yaml"));
    return new Yaml().load(configMap.getData().get("application.yaml"));
  }

  /**
   * The Prometheus Operator's ServiceMonitor has no model in client-java: check the fields this
   * chart uses against the CRD's names, so that a misspelled one fails here too.
   */
  private static Object checkServiceMonitor(String json) throws IOException {
    Map<String, Object> manifest = map(GSON.fromJson(json, Map.class));
    assertThat(manifest).containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
    V1ObjectMeta.fromJson(GSON.toJson(manifest.get("metadata")));
    Map<String, Object> spec = map(manifest.get("spec"));
    assertThat(spec).containsKeys("selector", "endpoints");
    assertThat(spec.keySet())
        .isSubsetOf("selector", "namespaceSelector", "endpoints", "jobLabel", "targetLabels");
    V1LabelSelector.fromJson(GSON.toJson(spec.get("selector")));
    if (spec.containsKey("namespaceSelector")) {
      assertThat(map(spec.get("namespaceSelector")).keySet()).isSubsetOf("any", "matchNames");
    }
    List<?> endpoints = (List<?>) spec.get("endpoints");
    assertThat(endpoints).isNotEmpty();
    for (Object endpoint : endpoints) {
      assertThat(map(endpoint).keySet())
          .isSubsetOf(
              "port",
              "targetPort",
              "path",
              "scheme",
              "interval",
              "scrapeTimeout",
              "honorLabels",
              "relabelings",
              "metricRelabelings");
    }
    return manifest;
  }

  /** The PrometheusRule has no model in client-java either: the CRD's field names, checked. */
  private static Object checkPrometheusRule(String json) throws IOException {
    Map<String, Object> manifest = map(GSON.fromJson(json, Map.class));
    assertThat(manifest).containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
    V1ObjectMeta.fromJson(GSON.toJson(manifest.get("metadata")));
    Map<String, Object> spec = map(manifest.get("spec"));
    assertThat(spec).containsOnlyKeys("groups");
    for (Object group : (List<?>) spec.get("groups")) {
      assertThat(map(group)).containsKeys("name", "rules");
      assertThat(map(group).keySet())
          .isSubsetOf("name", "interval", "rules", "limit", "partial_response_strategy");
      for (Object rule : (List<?>) map(group).get("rules")) {
        assertThat(map(rule)).containsKey("expr");
        assertThat(map(rule).keySet())
            .isSubsetOf(
                "alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations");
      }
    }
    return manifest;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) Objects.requireNonNull(value);
  }

  /** Walks a path of keys through nested maps. */
  static Object at(Object root, String... keys) {
    Object value = root;
    for (String key : keys) {
      value = map(value).get(key);
    }
    return value;
  }

  @FunctionalInterface
  private interface Parser {
    Object parse(String json) throws IOException;
  }
}
