package main

import (
	"context"
	"io"

	"github.com/elastic/go-elasticsearch/v8"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/stream"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/admin"
)

// env is what every subcommand connects to.
type env struct {
	log    *zap.Logger
	kcfg   stream.Config
	ecfg   esindex.Config
	client *stream.Client
	kafka  admin.Kafka
	es     *elasticsearch.Client
	ix     *esindex.Admin
	fs     *envflag.Set
}

// connect parses flags (bind adds the subcommand's own) and builds clients.
func connect(name string, args []string, stderr io.Writer, bind func(*envflag.Set)) (*env, error) {
	e := &env{}
	log, fs, err := cli.Parse("pipelinectl "+name, args, stderr, func(s *envflag.Set) {
		e.kcfg.Bind(s)
		e.ecfg.Bind(s)
		if bind != nil {
			bind(s)
		}
	})
	if err != nil {
		return nil, err
	}
	e.log, e.fs = log, fs
	if err := e.kcfg.Validate(); err != nil {
		return nil, err
	}
	if err := e.ecfg.Validate(); err != nil {
		return nil, err
	}
	if e.client, err = stream.NewClient(&e.kcfg); err != nil {
		return nil, err
	}
	e.kafka = admin.Kafka{C: e.client.Kafka()}
	if e.es, err = e.ecfg.NewClient(); err != nil {
		return nil, err
	}
	e.ix = &esindex.Admin{ES: e.es, Cfg: &e.ecfg}
	return e, nil
}

func (e *env) topics() []stream.TopicSpec {
	return []stream.TopicSpec{{Name: e.kcfg.TopicRaw, Compact: true}, {Name: e.kcfg.TopicClassified}, {Name: e.kcfg.TopicDLQ}}
}

func (e *env) ensureTopics(ctx context.Context) error {
	return cli.WaitFor(ctx, e.log, "kafka", func(ctx context.Context) error { return e.client.EnsureTopics(ctx, e.topics()...) })
}
