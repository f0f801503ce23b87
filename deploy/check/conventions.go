package main

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// minGracePeriod is the shortest terminationGracePeriodSeconds a Deployment may have:
// the services drain for up to 20 s (SHUTDOWN_TIMEOUT) after SIGTERM.
const minGracePeriod = 20

// finding is one broken rule, tied to the object that breaks it.
type finding struct {
	Ref string // object.ref()
	Msg string
}

func (f finding) Error() string { return f.Ref + ": " + f.Msg }

// checkAll applies every convention to one render and returns the findings, sorted.
func checkAll(objs []object) []error {
	c := checker{idx: index(objs)}
	for _, o := range objs {
		switch obj := o.Obj.(type) {
		case *appsv1.Deployment:
			c.deployment(o, obj)
		case *batchv1.Job:
			c.podSpec(o, &obj.Spec.Template.Spec, false)
		case *corev1.Service:
			c.service(o, obj)
		case *autoscalingv2.HorizontalPodAutoscaler:
			c.hpa(o, obj)
		case *policyv1.PodDisruptionBudget:
			c.pdb(o, obj)
		case *networkingv1.NetworkPolicy:
			c.networkPolicy(o, obj)
		case *ScaledObject:
			c.scaledObject(o, obj)
		case *KafkaTopic:
			c.kafkaTopic(o, obj)
		case *KafkaNodePool:
			c.strimziCluster(o)
		case *KafkaUser:
			c.strimziCluster(o)
		case *Kafka:
			c.kafka(o, obj)
		case *Elasticsearch:
			c.elasticsearch(o, obj)
		}
	}
	if _, err := soleNamespace(objs); err != nil {
		c.found = append(c.found, finding{Ref: "render", Msg: "namespaced objects must share one namespace, found " + namespacesOf(objs)})
	}
	sort.SliceStable(c.found, func(i, j int) bool { return c.found[i].Error() < c.found[j].Error() })
	out := make([]error, len(c.found))
	for i, f := range c.found {
		out[i] = f
	}
	return out
}

// objIndex looks objects up by kind, namespace and name.
type objIndex map[string]object

func index(objs []object) objIndex {
	idx := objIndex{}
	for _, o := range objs {
		idx[o.Kind+"|"+o.Namespace+"|"+o.Name] = o
	}
	return idx
}

func (idx objIndex) get(kind, ns, name string) (object, bool) {
	o, ok := idx[kind+"|"+ns+"|"+name]
	return o, ok
}

