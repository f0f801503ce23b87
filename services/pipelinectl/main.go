// Command pipelinectl administers the pipeline.
//
//	pipelinectl setup                  create the topics, install the index template and alias
//	pipelinectl status                 topics, offsets, consumer groups and lag, alias, counts
//	pipelinectl replay --group G --topic T --to earliest|latest|TIME|P:O,…  [--dry-run] [--force]
//	pipelinectl reindex --version N    rebuild articles-vN from articles.raw, then swap the alias
//	pipelinectl drop --version N       delete articles-vN (never the one the alias points at)
//	pipelinectl dlq [--limit N]        show the newest dead letters with stage, reason and origin
//	pipelinectl dlq redrive --stage S|--reason R|--id ID|--since T|--until T|--all [--dry-run]
//	                                   re-publish chosen dead letters to their original topic
//
// Settings come from the same environment variables as the services
// (KAFKA_BROKERS, ELASTICSEARCH_URL, …); run `pipelinectl CMD -h` for flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/deskwire/newsroom/services/pipeline/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(cli.Exit("pipelinectl", err))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd, args := cli.Subcommand(args, "")
	switch cmd {
	case "setup":
		return setup(ctx, args, stdout, stderr)
	case "status":
		return status(ctx, args, stdout, stderr)
	case "replay":
		return replay(ctx, args, stdout, stderr)
	case "reindex":
		return reindex(ctx, args, stdout, stderr)
	case "drop":
		return drop(ctx, args, stdout, stderr)
	case "dlq":
		return dlq(ctx, args, stdout, stderr)
	case "", "help":
		fmt.Fprintln(stderr, "usage: pipelinectl setup|status|replay|reindex|drop|dlq [flags] (pipelinectl CMD -h for flags)")
		return cli.UsageError{Msg: "no command given"}
	}
	return cli.UsageError{Msg: fmt.Sprintf("unknown command %q: want setup, status, replay, reindex, drop or dlq", cmd)}
}
