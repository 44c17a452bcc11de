package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"time"
)

// Steps are the steps of one scenario, each run to its end or its first failure: a failed step
// is recorded (its error) and the next step still runs, so one run lists everything that breaks.
// The JSON line: {"client", "scenario", "ok", "failed": [names], "steps": {name: {...}}}, steps in
// the order they ran.
type Steps struct {
	client, scenario string
	names            []string
	entries          map[string]map[string]any
	failed           []string
}

func newSteps(client, scenario string) *Steps {
	return &Steps{client: client, scenario: scenario, entries: map[string]map[string]any{}, failed: []string{}}
}

// failure is what check, must and equal panic with to end a step.
type failure struct{ message string }

// Run runs body; what it put in result is kept even when it fails.
func (s *Steps) Run(name string, body func(result map[string]any)) bool {
	result := map[string]any{}
	start := time.Now()
	err := func() (err error) {
		defer func() {
			switch p := recover().(type) {
			case nil:
			case failure:
				err = fmt.Errorf("%s", p.message)
			default:
				err = fmt.Errorf("panic: %v", p)
				os.Stderr.Write(debug.Stack())
			}
		}()
		body(result)
		return nil
	}()
	if err != nil {
		s.failed = append(s.failed, name)
		result["error"] = err.Error()
		fmt.Fprintf(os.Stderr, "[%s %s] step %s FAILED: %v\n", s.client, s.scenario, name, err)
	}
	result["ok"] = err == nil
	result["ms"] = time.Since(start).Milliseconds()
	s.Record(name, result)
	return err == nil
}

// Record puts a step's outcome by hand (for calls whose failure is a finding, not a failure).
func (s *Steps) Record(name string, entry map[string]any) {
	if _, seen := s.entries[name]; !seen {
		s.names = append(s.names, name)
	}
	s.entries[name] = entry
}

func (s *Steps) OK() bool { return len(s.failed) == 0 }

func (s *Steps) JSON() string {
	var steps bytes.Buffer
	steps.WriteByte('{')
	for i, name := range s.names {
		if i > 0 {
			steps.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		v, err := json.Marshal(s.entries[name])
		if err != nil {
			v, _ = json.Marshal(map[string]any{"ok": false, "error": "unprintable result: " + err.Error()})
		}
		steps.Write(k)
		steps.WriteByte(':')
		steps.Write(v)
	}
	steps.WriteByte('}')
	out, _ := json.Marshal(struct {
		Client   string          `json:"client"`
		Scenario string          `json:"scenario"`
		OK       bool            `json:"ok"`
		Failed   []string        `json:"failed"`
		Steps    json.RawMessage `json:"steps"`
	}{s.client, s.scenario, s.OK(), s.failed, steps.Bytes()})
	return string(out)
}

// check ends the step when condition is false.
func check(condition bool, format string, args ...any) {
	if !condition {
		panic(failure{fmt.Sprintf(format, args...)})
	}
}

// must ends the step when err is not nil, saying what was being done.
func must(err error, what string) {
	if err != nil {
		panic(failure{fmt.Sprintf("%s: %v", what, err)})
	}
}

// equal ends the step when got is not want (deep equality).
func equal(want, got any, what string) {
	if !reflect.DeepEqual(want, got) {
		panic(failure{fmt.Sprintf("%s: expected %v, got %v", what, want, got)})
	}
}
