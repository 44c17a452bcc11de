package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Options are the `--name value` pairs after the bootstrap address.
type Options map[string]string

func parseOptions(args []string) (Options, error) {
	o := Options{}
	for i := 0; i < len(args); i += 2 {
		if !strings.HasPrefix(args[i], "--") || i+1 >= len(args) {
			return nil, fmt.Errorf("expected --name value, got: %s", args[i])
		}
		o[strings.TrimPrefix(args[i], "--")] = args[i+1]
	}
	return o, nil
}

func (o Options) String(name, fallback string) string {
	if v, ok := o[name]; ok {
		return v
	}
	return fallback
}

// Int panics on a malformed number: options come from the test, not from a user.
func (o Options) Int(name string, fallback int64) int64 {
	v, ok := o[name]
	if !ok {
		return fallback
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("--%s %q is not a number", name, v))
	}
	return n
}

func splitBootstrap(s string) []string {
	return strings.Split(s, ",")
}
