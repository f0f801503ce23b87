package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	sigsjson "sigs.k8s.io/json"
)

// object is one rendered manifest decoded into its API type.
type object struct {
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	Labels     map[string]string
	// Obj is a pointer to the typed object, e.g. *appsv1.Deployment.
	Obj        any
	namespaced bool
}

// ref names the object in messages: "Deployment newsroom/ingest".
func (o object) ref() string {
	if o.Namespace == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Namespace + "/" + o.Name
}

// kindInfo says how to decode one apiVersion+kind.
type kindInfo struct {
	new        func() any
	namespaced bool
	// validName checks metadata.name; nil means a DNS-1123 subdomain.
	validName func(string) []string
}

// kinds lists every apiVersion/kind the manifests may contain. Anything else is an error:
// a new kind has to be added here, with its Go type, before it can ship.
var kinds = map[string]kindInfo{
	"v1/ConfigMap":      {new: func() any { return new(corev1.ConfigMap) }, namespaced: true},
	"v1/Secret":         {new: func() any { return new(corev1.Secret) }, namespaced: true},
	"v1/Service":        {new: func() any { return new(corev1.Service) }, namespaced: true, validName: validation.IsDNS1035Label},
	"v1/ServiceAccount": {new: func() any { return new(corev1.ServiceAccount) }, namespaced: true},
	"v1/Namespace":      {new: func() any { return new(corev1.Namespace) }, validName: validation.IsDNS1123Label},

	"apps/v1/Deployment":                            {new: func() any { return new(appsv1.Deployment) }, namespaced: true},
	"batch/v1/Job":                                  {new: func() any { return new(batchv1.Job) }, namespaced: true},
	"autoscaling/v2/HorizontalPodAutoscaler":        {new: func() any { return new(autoscalingv2.HorizontalPodAutoscaler) }, namespaced: true},
	"policy/v1/PodDisruptionBudget":                 {new: func() any { return new(policyv1.PodDisruptionBudget) }, namespaced: true},
	"networking.k8s.io/v1/NetworkPolicy":            {new: func() any { return new(networkingv1.NetworkPolicy) }, namespaced: true},
	"keda.sh/v1alpha1/ScaledObject":                 {new: func() any { return new(ScaledObject) }, namespaced: true},
	"keda.sh/v1alpha1/TriggerAuthentication":        {new: func() any { return new(TriggerAuthentication) }, namespaced: true},
	"kafka.strimzi.io/v1beta2/Kafka":                {new: func() any { return new(Kafka) }, namespaced: true},
	"kafka.strimzi.io/v1beta2/KafkaNodePool":        {new: func() any { return new(KafkaNodePool) }, namespaced: true},
	"kafka.strimzi.io/v1beta2/KafkaTopic":           {new: func() any { return new(KafkaTopic) }, namespaced: true},
	"kafka.strimzi.io/v1beta2/KafkaUser":            {new: func() any { return new(KafkaUser) }, namespaced: true},
	"elasticsearch.k8s.elastic.co/v1/Elasticsearch": {new: func() any { return new(Elasticsearch) }, namespaced: true},
}

// header is what every object has, read before the kind is known.
type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string            `json:"name"`
		Namespace string            `json:"namespace"`
		Labels    map[string]string `json:"labels"`
	} `json:"metadata"`
}

// decode strictly decodes one JSON object into its registered type: an unknown field,
// a duplicated field, a field in the wrong case or a value of the wrong type is an error.
func decode(data []byte) (object, error) {
	var h header
	if err := json.Unmarshal(data, &h); err != nil {
		return object{}, fmt.Errorf("decoding object header: %w", err)
	}
	ref := h.Kind + " " + h.Metadata.Name
	if h.Metadata.Namespace != "" {
		ref = h.Kind + " " + h.Metadata.Namespace + "/" + h.Metadata.Name
	}
	if h.APIVersion == "" || h.Kind == "" {
		return object{}, fmt.Errorf("%s: apiVersion and kind are required", ref)
	}
	info, ok := kinds[h.APIVersion+"/"+h.Kind]
	if !ok {
		return object{}, fmt.Errorf("%s: unknown kind %q in apiVersion %q (add it to kinds in deploy/check/decode.go)", ref, h.Kind, h.APIVersion)
	}
	obj := info.new()
	strict, err := sigsjson.UnmarshalStrict(data, obj, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return object{}, fmt.Errorf("%s: %w", ref, err)
	}
	if len(strict) > 0 {
		msgs := make([]string, len(strict))
		for i, e := range strict {
			msgs[i] = e.Error()
		}
		return object{}, fmt.Errorf("%s: %s", ref, strings.Join(msgs, "; "))
	}
	o := object{
		APIVersion: h.APIVersion,
		Kind:       h.Kind,
		Name:       h.Metadata.Name,
		Namespace:  h.Metadata.Namespace,
		Labels:     h.Metadata.Labels,
		Obj:        obj,
		namespaced: info.namespaced,
	}
	if err := validateMeta(o, info); err != nil {
		return object{}, fmt.Errorf("%s: %w", ref, err)
	}
	return o, nil
}

// validateMeta checks the name, namespace and labels the API server would reject.
func validateMeta(o object, info kindInfo) error {
	var errs []error
	validName := info.validName
	if validName == nil {
		validName = validation.IsDNS1123Subdomain
	}
	for _, msg := range validName(o.Name) {
		errs = append(errs, fmt.Errorf("metadata.name %q: %s", o.Name, msg))
	}
	if !info.namespaced && o.Namespace != "" {
		errs = append(errs, fmt.Errorf("cluster-scoped kind has metadata.namespace %q", o.Namespace))
	}
	if o.Namespace != "" {
		for _, msg := range validation.IsDNS1123Label(o.Namespace) {
			errs = append(errs, fmt.Errorf("metadata.namespace %q: %s", o.Namespace, msg))
		}
	}
	for k, v := range o.Labels {
		for _, msg := range validation.IsQualifiedName(k) {
			errs = append(errs, fmt.Errorf("label key %q: %s", k, msg))
		}
		for _, msg := range validation.IsValidLabelValue(v) {
			errs = append(errs, fmt.Errorf("label %s value %q: %s", k, v, msg))
		}
	}
	return errors.Join(errs...)
}