// ofKind returns the objects of one kind in one namespace.
func (idx objIndex) ofKind(kind, ns string) []object {
	var out []object
	for _, o := range idx {
		if o.Kind == kind && o.Namespace == ns {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

type checker struct {
	idx   objIndex
	found []finding
}

func (c *checker) add(o object, format string, args ...any) {
	c.found = append(c.found, finding{Ref: o.ref(), Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) deployment(o object, d *appsv1.Deployment) {
	spec := &d.Spec.Template.Spec
	c.podSpec(o, spec, true)
	if g := spec.TerminationGracePeriodSeconds; g == nil {
		c.add(o, "terminationGracePeriodSeconds is not set (must be > %d)", minGracePeriod)
	} else if *g <= minGracePeriod {
		c.add(o, "terminationGracePeriodSeconds is %d, must be > %d", *g, minGracePeriod)
	}
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	switch {
	case err != nil:
		c.add(o, "spec.selector: %v", err)
	case d.Spec.Selector == nil || sel.Empty():
		c.add(o, "spec.selector is empty")
	case !sel.Matches(labels.Set(d.Spec.Template.Labels)):
		c.add(o, "spec.selector %s does not match the pod template labels", sel)
	}
}

// podSpec checks what every workload's containers must have; probes only for long-running ones.
func (c *checker) podSpec(o object, spec *corev1.PodSpec, needProbes bool) {
	if len(spec.Containers) == 0 {
		c.add(o, "no containers")
	}
	all := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
	for i, ctr := range all {
		init := i < len(spec.InitContainers)
		where := "container " + ctr.Name
		if init {
			where = "init container " + ctr.Name
		}
		if err := checkImage(ctr.Image); err != nil {
			c.add(o, "%s: %v", where, err)
		}
		for _, kind := range []string{"requests", "limits"} {
			list := ctr.Resources.Requests
			if kind == "limits" {
				list = ctr.Resources.Limits
			}
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				q, ok := list[r]
				if !ok {
					c.add(o, "%s: no %s %s", where, r, kind)
				} else if q.Sign() <= 0 {
					c.add(o, "%s: %s %s is %s, must be positive", where, r, kind, q.String())
				}
			}
		}
		for kind, list := range map[string]corev1.ResourceList{"requests": ctr.Resources.Requests, "limits": ctr.Resources.Limits} {
			for r := range list {
				if !knownResource(r) {
					c.add(o, "%s: unknown resource %q in %s", where, r, kind)
				}
			}
		}
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, okR := ctr.Resources.Requests[r]
			lim, okL := ctr.Resources.Limits[r]
			if okR && okL && req.Cmp(lim) > 0 {
				c.add(o, "%s: %s request %s exceeds its limit %s", where, r, req.String(), lim.String())
			}
		}
		c.securityContext(o, where, spec.SecurityContext, ctr.SecurityContext)
		c.configMapRefs(o, where, ctr)
		if needProbes && !init {
			c.probes(o, where, ctr)
		}
	}
}

func (c *checker) securityContext(o object, where string, pod *corev1.PodSecurityContext, ctr *corev1.SecurityContext) {
	nonRoot := pod != nil && pod.RunAsNonRoot != nil && *pod.RunAsNonRoot
	if ctr != nil && ctr.RunAsNonRoot != nil {
		nonRoot = *ctr.RunAsNonRoot
	}
	if !nonRoot {
		c.add(o, "%s: runAsNonRoot must be true", where)
	}
	uid := pod != nil && pod.RunAsUser != nil && *pod.RunAsUser == 0
	if ctr != nil && ctr.RunAsUser != nil {
		uid = *ctr.RunAsUser == 0
	}
	if uid {
		c.add(o, "%s: runAsUser is 0 (root)", where)
	}
	if ctr == nil || ctr.ReadOnlyRootFilesystem == nil || !*ctr.ReadOnlyRootFilesystem {
		c.add(o, "%s: readOnlyRootFilesystem must be true", where)
	}
	if ctr == nil || ctr.AllowPrivilegeEscalation == nil || *ctr.AllowPrivilegeEscalation {
		c.add(o, "%s: allowPrivilegeEscalation must be false", where)
	}
	if ctr == nil || ctr.Capabilities == nil || !dropsAll(ctr.Capabilities.Drop) {
		c.add(o, "%s: capabilities must drop ALL", where)
	}
	seccomp := pod != nil && pod.SeccompProfile != nil && pod.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
	if ctr != nil && ctr.SeccompProfile != nil {
		seccomp = ctr.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
	}
	if !seccomp {
		c.add(o, "%s: seccompProfile must be RuntimeDefault", where)
	}
}

// knownResource accepts the container resources the API server does: the standard ones,
// huge pages, and extended resources, which are always domain-qualified ("vendor/gpu").
func knownResource(r corev1.ResourceName) bool {
	switch r {
	case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage:
		return true
	}
	return strings.HasPrefix(string(r), corev1.ResourceHugePagesPrefix) || strings.Contains(string(r), "/")
}

func dropsAll(caps []corev1.Capability) bool {
	for _, c := range caps {
		if c == "ALL" {
			return true
		}
	}
	return false
}

// probes requires liveness and readiness probes whose HTTP port is one the container declares.
func (c *checker) probes(o object, where string, ctr corev1.Container) {
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
	}{{"liveness", ctr.LivenessProbe}, {"readiness", ctr.ReadinessProbe}, {"startup", ctr.StartupProbe}} {
		if p.probe == nil {
			if p.name != "startup" {
				c.add(o, "%s: no %s probe", where, p.name)
			}
			continue
		}
		if h := p.probe.HTTPGet; h != nil && !declaresPort(ctr, h.Port) {
			c.add(o, "%s: %s probe port %s is not a container port", where, p.name, h.Port.String())
		}
	}
}

func declaresPort(ctr corev1.Container, port intstr.IntOrString) bool {
	for _, p := range ctr.Ports {
		if (port.Type == intstr.String && p.Name == port.StrVal) || (port.Type == intstr.Int && p.ContainerPort == port.IntVal) {
			return true
		}
	}
	return false
}

// configMapRefs requires every ConfigMap a container reads to be part of the render:
// generated ConfigMaps carry a hash suffix, so a reference kustomize failed to rewrite
// points at nothing.
func (c *checker) configMapRefs(o object, where string, ctr corev1.Container) {
	for _, ef := range ctr.EnvFrom {
		if ref := ef.ConfigMapRef; ref != nil && !(ref.Optional != nil && *ref.Optional) {
			if _, ok := c.idx.get("ConfigMap", o.Namespace, ref.Name); !ok {
				c.add(o, "%s: envFrom ConfigMap %q is not in the render", where, ref.Name)
			}
		}
	}
	for _, e := range ctr.Env {
		if e.ValueFrom == nil || e.ValueFrom.ConfigMapKeyRef == nil {
			continue
		}
		ref := e.ValueFrom.ConfigMapKeyRef
		if ref.Optional != nil && *ref.Optional {
			continue
		}
		cm, ok := c.idx.get("ConfigMap", o.Namespace, ref.Name)
		if !ok {
			c.add(o, "%s: env %s: ConfigMap %q is not in the render", where, e.Name, ref.Name)
			continue
		}
		if _, ok := cm.Obj.(*corev1.ConfigMap).Data[ref.Key]; !ok {
			c.add(o, "%s: env %s: ConfigMap %q has no key %q", where, e.Name, ref.Name, ref.Key)
		}
	}
}

// checkImage rejects untagged images and the :latest tag; a digest is fine.
func checkImage(image string) error {
	if image == "" {
		return errors.New("no image")
	}
	if strings.Contains(image, "@") {
		return nil // pinned by digest
	}
	last := image[strings.LastIndex(image, "/")+1:]
	i := strings.LastIndex(last, ":")
	if i < 0 {
		return fmt.Errorf("image %q has no tag", image)
	}
	if last[i+1:] == "latest" {
		return fmt.Errorf("image %q uses the :latest tag", image)
	}
	return nil
}

// podLabels returns the pod template labels of every Deployment and Job in ns.
func (c *checker) podLabels(ns string, kinds ...string) map[string]labels.Set {
	out := map[string]labels.Set{}
	for _, kind := range kinds {
		for _, o := range c.idx.ofKind(kind, ns) {
			switch w := o.Obj.(type) {
			case *appsv1.Deployment:
				out[o.ref()] = labels.Set(w.Spec.Template.Labels)
			case *batchv1.Job:
				out[o.ref()] = labels.Set(w.Spec.Template.Labels)
			}
		}
	}
	return out
}

func (c *checker) matchesAny(sel labels.Selector, ns string, kinds ...string) bool {
	for _, l := range c.podLabels(ns, kinds...) {
		if sel.Matches(l) {
			return true
		}
	}
	return false
}

func (c *checker) service(o object, s *corev1.Service) {
	if len(s.Spec.Selector) == 0 {
		c.add(o, "service has no selector")
		return
	}
	sel := labels.SelectorFromSet(s.Spec.Selector)
	if !c.matchesAny(sel, o.Namespace, "Deployment") {
		c.add(o, "selector %s matches no Deployment's pods", sel)
	}
}

func (c *checker) hpa(o object, h *autoscalingv2.HorizontalPodAutoscaler) {
	ref := h.Spec.ScaleTargetRef
	if ref.Kind != "Deployment" || ref.APIVersion != "apps/v1" {
		c.add(o, "scaleTargetRef must be an apps/v1 Deployment, is %s %s", ref.APIVersion, ref.Kind)
	} else if _, ok := c.idx.get("Deployment", o.Namespace, ref.Name); !ok {
		c.add(o, "scaleTargetRef: Deployment %q does not exist", ref.Name)
	}
	min := int32(1)
	if h.Spec.MinReplicas != nil {
		min = *h.Spec.MinReplicas
	}
	if min < 1 || h.Spec.MaxReplicas < min {
		c.add(o, "replicas range %d..%d is invalid", min, h.Spec.MaxReplicas)
	}
	if len(h.Spec.Metrics) == 0 {
		c.add(o, "no metrics")
	}
}

func (c *checker) pdb(o object, p *policyv1.PodDisruptionBudget) {
	if (p.Spec.MinAvailable == nil) == (p.Spec.MaxUnavailable == nil) {
		c.add(o, "set exactly one of minAvailable and maxUnavailable")
	}
	sel, err := metav1.LabelSelectorAsSelector(p.Spec.Selector)
	if err != nil || p.Spec.Selector == nil || sel.Empty() {
		c.add(o, "selector is missing or invalid")
		return
	}
	if !c.matchesAny(sel, o.Namespace, "Deployment") {
		c.add(o, "selector %s matches no Deployment's pods", sel)
	}
}

func (c *checker) networkPolicy(o object, n *networkingv1.NetworkPolicy) {
	sel, err := metav1.LabelSelectorAsSelector(&n.Spec.PodSelector)
	if err != nil {
		c.add(o, "podSelector: %v", err)
		return
	}
	if !sel.Empty() && !c.matchesAny(sel, o.Namespace, "Deployment", "Job") {
		c.add(o, "podSelector %s matches no Deployment's or Job's pods", sel)
	}
}

// kafkaTriggerKeys are the KEDA kafka scaler's metadata keys (KEDA 2.12+); "FromEnv"
// variants of the first three read the value from the target container's environment.
var kafkaTriggerKeys = map[string]bool{
	"bootstrapServers": true, "bootstrapServersFromEnv": true,
	"consumerGroup": true, "consumerGroupFromEnv": true,
	"topic": true, "topicFromEnv": true,
	"lagThreshold": true, "activationLagThreshold": true, "offsetResetPolicy": true,
	"allowIdleConsumers": true, "excludePersistentLag": true, "scaleToZeroOnInvalidOffset": true,
	"limitToPartitionsWithLag": true, "partitionLimitation": true, "version": true,
	"sasl": true, "tls": true, "unsafeSsl": true,
}

func (c *checker) scaledObject(o object, s *ScaledObject) {
	ref := s.Spec.ScaleTargetRef
	if ref.Kind != "" && ref.Kind != "Deployment" {
		c.add(o, "scaleTargetRef kind %q: only Deployments are scaled", ref.Kind)
		return
	}
	target, ok := c.idx.get("Deployment", o.Namespace, ref.Name)
	if !ok {
		c.add(o, "scaleTargetRef: Deployment %q does not exist", ref.Name)
		return
	}
	for _, h := range c.idx.ofKind("HorizontalPodAutoscaler", o.Namespace) {
		if h.Obj.(*autoscalingv2.HorizontalPodAutoscaler).Spec.ScaleTargetRef.Name == ref.Name {
			c.add(o, "Deployment %q is also scaled by %s: remove one of them", ref.Name, h.ref())
		}
	}
	min, max := int32(0), int32(100) // KEDA's defaults
	if s.Spec.MinReplicaCount != nil {
		min = *s.Spec.MinReplicaCount
	}
	if s.Spec.MaxReplicaCount != nil {
		max = *s.Spec.MaxReplicaCount
	}
	if min < 0 || max < 1 || max < min {
		c.add(o, "replica range %d..%d is invalid", min, max)
	}
	if len(s.Spec.Triggers) == 0 {
		c.add(o, "no triggers")
	}
	env := c.containerEnv(target)
	for i, t := range s.Spec.Triggers {
		where := fmt.Sprintf("trigger %d (%s)", i, t.Type)
		if t.Type != "kafka" {
			c.add(o, "%s: only kafka triggers are known to this check", where)
			continue
		}
		for k, v := range t.Metadata {
			if !kafkaTriggerKeys[k] {
				c.add(o, "%s: unknown metadata key %q", where, k)
			}
			if strings.HasSuffix(k, "FromEnv") && !env[v] {
				c.add(o, "%s: %s names %s, which Deployment %q does not set", where, k, v, ref.Name)
			}
		}
		for _, k := range []string{"bootstrapServers", "consumerGroup"} {
			if t.Metadata[k] == "" && t.Metadata[k+"FromEnv"] == "" {
				c.add(o, "%s: %s (or %sFromEnv) is required", where, k, k)
			}
		}
		if v, ok := t.Metadata["lagThreshold"]; ok {
			if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
				c.add(o, "%s: lagThreshold %q must be a positive integer", where, v)
			}
		}
		if v, ok := t.Metadata["offsetResetPolicy"]; ok && v != "latest" && v != "earliest" {
			c.add(o, "%s: offsetResetPolicy %q must be latest or earliest", where, v)
		}
		if a := t.AuthenticationRef; a != nil {
			kind := a.Kind
			if kind == "" {
				kind = "TriggerAuthentication"
			}
			if _, ok := c.idx.get(kind, o.Namespace, a.Name); !ok {
				c.add(o, "%s: authenticationRef %s %q does not exist", where, kind, a.Name)
			}
		}
	}
}

// containerEnv returns the variable names the Deployment's first container gets,
// from env and from the ConfigMaps in envFrom (KEDA resolves *FromEnv the same way).
func (c *checker) containerEnv(o object) map[string]bool {
	d := o.Obj.(*appsv1.Deployment)
	env := map[string]bool{}
	if len(d.Spec.Template.Spec.Containers) == 0 {
		return env
	}
	ctr := d.Spec.Template.Spec.Containers[0]
	for _, e := range ctr.Env {
		env[e.Name] = true
	}
	for _, ef := range ctr.EnvFrom {
		if ef.ConfigMapRef == nil {
			continue
		}
		if cm, ok := c.idx.get("ConfigMap", o.Namespace, ef.ConfigMapRef.Name); ok {
			for k := range cm.Obj.(*corev1.ConfigMap).Data {
				env[ef.Prefix+k] = true
			}
		}
	}
	return env
}

// strimziCluster requires the strimzi.io/cluster label to name a Kafka in the render.
func (c *checker) strimziCluster(o object) (*Kafka, bool) {
	name := o.Labels["strimzi.io/cluster"]
	if name == "" {
		c.add(o, "label strimzi.io/cluster is missing")
		return nil, false
	}
	k, ok := c.idx.get("Kafka", o.Namespace, name)
	if !ok {
		c.add(o, "label strimzi.io/cluster names Kafka %q, which does not exist", name)
		return nil, false
	}
	return k.Obj.(*Kafka), true
}

// brokers counts the broker nodes of a Kafka cluster over its node pools.
func (c *checker) brokers(ns, cluster string) int32 {
	var n int32
	for _, o := range c.idx.ofKind("KafkaNodePool", ns) {
		p := o.Obj.(*KafkaNodePool)
		if o.Labels["strimzi.io/cluster"] != cluster {
			continue
		}
		for _, r := range p.Spec.Roles {
			if r == "broker" {
				n += p.Spec.Replicas
			}
		}
	}
	return n
}

func (c *checker) kafka(o object, k *Kafka) {
	if len(k.Spec.Kafka.Listeners) == 0 {
		c.add(o, "no listeners")
	}
	seen := map[string]bool{}
	for _, l := range k.Spec.Kafka.Listeners {
		if seen[l.Name] || seen[strconv.Itoa(int(l.Port))] {
			c.add(o, "listener %s: name or port %d used twice", l.Name, l.Port)
		}
		seen[l.Name], seen[strconv.Itoa(int(l.Port))] = true, true
	}
	if c.brokers(o.Namespace, o.Name) == 0 {
		c.add(o, "no KafkaNodePool with the broker role for this cluster")
	}
}

func (c *checker) kafkaTopic(o object, t *KafkaTopic) {
	k, ok := c.strimziCluster(o)
	if !ok {
		return
	}
	if t.Spec.Partitions < 1 {
		c.add(o, "partitions must be at least 1")
	}
	if b := c.brokers(o.Namespace, k.Name); t.Spec.Replicas < 1 || t.Spec.Replicas > b {
		c.add(o, "replicas %d must be between 1 and the %d brokers", t.Spec.Replicas, b)
	}
}

func (c *checker) elasticsearch(o object, e *Elasticsearch) {
	if e.Spec.Version == "" {
		c.add(o, "no version")
	}
	if len(e.Spec.NodeSets) == 0 {
		c.add(o, "no nodeSets")
	}
	for _, ns := range e.Spec.NodeSets {
		if ns.Count < 1 {
			c.add(o, "nodeSet %s: count must be at least 1", ns.Name)
		}
	}
}

func namespacesOf(objs []object) string {
	seen := map[string]bool{}
	for _, o := range objs {
		if o.namespaced {
			seen[strconv.Quote(o.Namespace)] = true
		}
	}
	var out []string
	for ns := range seen {
		out = append(out, ns)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
