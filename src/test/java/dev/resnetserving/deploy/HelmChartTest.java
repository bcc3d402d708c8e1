package dev.resnetserving.deploy;

import static dev.resnetserving.deploy.RenderedChart.at;
import static dev.resnetserving.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.google.gson.Gson;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V2MetricSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart in helm/resnet-serving, rendered in-process by helm-java (no cluster needed). */
class HelmChartTest {

  private static final Path ALL_OPTIONAL =
      Path.of("src/test/resources/deploy/all-optional-values.yaml");
  private static final Path RULES = RenderedChart.CHART.resolve("files/prometheus-rules.yaml");

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void kubernetesModelRejectsMisspelledFields() {
    // The guard every other test relies on: a typo in a template must not parse.
    String json = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"spec\":{\"replica\":2}}";

    assertThatThrownBy(() -> V1Deployment.fromJson(json)).hasMessageContaining("replica");
  }

  @Nested
  class Defaults {

    private final RenderedChart chart = RenderedChart.render();
    private final V1PodSpec pod = chart.one(V1Deployment.class).getSpec().getTemplate().getSpec();
    private final V1Container container = pod.getContainers().get(0);

    @Test
    void rendersOnlyTheAlwaysOnParts() {
      assertThat(chart.kinds())
          .containsExactlyInAnyOrder(
              "Deployment", "Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget");
    }

