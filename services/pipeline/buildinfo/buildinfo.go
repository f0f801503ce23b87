// Package buildinfo holds the version baked into every binary at link time:
//
//	go build -ldflags "-X github.com/deskwire/newsroom/services/pipeline/buildinfo.Version=v1.2.3"
package buildinfo

import "runtime"

// Version of the build; "dev" when not set by the linker.
var Version = "dev"

// GoVersion is the Go toolchain that built the binary.
func GoVersion() string { return runtime.Version() }
