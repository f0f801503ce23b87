package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// goodManifests is a small render that follows every convention.
const goodManifests = `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: ns}
data: {TOPIC: articles.raw, GROUP: g}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ns}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 30
      securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: web
          image: example/web:1.0.0
          ports: [{name: http, containerPort: 8080}]
          envFrom: [{configMapRef: {name: cfg}}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: "1", memory: 256Mi}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /readyz, port: 8080}}
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: setup, namespace: ns}
spec:
  template:
    metadata: {labels: {app: setup}}
    spec:
      restartPolicy: Never
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: setup
          image: example/setup:1.0.0
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {cpu: 100m, memory: 64Mi}
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ns}
spec:
  selector: {app: web}
  ports: [{port: 8080, targetPort: http}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: ns}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: ns}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: setup, namespace: ns}
spec:
  podSelector: {matchLabels: {app: setup}}
  policyTypes: [Egress]
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker, namespace: ns}
spec:
  scaleTargetRef: {name: worker}
  triggers:
    - type: kafka
      metadata: {bootstrapServers: "kafka:9092", consumerGroupFromEnv: GROUP, topicFromEnv: TOPIC, lagThreshold: "10"}
      authenticationRef: {name: kafka}
---
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata: {name: kafka, namespace: ns}
spec:
  secretTargetRef: [{parameter: password, name: kafka, key: password}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: ns}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      terminationGracePeriodSeconds: 30
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: worker
          image: example/worker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          ports: [{name: http, containerPort: 8082}]
          envFrom: [{configMapRef: {name: cfg}}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: "1", memory: 256Mi}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /readyz, port: http}}
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
---
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata: {name: kafka, namespace: ns}
spec:
  kafka:
    listeners: [{name: tls, port: 9093, type: internal, tls: true}]
---
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaNodePool
metadata: {name: pool, namespace: ns, labels: {strimzi.io/cluster: kafka}}
spec:
  replicas: 3
  roles: [controller, broker]
  storage: {type: ephemeral}
---
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata: {name: articles.raw, namespace: ns, labels: {strimzi.io/cluster: kafka}}
spec: {partitions: 6, replicas: 3}
`

// manifests is the decoded good render with handles on the objects a case breaks.
type manifests struct {
	objs   []object
	cfg    *corev1.ConfigMap
	web    *appsv1.Deployment
	worker *appsv1.Deployment
	job    *batchv1.Job
	svc    *corev1.Service
	hpa    *autoscalingv2.HorizontalPodAutoscaler
	pdb    *policyv1.PodDisruptionBudget
	scaled *ScaledObject
	topic  *KafkaTopic
}

func (m *manifests) webCtr() *corev1.Container { return &m.web.Spec.Template.Spec.Containers[0] }

func parseManifests(t *testing.T, docs string) *manifests {
	t.Helper()
	m := &manifests{}
	for _, doc := range splitDocs(docs) {
		js, err := yaml.YAMLToJSON([]byte(doc))
		if err != nil {
			t.Fatalf("converting test manifest: %v", err)
		}
		o, err := decode(js)
		if err != nil {
			t.Fatalf("decoding test manifest: %v", err)
		}
		m.objs = append(m.objs, o)
		switch obj := o.Obj.(type) {
		case *corev1.ConfigMap:
			m.cfg = obj
		case *appsv1.Deployment:
			if o.Name == "web" {
				m.web = obj
			} else {
				m.worker = obj
			}
		case *batchv1.Job:
			m.job = obj
		case *corev1.Service:
			m.svc = obj
		case *autoscalingv2.HorizontalPodAutoscaler:
			m.hpa = obj
		case *policyv1.PodDisruptionBudget:
			m.pdb = obj
		case *ScaledObject:
			m.scaled = obj
		case *KafkaTopic:
			m.topic = obj
		}
	}
	return m
}

func splitDocs(s string) []string {
	var out []string
	for _, d := range strings.Split(s, "\n---\n") {
		if len(strings.TrimSpace(d)) > 0 {
			out = append(out, d)
		}
	}
	return out
}

