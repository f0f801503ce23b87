// Package envflag binds configuration values to command-line flags whose
// defaults come from environment variables: the environment configures a
// deployment, a flag overrides it for one run. Every value can be dumped
// once at start with secrets masked.
package envflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"
)

// Set is a flag set whose flags read their defaults from the environment.
type Set struct {
	FS      *flag.FlagSet
	entries []entry
	errs    []error
	lookup  func(string) (string, bool)
}

type entry struct {
	flag, env string
	secret    bool
	value     func() string
}

// New returns an empty set for the named command. Its usage text lists each
// flag with the environment variable that sets it.
func New(name string) *Set {
	s := &Set{FS: flag.NewFlagSet(name, flag.ContinueOnError), lookup: os.LookupEnv}
	s.FS.Usage = func() {
		fmt.Fprintf(s.FS.Output(), "Usage of %s (flags override environment variables):\n", name)
		s.FS.PrintDefaults()
	}
	return s
}

// SetLookup replaces os.LookupEnv; for tests.
func (s *Set) SetLookup(f func(string) (string, bool)) { s.lookup = f }

// SetOutput sets where usage and errors go.
func (s *Set) SetOutput(w io.Writer) { s.FS.SetOutput(w) }

func (s *Set) env(env string) (string, bool) {
	if env == "" {
		return "", false
	}
	v, ok := s.lookup(env)
	if !ok || v == "" {
		return "", false
	}
	return v, true
}

func usage(env, usage string) string {
	if env == "" {
		return usage
	}
	return fmt.Sprintf("%s (env %s)", usage, env)
}

// String binds a string flag.
func (s *Set) String(p *string, name, env, def, help string) {
	s.str(p, name, env, def, help, false)
}

// Secret binds a string flag whose value is masked in Fields and usage.
func (s *Set) Secret(p *string, name, env, help string) {
	s.str(p, name, env, "", help, true)
}

func (s *Set) str(p *string, name, env, def, help string, secret bool) {
	if v, ok := s.env(env); ok {
		def = v
	}
	if secret {
		// The default (possibly from the environment) must never show in usage.
		*p = def
		s.FS.Func(name, usage(env, help), func(v string) error { *p = v; return nil })
	} else {
		s.FS.StringVar(p, name, def, usage(env, help))
	}
	s.entries = append(s.entries, entry{flag: name, env: env, secret: secret, value: func() string { return *p }})
}

// Int binds an int flag.
func (s *Set) Int(p *int, name, env string, def int, help string) {
	if v, ok := s.env(env); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			s.errs = append(s.errs, fmt.Errorf("environment variable %s=%q: want an integer", env, v))
		} else {
			def = n
		}
	}
	s.FS.IntVar(p, name, def, usage(env, help))
	s.entries = append(s.entries, entry{flag: name, env: env, value: func() string { return strconv.Itoa(*p) }})
}

// Bool binds a bool flag.
func (s *Set) Bool(p *bool, name, env string, def bool, help string) {
	if v, ok := s.env(env); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			s.errs = append(s.errs, fmt.Errorf("environment variable %s=%q: want true or false", env, v))
		} else {
			def = b
		}
	}
	s.FS.BoolVar(p, name, def, usage(env, help))
	s.entries = append(s.entries, entry{flag: name, env: env, value: func() string { return strconv.FormatBool(*p) }})
}

// Duration binds a duration flag ("500ms", "2s").
func (s *Set) Duration(p *time.Duration, name, env string, def time.Duration, help string) {
	if v, ok := s.env(env); ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			s.errs = append(s.errs, fmt.Errorf("environment variable %s=%q: want a duration such as 500ms or 2s", env, v))
		} else {
			def = d
		}
	}
	s.FS.DurationVar(p, name, def, usage(env, help))
	s.entries = append(s.entries, entry{flag: name, env: env, value: func() string { return p.String() }})
}

// Parse reads the environment errors collected while binding and then the
// flags. It returns flag.ErrHelp for -h.
func (s *Set) Parse(args []string) error {
	if len(s.errs) > 0 {
		return errors.Join(s.errs...)
	}
	return s.FS.Parse(args)
}

// Fields returns one zap field per setting, secrets shown as "***" when set.
func (s *Set) Fields() []zap.Field {
	out := make([]zap.Field, 0, len(s.entries))
	for _, e := range s.entries {
		v := e.value()
		if e.secret && v != "" {
			v = "***"
		}
		out = append(out, zap.String(e.flag, v))
	}
	return out
}

// ReadSecretFile returns the trimmed content of path, or value when path is
// empty. It is how tokens and passwords come from mounted files.
func ReadSecretFile(value, path string) (string, error) {
	if path == "" {
		return value, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading secret file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}
