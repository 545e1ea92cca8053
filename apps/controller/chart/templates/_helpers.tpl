{{- define "karpenter-ts.labels" -}}
app.kubernetes.io/name: karpenter-ts
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
{{- define "karpenter-ts.selectorLabels" -}}
app.kubernetes.io/name: karpenter-ts
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
