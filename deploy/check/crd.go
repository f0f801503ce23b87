package main

// Local schemas for the custom resources the optional components use. They hold only the
// fields our manifests set (a field they do not list fails strict decoding, so a typo or an
// unplanned field is caught); embedded Kubernetes types are the real k8s.io/api ones.
// Field names follow KEDA v2, Strimzi v1beta2 and ECK elasticsearch.k8s.elastic.co/v1.

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ScaledObject is KEDA's keda.sh/v1alpha1 ScaledObject.
type ScaledObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ScaledObjectSpec `json:"spec"`
}

// ScaledObjectSpec is the part of KEDA's spec we use.
type ScaledObjectSpec struct {
	ScaleTargetRef  ScaleTarget     `json:"scaleTargetRef"`
	PollingInterval *int32          `json:"pollingInterval,omitempty"`
	CooldownPeriod  *int32          `json:"cooldownPeriod,omitempty"`
	MinReplicaCount *int32          `json:"minReplicaCount,omitempty"`
	MaxReplicaCount *int32          `json:"maxReplicaCount,omitempty"`
	Advanced        *ScaledAdvanced `json:"advanced,omitempty"`
	Triggers        []ScaleTrigger  `json:"triggers"`
}

// ScaleTarget names the workload KEDA scales; Kind defaults to Deployment.
type ScaleTarget struct {
	APIVersion             string `json:"apiVersion,omitempty"`
	Kind                   string `json:"kind,omitempty"`
	Name                   string `json:"name"`
	EnvSourceContainerName string `json:"envSourceContainerName,omitempty"`
}

// ScaledAdvanced tunes the HorizontalPodAutoscaler KEDA creates.
type ScaledAdvanced struct {
	HorizontalPodAutoscalerConfig *struct {
		Name     string                                         `json:"name,omitempty"`
		Behavior *autoscalingv2.HorizontalPodAutoscalerBehavior `json:"behavior,omitempty"`
	} `json:"horizontalPodAutoscalerConfig,omitempty"`
	RestoreToOriginalReplicaCount bool `json:"restoreToOriginalReplicaCount,omitempty"`
}

// ScaleTrigger is one scaler; its metadata keys are checked per type in conventions.go.
type ScaleTrigger struct {
	Type              string            `json:"type"`
	Name              string            `json:"name,omitempty"`
	Metadata          map[string]string `json:"metadata"`
	AuthenticationRef *struct {
		Name string `json:"name"`
		Kind string `json:"kind,omitempty"`
	} `json:"authenticationRef,omitempty"`
}

// TriggerAuthentication is KEDA's keda.sh/v1alpha1 TriggerAuthentication.
type TriggerAuthentication struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		SecretTargetRef []struct {
			Parameter string `json:"parameter"`
			Name      string `json:"name"`
			Key       string `json:"key"`
		} `json:"secretTargetRef,omitempty"`
	} `json:"spec"`
}

// Kafka is Strimzi's kafka.strimzi.io/v1beta2 Kafka (KRaft, nodes in KafkaNodePools).
type Kafka struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Kafka struct {
			Version         string           `json:"version,omitempty"`
			MetadataVersion string           `json:"metadataVersion,omitempty"`
			Listeners       []KafkaListener  `json:"listeners"`
			Authorization   *KafkaAuthorizer `json:"authorization,omitempty"`
			Config          map[string]any   `json:"config,omitempty"`
		} `json:"kafka"`
		EntityOperator *struct {
			TopicOperator *EntityOperatorPart `json:"topicOperator,omitempty"`
			UserOperator  *EntityOperatorPart `json:"userOperator,omitempty"`
		} `json:"entityOperator,omitempty"`
	} `json:"spec"`
}

// KafkaListener is one Strimzi listener.
type KafkaListener struct {
	Name           string `json:"name"`
	Port           int32  `json:"port"`
	Type           string `json:"type"`
	TLS            bool   `json:"tls"`
	Authentication *struct {
		Type string `json:"type"`
	} `json:"authentication,omitempty"`
}

// KafkaAuthorizer is the cluster's authorizer.
type KafkaAuthorizer struct {
	Type       string   `json:"type"`
	SuperUsers []string `json:"superUsers,omitempty"`
}

// EntityOperatorPart is the topic or user operator of Strimzi's entity operator.
type EntityOperatorPart struct {
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`
}

// KafkaNodePool is Strimzi's kafka.strimzi.io/v1beta2 KafkaNodePool.
type KafkaNodePool struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Replicas int32    `json:"replicas"`
		Roles    []string `json:"roles"`
		Storage  struct {
			Type    string `json:"type"`
			Volumes []struct {
				ID            int32  `json:"id"`
				Type          string `json:"type"`
				Size          string `json:"size,omitempty"`
				Class         string `json:"class,omitempty"`
				DeleteClaim   bool   `json:"deleteClaim,omitempty"`
				KraftMetadata string `json:"kraftMetadata,omitempty"`
			} `json:"volumes,omitempty"`
		} `json:"storage"`
		Resources  *corev1.ResourceRequirements `json:"resources,omitempty"`
		JVMOptions *struct {
			Xms string `json:"-Xms,omitempty"`
			Xmx string `json:"-Xmx,omitempty"`
		} `json:"jvmOptions,omitempty"`
	} `json:"spec"`
}

// KafkaTopic is Strimzi's kafka.strimzi.io/v1beta2 KafkaTopic.
type KafkaTopic struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		TopicName  string         `json:"topicName,omitempty"`
		Partitions int32          `json:"partitions"`
		Replicas   int32          `json:"replicas"`
		Config     map[string]any `json:"config,omitempty"`
	} `json:"spec"`
}

// KafkaUser is Strimzi's kafka.strimzi.io/v1beta2 KafkaUser.
type KafkaUser struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Authentication struct {
			Type string `json:"type"`
		} `json:"authentication"`
		Authorization *struct {
			Type string `json:"type"`
			ACLs []struct {
				Resource struct {
					Type        string `json:"type"`
					Name        string `json:"name,omitempty"`
					PatternType string `json:"patternType,omitempty"`
				} `json:"resource"`
				Operations []string `json:"operations"`
				Host       string   `json:"host,omitempty"`
			} `json:"acls"`
		} `json:"authorization,omitempty"`
	} `json:"spec"`
}

// Elasticsearch is ECK's elasticsearch.k8s.elastic.co/v1 Elasticsearch.
type Elasticsearch struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Version string `json:"version"`
		Auth    *struct {
			FileRealm []SecretSource `json:"fileRealm,omitempty"`
			Roles     []SecretSource `json:"roles,omitempty"`
		} `json:"auth,omitempty"`
		NodeSets []ElasticsearchNodeSet `json:"nodeSets"`
	} `json:"spec"`
}

// SecretSource names a Secret ECK reads.
type SecretSource struct {
	SecretName string `json:"secretName"`
}

// ElasticsearchNodeSet is a group of identically configured nodes.
type ElasticsearchNodeSet struct {
	Name                 string                         `json:"name"`
	Count                int32                          `json:"count"`
	Config               map[string]any                 `json:"config,omitempty"`
	PodTemplate          *corev1.PodTemplateSpec        `json:"podTemplate,omitempty"`
	VolumeClaimTemplates []corev1.PersistentVolumeClaim `json:"volumeClaimTemplates,omitempty"`
}
