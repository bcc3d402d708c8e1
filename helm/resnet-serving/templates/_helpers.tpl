{{/* Chart name, overridable. */}}
{{- define "resnet-serving.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's resources: release-chart unless the release name holds the chart name. */}}
{{- define "resnet-serving.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "resnet-serving.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "resnet-serving.labels" -}}
helm.sh/chart: {{ include "resnet-serving.chart" . }}
{{ include "resnet-serving.selectorLabels" . }}
app.kubernetes.io/version: {{ (default .Chart.AppVersion .Values.image.tag) | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: resnet-serving
{{- end }}

{{/* Labels that select the service's pods; never change them on an installed release. */}}
{{- define "resnet-serving.selectorLabels" -}}
app.kubernetes.io/name: {{ include "resnet-serving.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "resnet-serving.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "resnet-serving.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "resnet-serving.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where the container finds the model directory when it is not pulled from the zoo. */}}
{{- define "resnet-serving.modelDir" -}}
/models/model
{{- end }}

{{- define "resnet-serving.modelUri" -}}
{{- if eq .Values.model.source "zoo" }}
{{- .Values.model.zooUri }}
{{- else }}
{{- printf "file:%s" (include "resnet-serving.modelDir" .) }}
{{- end }}
{{- end }}

{{/* application.yaml: the user's config with the settings the chart owns laid over it. */}}
{{- define "resnet-serving.applicationYaml" -}}
{{- $owned := dict
      "resnet" (dict "model" (dict "uri" (include "resnet-serving.modelUri" .) "precision" .Values.model.precision))
      "spring" (dict
        "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ds" (int .Values.shutdown.drainSeconds)))
        "grpc" (dict "server" (dict "shutdown-grace-period" (printf "%ds" (int .Values.shutdown.drainSeconds))))) }}
{{- with .Values.logging.format }}
{{- $_ := set $owned "logging" (dict "structured" (dict "format" (dict "console" .))) }}
{{- end }}
{{- /* toString: a bare 0 from --set or a values file is an int, and false to `with`. */}}
{{- $cacheBytes := toString .Values.responseCache.maxBytes }}
{{- if ne $cacheBytes "" }}
{{- $_ := set (get $owned "resnet") "cache" (dict "max-bytes" $cacheBytes) }}
{{- end }}
{{- toYaml (mustMergeOverwrite (deepCopy .Values.config) $owned) }}
{{- end }}

{{/* Fails the render on combinations the schema cannot express. */}}
{{- define "resnet-serving.validate" -}}
{{- $s := .Values.shutdown }}
{{- $needed := add $s.preStopSleepSeconds (mul 3 $s.drainSeconds) | int }}
{{- if le (int $s.terminationGracePeriodSeconds) $needed }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds + 3 x drainSeconds (%d)" (int $s.terminationGracePeriodSeconds) $needed) }}
{{- end }}
{{- if and (eq .Values.model.source "pvc") (not .Values.model.pvc.claimName) }}
{{- fail "model.source pvc needs model.pvc.claimName" }}
{{- end }}
{{- if and (eq .Values.model.source "image") (not .Values.model.image.repository) }}
{{- fail "model.source image needs model.image.repository" }}
{{- end }}
{{- if and (ne .Values.model.precision "fp32") (eq .Values.model.source "zoo") }}
{{- fail (printf "model.precision %s needs a model converted by scripts/fixtures/reduce_precision.py (model.source pvc or image): the zoo serves fp32" .Values.model.precision) }}
{{- end }}
{{- if and (eq .Values.model.precision "fp16") (not (gt (int .Values.gpu.count) 0)) }}
{{- fail "model.precision fp16 needs gpu.count > 0: the service refuses fp16 on a CPU (use bf16 there)" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not .Values.autoscaling.targetCPUUtilizationPercentage) (not .Values.autoscaling.queueWait.enabled) }}
{{- fail "autoscaling needs targetCPUUtilizationPercentage or queueWait.enabled" }}
{{- end }}
{{- end }}
