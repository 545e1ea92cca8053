{{- define "karpenter-ts.fullname" -}}
{{- printf "%s-karpenter-ts" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}
{{- define "karpenter-ts.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: karpenter-ts
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
{{- define "karpenter-ts.selectorLabels" -}}
app.kubernetes.io/name: karpenter-ts
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
{{- define "karpenter-ts.serviceAccountName" -}}
{{- .Values.serviceAccount.name -}}
{{- end }}
{{- define "karpenter-ts.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}
{{/* A setting's value as environment text: strings as they are, numbers without exponent, booleans as true/false. */}}
{{- define "karpenter-ts.envText" -}}
{{- if kindIs "string" . -}}{{ . }}{{- else -}}{{ toJson . }}{{- end -}}
{{- end }}
{{/* A port setting, or its default when unset. */}}
{{- define "karpenter-ts.port" -}}
{{- $value := index .root.Values.settings .name -}}
{{- if kindIs "invalid" $value -}}{{ .default }}{{- else -}}{{ int64 $value }}{{- end -}}
{{- end }}
