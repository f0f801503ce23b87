package main

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestDecodeStrict(t *testing.T) {
	const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "example/web:1"}]
`
	tests := []struct {
		name    string
		doc     string
		wantErr string // "" for success
	}{
		{name: "valid", doc: deployment},
		{
			name:    "unknown field",
			doc:     strings.Replace(deployment, "image:", "imagePullPolicyy: Always, image:", 1),
			wantErr: `unknown field "spec.template.spec.containers[0].imagePullPolicyy"`,
		},
		{
			name:    "field in the wrong case",
			doc:     strings.Replace(deployment, "selector:", "Selector:", 1),
			wantErr: `unknown field "spec.Selector"`,
		},
		{
			name:    "wrong type",
			doc:     strings.Replace(deployment, "spec:\n  selector", "spec:\n  replicas: two\n  selector", 1),
			wantErr: "cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
		},
		{
			name:    "bad quantity",
			doc:     strings.Replace(deployment, `image: "example/web:1"`, `image: "example/web:1", resources: {limits: {memory: 12 GB}}`, 1),
			wantErr: "quantities must match the regular expression",
		},
		{
			name:    "unknown kind",
			doc:     "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\n",
			wantErr: `DaemonSet x: unknown kind "DaemonSet" in apiVersion "apps/v1"`,
		},
		{
			name:    "known kind in another version",
			doc:     strings.Replace(deployment, "apps/v1", "apps/v1beta1", 1),
			wantErr: `unknown kind "Deployment" in apiVersion "apps/v1beta1"`,
		},
		{
			name:    "invalid name",
			doc:     strings.Replace(deployment, "name: web}", "name: Web_1}", 1),
			wantErr: `metadata.name "Web_1"`,
		},
		{
			name:    "invalid label value",
			doc:     strings.Replace(deployment, "metadata: {name: web}", "metadata: {name: web, labels: {team: a b}}", 1),
			wantErr: `label team value "a b"`,
		},
		{
			name:    "namespace on a cluster-scoped kind",
			doc:     "apiVersion: v1\nkind: Namespace\nmetadata: {name: x, namespace: other}\n",
			wantErr: `cluster-scoped kind has metadata.namespace "other"`,
		},
		{
			name: "unknown field in a custom resource",
			doc: `
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: w}
spec:
  scaleTargetRef: {name: w}
  minReplicas: 1
  triggers: []
`,
			wantErr: `unknown field "spec.minReplicas"`,
		},
		{
			name: "custom resource embeds strict Kubernetes types",
			doc: `
apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: {name: es}
spec:
  version: 8.19.11
  nodeSets:
    - name: default
      count: 1
      podTemplate: {spec: {containers: [{name: elasticsearch, resource: {}}]}}
`,
			wantErr: `unknown field "spec.nodeSets[0].podTemplate.spec.containers[0].resource"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			js, err := yaml.YAMLToJSON([]byte(tc.doc))
			if err != nil {
				t.Fatalf("YAMLToJSON: %v", err)
			}
			_, err = decode(js)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("decode: unexpected error %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("decode: no error, want one containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("decode error = %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestDecodeDuplicateField(t *testing.T) {
	// YAML forbids duplicate keys, so this case is written as JSON directly.
	js := []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"A":"1"},"data":{"B":"2"}}`)
	_, err := decode(js)
	if err == nil || !strings.Contains(err.Error(), `duplicate field "data"`) {
		t.Fatalf("decode = %v, want a duplicate field error", err)
	}
}
