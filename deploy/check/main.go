// Command check renders every kustomize overlay under a manifest tree, decodes each
// object strictly into its Kubernetes API type, and checks the project's conventions.
//
// It needs no cluster and no kubectl: kustomize runs in-process (krusty) on an in-memory
// copy of the tree. For every overlay (base and overlays/*) it renders the overlay alone,
// with each component in components/*, and with all components together.
//
// Usage:
//
//	cd deploy/check && GOWORK=off go run . ../k8s
//
// It prints one line per render and exits 1 if any render fails or breaks a rule.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "deploy check:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage: check [-v] DIR (DIR holds base/, overlays/ and components/)")

// run checks the manifest tree named by args and writes its report to out.
func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verbose := fs.Bool("v", false, "list every object of every render")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errUsage
	}
	tree, err := loadTree(fs.Arg(0))
	if err != nil {
		return err
	}
	renders := tree.renders()
	if len(renders) == 0 {
		return fmt.Errorf("no kustomization found under %s", fs.Arg(0))
	}
	failed := 0
	for _, r := range renders {
		objs, err := tree.render(r)
		if err != nil {
			failed++
			fmt.Fprintf(out, "%-30s FAIL\n", r.Name)
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(out, "    %s\n", line)
			}
			continue
		}
		problems := checkAll(objs)
		fmt.Fprintf(out, "%-30s %3d objects  %s", r.Name, len(objs), kindCounts(objs))
		if len(problems) == 0 {
			fmt.Fprintln(out, "  ok")
		} else {
			failed++
			fmt.Fprintln(out, "  FAIL")
			for _, p := range problems {
				fmt.Fprintf(out, "    %v\n", p)
			}
		}
		if *verbose {
			for _, o := range objs {
				fmt.Fprintf(out, "      %s\n", o.ref())
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d renders failed", failed, len(renders))
	}
	fmt.Fprintf(out, "all %d renders ok\n", len(renders))
	return nil
}
