"""What the interop tests share: building a client program once per process with its build
script, and one run of one of its scenarios (a JSON line of named steps on stdout)."""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_builds = {}


def build_once(script, compile_failed, is_result=os.path.isfile):
    """(result, None) or (None, the one line saying why there is none) from HERE/`script`, which
    prints its result last (an artifact's path, or what `is_result` accepts); run once per
    process. When its last error line contains `compile_failed`, the tool's own words (compiler,
    Maven) go to stderr too."""
    if script not in _builds:
        try:
            p = subprocess.run(["bash", os.path.join(HERE, script)], capture_output=True, text=True, timeout=900)
        except OSError as e:
            _builds[script] = (None, "cannot run %s: %s" % (script, e))
            return _builds[script]
        lines = p.stdout.strip().splitlines()
        if p.returncode == 0 and lines and is_result(lines[-1]):
            _builds[script] = (lines[-1], None)
        else:
            errors = [l for l in p.stderr.strip().splitlines() if l.strip()]
            if errors and compile_failed in errors[-1]:
                sys.stderr.write(p.stderr[-6000:])
            _builds[script] = (None, errors[-1] if errors else "%s exited %d without a result" % (script, p.returncode))
    return _builds[script]


class ScenarioRun:
    """One run of `command` (the program and its positional arguments) with --options, in `env`
    (None: this process's): the parsed JSON line, its exit code and its stderr; `label` names it in
    what is printed."""

    def __init__(self, command, label, env=None, **options):
        args = list(command)
        for k, v in options.items():
            args += ["--" + k.replace("_", "-"), str(v)]
        start = time.monotonic()
        p = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
        self.seconds = time.monotonic() - start
        self.label, self.returncode, self.stderr = label, p.returncode, p.stderr
        lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
        self.result = json.loads(lines[-1]) if lines else None
        print("%s: exit %d in %.1fs; %s" % (label, p.returncode, self.seconds, p.stdout.strip()), flush=True)

    @property
    def steps(self):
        return self.result["steps"] if self.result else {}

    def step(self, name):
        return self.steps.get(name, {})

    def why(self, step=None):
        """What to show when an assertion fails: the step's error, the client's stderr tail (without
        Java stack frames)."""
        error = self.step(step).get("error") if step else None
        tail = "\n".join(l for l in self.stderr.splitlines() if not l.startswith("\tat "))[-3000:]
        return "%s%s (exit %d); client stderr tail:\n%s" % (self.label, ": " + error if error else "", self.returncode, tail)