    @Test
    void probesGiveStartUpItsOwnBudgetAndThenWatchReadinessAndLiveness() {
      V1Probe startup = container.getStartupProbe();
      assertThat(startup.getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(startup.getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
      assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
          .as("seconds for zoo download, model load and warm-up")
          .isGreaterThanOrEqualTo(300);
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
      assertThat(container.getLivenessProbe().getFailureThreshold()).isGreaterThan(1);
    }

    @Test
    void runsHardened() {
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      var security = container.getSecurityContext();
      assertThat(security.getReadOnlyRootFilesystem()).isTrue();
      assertThat(security.getAllowPrivilegeEscalation()).isFalse();
      assertThat(security.getPrivileged()).isFalse();
      assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    }

    @Test
    void writesOnlyToEmptyDirVolumesForTmpAndTheDjlCache() {
      Map<String, String> mounts =
          container.getVolumeMounts().stream()
              .filter(mount -> !Boolean.TRUE.equals(mount.getReadOnly()))
              .collect(Collectors.toMap(V1VolumeMount::getMountPath, V1VolumeMount::getName));
      assertThat(mounts).containsOnlyKeys("/tmp", "/var/cache/djl");
      for (String name : mounts.values()) {
        assertThat(volume(pod, name).getEmptyDir()).as(name).isNotNull();
        assertThat(volume(pod, name).getEmptyDir().getSizeLimit()).as(name).isNotNull();
      }
    }

    @Test
    void drainsInFlightRequestsWithinTheGracePeriod() {
      List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
      assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
      long sleep = Long.parseLong(preStop.get(1));
      String drain =
          (String) at(chart.applicationYaml(), "spring", "lifecycle", "timeout-per-shutdown-phase");
      assertThat(drain).isEqualTo("30s");

      assertThat(at(chart.applicationYaml(), "spring", "grpc", "server", "shutdown-grace-period"))
          .isEqualTo(drain);

      // Three shutdown phases (gRPC, HTTP, then inference) may each take the whole drain budget.
      assertThat(pod.getTerminationGracePeriodSeconds())
          .isGreaterThan(sleep + 3 * Long.parseLong(drain.replace("s", "")));
    }

    @Test
    void pullsTheModelFromTheZooWithTheNetworkAllowed() {
      assertThat(at(chart.applicationYaml(), "resnet", "model", "uri"))
          .isEqualTo("djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50");
      assertThat(env(container)).containsEntry("DJL_OFFLINE", "false");
      assertThat(pod.getInitContainers()).isNullOrEmpty();
    }

    @Test
    void logsPlainTextUnlessAFormatIsChosen() {
      assertThat(chart.applicationYaml()).doesNotContainKey("logging");
    }

    @Test
    void mountsNoKeysWithoutAKeysSecret() {
      assertThat(env(container)).doesNotContainKey("RESNET_SECURITY_KEYS_FILE");
      assertThat(pod.getVolumes()).noneMatch(volume -> volume.getSecret() != null);
    }

    @Test
    void readsTheConfigMapThroughSpringsAdditionalLocation() {
      assertThat(env(container))
          .containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/config/");
      V1VolumeMount config = mount(container, "/config");
      assertThat(config.getReadOnly()).isTrue();
      assertThat(volume(pod, config.getName()).getConfigMap().getName())
          .isEqualTo("demo-resnet-serving");
      assertThat(
              chart.one(V1Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
          .containsKey("checksum/config");
    }

    @Test
    void requestsEqualLimitsAndNoGpu() {
      var resources = container.getResources();
      assertThat(resources.getLimits()).isEqualTo(resources.getRequests());
      assertThat(resources.getLimits()).containsOnlyKeys("cpu", "memory");
      assertThat(pod.getTolerations()).isNullOrEmpty();
      assertThat(pod.getNodeSelector()).isNullOrEmpty();
    }

    @Test
    void rollsOutWithoutTakingAReadyPodAway() {
      var strategy = chart.one(V1Deployment.class).getSpec().getStrategy();
      assertThat(strategy.getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
      assertThat(chart.one(V1PodDisruptionBudget.class).getSpec().getMaxUnavailable())
          .isEqualTo(new IntOrString(1));
    }

    @Test
    void servesHttpAndManagementPortsThroughTheService() {
      V1Service service = chart.one(V1Service.class);
      assertThat(service.getSpec().getPorts())
          .extracting(V1ServicePort::getName, V1ServicePort::getPort, V1ServicePort::getTargetPort)
          .containsExactly(
              tuple("http", 8080, new IntOrString("http")),
              tuple("management", 8081, new IntOrString("management")),
              tuple("grpc", 9090, new IntOrString("grpc")));
      assertThat(container.getPorts())
          .extracting(p -> p.getName() + "=" + p.getContainerPort())
          .containsExactly("http=8080", "management=8081", "grpc=9090");
      assertThat(service.getSpec().getSelector())
          .isEqualTo(chart.one(V1Deployment.class).getSpec().getSelector().getMatchLabels());
    }
  }

  @Nested
  class EveryOptionalPartOn {

    private final RenderedChart chart = RenderedChart.render(t -> t.withValuesFile(ALL_OPTIONAL));
    private final V1PodSpec pod = chart.one(V1Deployment.class).getSpec().getTemplate().getSpec();
    private final V1Container container = pod.getContainers().get(0);

    @Test
    void rendersEveryKind() {
      assertThat(chart.kinds())
          .containsExactlyInAnyOrder(
              "Deployment",
              "Service",
              "ServiceAccount",
              "ConfigMap",
              "PodDisruptionBudget",
              "HorizontalPodAutoscaler",
              "ServiceMonitor",
              "PrometheusRule",
              "NetworkPolicy");
      assertThat(chart.one(V1Deployment.class).getSpec().getReplicas())
          .as("the HPA owns the replica count")
          .isNull();
    }

    @Test
    void asksForTheGpuAndLandsOnGpuNodes() {
      Map<String, Quantity> limits = container.getResources().getLimits();
      assertThat(limits).containsEntry("nvidia.com/gpu", new Quantity("1"));
      assertThat(pod.getNodeSelector())
          .containsEntry("nvidia.com/gpu.present", "true")
          .containsEntry("kubernetes.io/arch", "amd64");
      assertThat(pod.getTolerations())
          .extracting(V1Toleration::getKey, V1Toleration::getOperator, V1Toleration::getEffect)
          .containsExactly(tuple("nvidia.com/gpu", "Exists", "NoSchedule"));
      assertThat(container.getImage()).isEqualTo("resnet-serving:0.1.0-cu128");
    }

    @Test
    void mountsTheKeysSecretAsADirectorySoThatRotationReachesThePod() {
      V1VolumeMount keys = mount(container, "/etc/resnet-serving/keys");
      assertThat(keys.getReadOnly()).isTrue();
      assertThat(keys.getSubPath()).as("a subPath mount never sees the Secret change").isNull();
      assertThat(volume(pod, keys.getName()).getSecret().getSecretName())
          .isEqualTo("resnet-serving-keys");
      assertThat(env(container))
          .containsEntry("RESNET_SECURITY_KEYS_FILE", "/etc/resnet-serving/keys/keys.yaml");
    }

    @Test
    void writesStructuredLogsInTheChosenFormat() {
      assertThat(at(chart.applicationYaml(), "logging", "structured", "format", "console"))
          .isEqualTo("ecs");
    }

    @Test
    void copiesTheModelOutOfItsImageAndRunsOffline() {
      V1Container copy = pod.getInitContainers().get(0);
      assertThat(copy.getImage()).isEqualTo("registry.example.com/resnet50-model:1");
      assertThat(env(copy)).containsEntry("MODEL_SOURCE", "/models/resnet50");
      assertThat(copy.getSecurityContext()).isEqualTo(container.getSecurityContext());
      assertThat(mount(copy, "/model").getName()).isEqualTo("model");
      assertThat(volume(pod, "model").getEmptyDir()).isNotNull();
      assertThat(mount(container, "/models/model").getReadOnly()).isTrue();
      assertThat(at(chart.applicationYaml(), "resnet", "model", "uri"))
          .isEqualTo("file:/models/model");
      assertThat(at(chart.applicationYaml(), "resnet", "model", "precision")).isEqualTo("fp16");
      assertThat(env(container))
          .containsEntry("DJL_OFFLINE", "true")
          .containsEntry("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError")
          .containsEntry("RESNET_MODEL_WORKERS_PER_DEVICE", "2");
    }

    @Test
    void scalesOnCpuAndOnQueueWait() {
      V2HorizontalPodAutoscaler hpa = chart.one(V2HorizontalPodAutoscaler.class);
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("demo-resnet-serving");
      assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
      assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
      List<V2MetricSpec> metrics = hpa.getSpec().getMetrics();
      assertThat(metrics).extracting(V2MetricSpec::getType).containsExactly("Resource", "Pods");
      assertThat(metrics.get(0).getResource().getName()).isEqualTo("cpu");
      assertThat(metrics.get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(75);
      assertThat(metrics.get(1).getPods().getMetric().getName())
          .isEqualTo("resnet_queue_wait_seconds_avg");
      assertThat(metrics.get(1).getPods().getTarget().getAverageValue())
          .isEqualTo(new Quantity("100m"));
      assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
          .isEqualTo(300);
    }

    @Test
    void serviceMonitorScrapesTheManagementPortOfThisReleaseOnly() {
      Map<String, Object> monitor = chart.manifest("ServiceMonitor");
      assertThat(at(monitor, "metadata", "labels"))
          .asInstanceOf(MAP)
          .containsEntry("release", "kube-prometheus-stack");
      Map<String, Object> endpoint = map(((List<?>) at(monitor, "spec", "endpoints")).get(0));
      assertThat(endpoint)
          .containsEntry("port", "management")
          .containsEntry("path", "/actuator/prometheus")
          .containsEntry("interval", "15s");
      V1Service service = chart.one(V1Service.class);
      assertThat(service.getSpec().getPorts())
          .extracting(V1ServicePort::getName)
          .contains("management");
      assertThat(service.getMetadata().getLabels())
          .containsAllEntriesOf(
              map(at(monitor, "spec", "selector", "matchLabels")).entrySet().stream()
                  .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue())));
      assertThat(at(monitor, "spec", "namespaceSelector", "matchNames"))
          .isEqualTo(List.of(RenderedChart.NAMESPACE));
      assertThat(
              chart.one(V1Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", "8081")
          .containsEntry("prometheus.io/path", "/actuator/prometheus");
    }

    @Test
    void shipsTheRulesFileVerbatimAsAPrometheusRule() throws IOException {
      Map<String, Object> rule = chart.manifest("PrometheusRule");
      assertThat(at(rule, "metadata", "name")).isEqualTo("demo-resnet-serving");
      assertThat(at(rule, "metadata", "labels"))
          .asInstanceOf(MAP)
          .containsEntry("release", "kube-prometheus-stack")
          .containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE);
      Map<String, Object> rulesFile = new Yaml().load(Files.readString(RULES));
      assertThat(at(rule, "spec")).isEqualTo(rulesFile);
    }

    @Test
    void checksReadinessWithTheNativeGrpcProbeOnTheInferenceService() {
      V1Probe readiness = container.getReadinessProbe();
      assertThat(readiness.getHttpGet()).isNull();
      assertThat(readiness.getGrpc().getPort()).isEqualTo(9090);
      assertThat(readiness.getGrpc().getService()).isEqualTo("inference.GRPCInferenceService");
      assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    }

    @Test
    void networkPolicyLimitsWhoReachesWhichPort() {
      V1NetworkPolicy policy = chart.one(V1NetworkPolicy.class);
      assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
      var http = policy.getSpec().getIngress().get(0);
      assertThat(http.getPorts().get(0).getPort()).isEqualTo(new IntOrString("http"));
      assertThat(http.getFrom()).hasSize(2);
      assertThat(http.getFrom().get(1).getPodSelector().getMatchLabels())
          .containsEntry("app.kubernetes.io/component", "connection-test");
      var management = policy.getSpec().getIngress().get(1);
      assertThat(management.getPorts().get(0).getPort()).isEqualTo(new IntOrString("management"));
      assertThat(management.getFrom().get(0).getNamespaceSelector().getMatchLabels())
          .containsEntry("kubernetes.io/metadata.name", "monitoring");
      var grpc = policy.getSpec().getIngress().get(2);
      assertThat(grpc.getPorts().get(0).getPort()).isEqualTo(new IntOrString("grpc"));
      assertThat(grpc.getFrom()).hasSize(1);
      assertThat(grpc.getFrom().get(0).getNamespaceSelector().getMatchLabels())
          .containsEntry("kubernetes.io/metadata.name", "triton-clients");
      assertThat(policy.getSpec().getEgress())
          .as("DNS only: the model comes from an image, not the zoo")
          .hasSize(1);
    }

    @Test
    void shipsTheGrafanaDashboardForTheSidecar() {
      var dashboard =
          chart.all(V1ConfigMap.class).stream()
              .filter(c -> c.getData().containsKey("resnet-serving.json"))
              .findFirst()
              .orElseThrow();
      assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
      Map<?, ?> json =
          new Gson().fromJson(dashboard.getData().get("resnet-serving.json"), Map.class);
      assertThat(json.get("uid")).isEqualTo("resnet-serving");
      assertThat((List<?>) json.get("panels")).isNotEmpty();
    }
  }

  @Test
  void helmTestChecksReadinessThroughTheService(@TempDir Path scratch) throws IOException {
    String template =
        Files.readString(RenderedChart.CHART.resolve("templates/tests/test-connection.yaml"));
    assertThat(template).contains("helm.sh/hook: test");

    V1Pod test = RenderedChart.renderTestHooks(scratch).one(V1Pod.class);

    assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(test.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(test.getSpec().getContainers().get(0).getCommand())
        .last()
        .isEqualTo("http://demo-resnet-serving:8080/readyz");
  }

  @Test
  void mountsTheModelFromAClaimReadOnly() {
    RenderedChart chart =
        RenderedChart.render(
            t ->
                t.set("model.source", "pvc")
                    .set("model.pvc.claimName", "models")
                    .set("model.pvc.subPath", "resnet50"));
    V1PodSpec pod = chart.one(V1Deployment.class).getSpec().getTemplate().getSpec();
    V1VolumeMount mount = mount(pod.getContainers().get(0), "/models/model");

    assertThat(mount.getReadOnly()).isTrue();
    assertThat(mount.getSubPath()).isEqualTo("resnet50");
    assertThat(volume(pod, mount.getName()).getPersistentVolumeClaim().getClaimName())
        .isEqualTo("models");
    assertThat(env(pod.getContainers().get(0))).containsEntry("DJL_OFFLINE", "true");
    assertThat(at(chart.applicationYaml(), "resnet", "model", "uri"))
        .isEqualTo("file:/models/model");
  }

  @Test
  void keepsUserConfigAndLaysTheChartsSettingsOverIt() {
    RenderedChart chart =
        RenderedChart.render(
            t ->
                t.set("config.resnet.batching.max-batch-size", 16)
                    .set("config.resnet.model.uri", "djl://ignored")
                    .set("config.resnet.model.precision", "bf16")
                    .set("config.resnet.model.workers-per-device", 1)
                    .set("shutdown.drainSeconds", 20));
    Map<String, Object> application = chart.applicationYaml();

    assertThat(at(application, "resnet", "batching")).isEqualTo(Map.of("max-batch-size", 16));
    assertThat(at(application, "resnet", "model"))
        .isEqualTo(
            Map.of(
                "workers-per-device", 1,
                "uri", "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50",
                "precision", "fp32"));
    assertThat(at(application, "spring", "lifecycle", "timeout-per-shutdown-phase"))
        .isEqualTo("20s");
    assertThat(at(application, "spring", "grpc", "server", "shutdown-grace-period"))
        .isEqualTo("20s");
  }

  @Test
  void leavesTheServicesDefaultsAlone() {
    assertThat(RenderedChart.render().applicationYaml())
        .isEqualTo(
            Map.of(
                "resnet",
                Map.of(
                    "model",
                    Map.of(
                        "uri",
                        "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet50",
                        "precision",
                        "fp32")),
                "spring",
                Map.of(
                    "lifecycle", Map.of("timeout-per-shutdown-phase", "30s"),
                    "grpc", Map.of("server", Map.of("shutdown-grace-period", "30s")))));
  }

  @Test
  void sizesOrTurnsOffTheResponseCache() {
    assertThat(
            at(
                RenderedChart.render(t -> t.set("responseCache.maxBytes", "256MB"))
                    .applicationYaml(),
                "resnet",
                "cache",
                "max-bytes"))
        .isEqualTo("256MB");
    assertThat(
            at(
                RenderedChart.render(t -> t.set("responseCache.maxBytes", "0")).applicationYaml(),
                "resnet",
                "cache",
                "max-bytes"))
        .isEqualTo("0");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("responseCache.maxBytes", "64 MiB")))
        .hasMessageContaining("responseCache.maxBytes");
  }

  @Test
  void refusesAGracePeriodShorterThanPreStopPlusThreeDrainPhases() {
    assertThatThrownBy(
            () -> RenderedChart.render(t -> t.set("shutdown.terminationGracePeriodSeconds", 100)))
        .hasMessageContaining(
            "terminationGracePeriodSeconds (100) must exceed preStopSleepSeconds + 3 x drainSeconds (100)");
  }

  @Test
  void refusesAClaimSourceWithoutAClaim() {
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("model.source", "pvc")))
        .hasMessageContaining("model.pvc.claimName");
  }

  @Test
  void refusesAReducedPrecisionTheModelOrTheDeviceCannotHave() {
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("model.precision", "bf16")))
        .hasMessageContaining(
            "model.precision bf16 needs a model converted by scripts/fixtures/reduce_precision.py");
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    t ->
                        t.set("model.source", "pvc")
                            .set("model.pvc.claimName", "models")
                            .set("model.precision", "fp16")))
        .hasMessageContaining("model.precision fp16 needs gpu.count > 0");
    assertThat(
            at(
                RenderedChart.render(
                        t ->
                            t.set("model.source", "pvc")
                                .set("model.pvc.claimName", "models")
                                .set("model.precision", "bf16"))
                    .applicationYaml(),
                "resnet",
                "model",
                "precision"))
        .isEqualTo("bf16");
  }

  @Test
  void schemaRejectsMisspelledValues() {
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("replicaCuont", 3)))
        .hasMessageContaining("replicaCuont");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("model.source", "s3")))
        .hasMessageContaining("model.source");
    assertThatThrownBy(() -> RenderedChart.render(t -> t.set("model.precision", "int8")))
        .hasMessageContaining("model.precision");
  }

  @Test
  void dashboardAndAdapterRuleQueryOnlyTheServicesSeries() throws IOException {
    String dashboard =
        Files.readString(RenderedChart.CHART.resolve("files/grafana-dashboard.json"));
    assertThat(ServiceMetrics.mentionedIn(dashboard))
        .isNotEmpty()
        .isSubsetOf(ServiceMetrics.known());

    Map<String, Object> adapter =
        new Yaml()
            .load(
                Files.readString(
                    RenderedChart.CHART.resolve("files/prometheus-adapter-values.yaml")));
    List<?> rules = (List<?>) at(adapter, "rules", "custom");
    Set<String> published =
        rules.stream().map(rule -> (String) at(rule, "name", "as")).collect(Collectors.toSet());
    for (Object rule : rules) {
      String queries = at(rule, "seriesQuery") + " " + at(rule, "metricsQuery");
      assertThat(ServiceMetrics.mentionedIn(queries))
          .isNotEmpty()
          .isSubsetOf(ServiceMetrics.known());
    }
    Object hpaMetric =
        at(
            new Yaml().load(Files.readString(RenderedChart.CHART.resolve("values.yaml"))),
            "autoscaling",
            "queueWait",
            "metricName");
    assertThat(published).contains((String) hpaMetric);
  }

  @Test
  void everyAlertHasARunbookInTheOperationsGuide() throws IOException {
    Map<String, Object> rulesFile = new Yaml().load(Files.readString(RULES));
    List<String> alerts =
        ((List<?>) rulesFile.get("groups"))
            .stream()
                .flatMap(group -> ((List<?>) map(group).get("rules")).stream())
                .filter(rule -> map(rule).containsKey("alert"))
                .map(rule -> map(rule).get("alert") + " " + at(rule, "labels", "severity"))
                .toList();
    Set<String> documented =
        Pattern.compile(
                "^\\| `(\\w+)` \\| (warning|critical) \\| [^|]+ \\| [^|]+ \\|$", Pattern.MULTILINE)
            .matcher(Files.readString(Path.of("docs/operations.md")))
            .results()
            .map(match -> match.group(1) + " " + match.group(2))
            .collect(Collectors.toSet());

    assertThat(alerts).isNotEmpty();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(alerts);
  }

  @Test
  void readmeDocumentsEveryValue() throws IOException {
    Map<String, Object> values =
        new Yaml().load(Files.readString(RenderedChart.CHART.resolve("values.yaml")));
    Set<String> documented =
        Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE)
            .matcher(Files.readString(RenderedChart.CHART.resolve("README.md")))
            .results()
            .map(match -> match.group(1))
            .collect(Collectors.toSet());

    assertThat(undocumented("", values, documented)).isEmpty();
  }

  /** Value paths with no README row of their own or of an enclosing value. */
  private static List<String> undocumented(
      String prefix, Map<String, Object> values, Set<String> documented) {
    List<String> missing = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          String path = prefix + key;
          if (documented.contains(path)) {
            return;
          }
          if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
            missing.addAll(undocumented(path + ".", map(nested), documented));
          } else {
            missing.add(path);
          }
        });
    return missing;
  }

  private static Map<String, String> env(V1Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue));
  }

  private static V1VolumeMount mount(V1Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
  }

  private static V1Volume volume(V1PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