func TestConventions(t *testing.T) {
	ptr := func(v int64) *int64 { return &v }
	tests := []struct {
		name   string
		breakf func(m *manifests)
		want   []string
	}{
		{
			name:   "all good",
			breakf: func(m *manifests) {},
			want:   nil,
		},
		{
			name:   "no liveness probe",
			breakf: func(m *manifests) { m.webCtr().LivenessProbe = nil },
			want:   []string{"Deployment ns/web: container web: no liveness probe"},
		},
		{
			name:   "no readiness probe",
			breakf: func(m *manifests) { m.webCtr().ReadinessProbe = nil },
			want:   []string{"Deployment ns/web: container web: no readiness probe"},
		},
		{
			name: "probe on an undeclared port",
			breakf: func(m *manifests) {
				m.webCtr().ReadinessProbe.HTTPGet.Port = intstr.FromString("metrics")
			},
			want: []string{"Deployment ns/web: container web: readiness probe port metrics is not a container port"},
		},
		{
			name:   "no cpu limit",
			breakf: func(m *manifests) { delete(m.webCtr().Resources.Limits, corev1.ResourceCPU) },
			want:   []string{"Deployment ns/web: container web: no cpu limits"},
		},
		{
			name:   "no memory request",
			breakf: func(m *manifests) { delete(m.webCtr().Resources.Requests, corev1.ResourceMemory) },
			want:   []string{"Deployment ns/web: container web: no memory requests"},
		},
		{
			name: "misspelt resource",
			breakf: func(m *manifests) {
				m.webCtr().Resources.Limits["memroy"] = resource.MustParse("1Gi")
			},
			want: []string{`Deployment ns/web: container web: unknown resource "memroy" in limits`},
		},
		{
			name: "request above limit",
			breakf: func(m *manifests) {
				m.webCtr().Resources.Requests[corev1.ResourceMemory] = resource.MustParse("1Gi")
			},
			want: []string{"Deployment ns/web: container web: memory request 1Gi exceeds its limit 256Mi"},
		},
		{
			name:   "job without limits",
			breakf: func(m *manifests) { m.job.Spec.Template.Spec.Containers[0].Resources.Limits = nil },
			want: []string{
				"Job ns/setup: container setup: no cpu limits",
				"Job ns/setup: container setup: no memory limits",
			},
		},
		{
			name:   "latest tag",
			breakf: func(m *manifests) { m.webCtr().Image = "example/web:latest" },
			want:   []string{`Deployment ns/web: container web: image "example/web:latest" uses the :latest tag`},
		},
		{
			name:   "untagged image",
			breakf: func(m *manifests) { m.webCtr().Image = "example/web" },
			want:   []string{`Deployment ns/web: container web: image "example/web" has no tag`},
		},
		{
			name:   "registry port is not a tag",
			breakf: func(m *manifests) { m.job.Spec.Template.Spec.Containers[0].Image = "registry.local:5000/setup" },
			want:   []string{`Job ns/setup: container setup: image "registry.local:5000/setup" has no tag`},
		},
		{
			name: "container overrides runAsNonRoot",
			breakf: func(m *manifests) {
				f := false
				m.webCtr().SecurityContext.RunAsNonRoot = &f
			},
			want: []string{"Deployment ns/web: container web: runAsNonRoot must be true"},
		},
		{
			name:   "no pod security context",
			breakf: func(m *manifests) { m.job.Spec.Template.Spec.SecurityContext = nil },
			want: []string{
				"Job ns/setup: container setup: runAsNonRoot must be true",
				"Job ns/setup: container setup: seccompProfile must be RuntimeDefault",
			},
		},
		{
			name:   "runs as uid 0",
			breakf: func(m *manifests) { m.web.Spec.Template.Spec.SecurityContext.RunAsUser = ptr(0) },
			want:   []string{"Deployment ns/web: container web: runAsUser is 0 (root)"},
		},
		{
			name: "writable root filesystem",
			breakf: func(m *manifests) {
				f := false
				m.webCtr().SecurityContext.ReadOnlyRootFilesystem = &f
			},
			want: []string{"Deployment ns/web: container web: readOnlyRootFilesystem must be true"},
		},
		{
			name:   "capabilities kept",
			breakf: func(m *manifests) { m.webCtr().SecurityContext.Capabilities = nil },
			want:   []string{"Deployment ns/web: container web: capabilities must drop ALL"},
		},
		{
			name:   "grace period too short",
			breakf: func(m *manifests) { m.web.Spec.Template.Spec.TerminationGracePeriodSeconds = ptr(20) },
			want:   []string{"Deployment ns/web: terminationGracePeriodSeconds is 20, must be > 20"},
		},
		{
			name:   "grace period unset",
			breakf: func(m *manifests) { m.web.Spec.Template.Spec.TerminationGracePeriodSeconds = nil },
			want:   []string{"Deployment ns/web: terminationGracePeriodSeconds is not set (must be > 20)"},
		},
		{
			name:   "selector misses the template",
			breakf: func(m *manifests) { m.web.Spec.Selector.MatchLabels["app"] = "other" },
			want: []string{
				"Deployment ns/web: spec.selector app=other does not match the pod template labels",
			},
		},
		{
			name:   "service selects nothing",
			breakf: func(m *manifests) { m.svc.Spec.Selector = map[string]string{"app": "wbe"} },
			want:   []string{"Service ns/web: selector app=wbe matches no Deployment's pods"},
		},
		{
			name:   "service selects a Job only",
			breakf: func(m *manifests) { m.svc.Spec.Selector = map[string]string{"app": "setup"} },
			want:   []string{"Service ns/web: selector app=setup matches no Deployment's pods"},
		},
		{
			name:   "hpa target missing",
			breakf: func(m *manifests) { m.hpa.Spec.ScaleTargetRef.Name = "gone" },
			want:   []string{`HorizontalPodAutoscaler ns/web: scaleTargetRef: Deployment "gone" does not exist`},
		},
		{
			name:   "hpa range inverted",
			breakf: func(m *manifests) { m.hpa.Spec.MaxReplicas = 0 },
			want:   []string{"HorizontalPodAutoscaler ns/web: replicas range 1..0 is invalid"},
		},
		{
			name:   "pdb selects nothing",
			breakf: func(m *manifests) { m.pdb.Spec.Selector.MatchLabels = map[string]string{"app": "gone"} },
			want:   []string{"PodDisruptionBudget ns/web: selector app=gone matches no Deployment's pods"},
		},
		{
			name: "pdb sets both bounds",
			breakf: func(m *manifests) {
				one := intstr.FromInt32(1)
				m.pdb.Spec.MinAvailable = &one
			},
			want: []string{"PodDisruptionBudget ns/web: set exactly one of minAvailable and maxUnavailable"},
		},
		{
			name:   "envFrom ConfigMap not rendered",
			breakf: func(m *manifests) { m.webCtr().EnvFrom[0].ConfigMapRef.Name = "cfg-old" },
			want:   []string{`Deployment ns/web: container web: envFrom ConfigMap "cfg-old" is not in the render`},
		},
		{
			name:   "scaled object and hpa on one deployment",
			breakf: func(m *manifests) { m.hpa.Spec.ScaleTargetRef.Name = "worker" },
			want: []string{
				`ScaledObject ns/worker: Deployment "worker" is also scaled by HorizontalPodAutoscaler ns/web: remove one of them`,
			},
		},
		{
			name:   "scaled object target missing",
			breakf: func(m *manifests) { m.scaled.Spec.ScaleTargetRef.Name = "gone" },
			want:   []string{`ScaledObject ns/worker: scaleTargetRef: Deployment "gone" does not exist`},
		},
		{
			name:   "kafka trigger reads an unset variable",
			breakf: func(m *manifests) { delete(m.cfg.Data, "TOPIC") },
			want: []string{
				`ScaledObject ns/worker: trigger 0 (kafka): topicFromEnv names TOPIC, which Deployment "worker" does not set`,
			},
		},
		{
			name: "kafka trigger metadata typo",
			breakf: func(m *manifests) {
				md := m.scaled.Spec.Triggers[0].Metadata
				md["lagThreshhold"] = md["lagThreshold"]
				delete(md, "lagThreshold")
			},
			want: []string{`ScaledObject ns/worker: trigger 0 (kafka): unknown metadata key "lagThreshhold"`},
		},
		{
			name:   "kafka trigger without brokers",
			breakf: func(m *manifests) { delete(m.scaled.Spec.Triggers[0].Metadata, "bootstrapServers") },
			want: []string{
				"ScaledObject ns/worker: trigger 0 (kafka): bootstrapServers (or bootstrapServersFromEnv) is required",
			},
		},
		{
			name:   "kafka trigger lag threshold zero",
			breakf: func(m *manifests) { m.scaled.Spec.Triggers[0].Metadata["lagThreshold"] = "0" },
			want:   []string{`ScaledObject ns/worker: trigger 0 (kafka): lagThreshold "0" must be a positive integer`},
		},
		{
			name:   "trigger authentication missing",
			breakf: func(m *manifests) { m.scaled.Spec.Triggers[0].AuthenticationRef.Name = "gone" },
			want: []string{
				`ScaledObject ns/worker: trigger 0 (kafka): authenticationRef TriggerAuthentication "gone" does not exist`,
			},
		},
		{
			name:   "topic replicated beyond the brokers",
			breakf: func(m *manifests) { m.topic.Spec.Replicas = 4 },
			want:   []string{"KafkaTopic ns/articles.raw: replicas 4 must be between 1 and the 3 brokers"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parseManifests(t, goodManifests)
			tc.breakf(m)
			var got []string
			for _, err := range checkAll(m.objs) {
				got = append(got, err.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMixedNamespaces(t *testing.T) {
	m := parseManifests(t, goodManifests)
	m.objs[len(m.objs)-1].Namespace = ""
	var got []string
	for _, err := range checkAll(m.objs) {
		got = append(got, err.Error())
	}
	want := `render: namespaced objects must share one namespace, found "", "ns"`
	found := false
	for _, g := range got {
		found = found || g == want
	}
	if !found {
		t.Errorf("findings %q do not include %q", got, want)
	}
}

func TestCheckImage(t *testing.T) {
	tests := []struct {
		image string
		ok    bool
	}{
		{"deskwire/newsroom-ingest:0.1.0", true},
		{"deskwire/newsroom-ingest:dev-local", true},
		{"registry.local:5000/newsroom-ingest:1.2.3", true},
		{"newsroom-ingest@sha256:abc", true},
		{"newsroom-ingest", false},
		{"newsroom-ingest:latest", false},
		{"registry.local:5000/newsroom-ingest", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.image, func(t *testing.T) {
			if err := checkImage(tc.image); (err == nil) != tc.ok {
				t.Errorf("checkImage(%q) = %v, want ok=%v", tc.image, err, tc.ok)
			}
		})
	}
}
