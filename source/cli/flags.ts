// The command line: every flag meow parses, and the help text that documents them.
// Numbers and durations are taken as strings and validated in options.ts, so a bad value
// gets one clear line ("--polls must be a whole number ≥ 1, got 'abc'") instead of a silent NaN.
import {GROUP_BYS} from '../model/types.ts';
import {orList} from '../text/words.ts';

export const flagDefinitions = {
	once: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	polls: {type: 'string'},
	interval: {type: 'string', shortFlag: 'i'},
	watch: {type: 'boolean', default: false},
	header: {type: 'string', shortFlag: 'H', isMultiple: true},
	cacert: {type: 'string'},
	insecure: {type: 'boolean', default: false},
	maxOverhead: {type: 'string'},
	maxPause: {type: 'string'},
	maxBytes: {type: 'string'},
	pollTimeout: {type: 'string'},
	headersTimeout: {type: 'string'},
	bodyTimeout: {type: 'string'},
	stuckAfter: {type: 'string'},
	groupBy: {type: 'string'},
	hideIdle: {type: 'boolean', default: false},
	clipboard: {type: 'boolean', default: false},
	sourceRoot: {type: 'string'},
	failOnSuspects: {type: 'string'},
	failOn: {type: 'string'},
	baseline: {type: 'string'},
	color: {type: 'boolean', default: true},
	demo: {type: 'boolean', default: false},
	targets: {type: 'string'},
	metricsListen: {type: 'string'},
	metricsTop: {type: 'string'},
	help: {type: 'boolean', default: false, shortFlag: 'h'},
	version: {type: 'boolean', default: false},
} as const;

export type FlagName = keyof typeof flagDefinitions;

/** package.json's description, wrapped for an 80-column terminal. */
export const description = `A live goroutine monitor for the terminal: watch a Go service's goroutines,
spot the ones stuck forever, and find the leak.`;

export const helpText = `
	Usage
	  $ gmon [TARGET]              live TUI on a terminal; a report when piped or with --once
	  $ gmon A B C                 one live view of several targets (T shows one at a time)
	  $ gmon --once A B C          one report per target, then the fleet's (--targets FILE: one a line)
	  $ gmon --metrics-listen 9464 TARGET...  headless: serve /metrics to Prometheus
	  $ gmon --demo                watch an embedded demo service leak goroutines
	  $ gmon diff BEFORE AFTER     what changed between two dumps (files or targets)

	TARGET
	  localhost:6060, :6060, 6060  a Go service with net/http/pprof (/debug/pprof/goroutine?debug=2)
	  http(s)://host/path          a URL: a mount (/debug/pprof/) gets goroutine appended, a full
	                               profile URL (…/goroutine, …/goroutineleak) is used as given;
	                               ?debug=1 means counts and groups only (D takes a full dump)
	  unix:/path/to.sock           pprof served on a unix socket
	  FILE, -                      an offline dump (debug=2, debug=1, panic, SIGQUIT); - reads stdin

	Output
	  --once                 print one report and exit (the default when stdout is not a terminal)
	  --json                 the report as JSON (schema: source/report/schema.json)
	  --polls N              poll a live target N times before reporting (default 1)
	  -i, --interval D       time between polls: 500ms, 2s, 1m (default 2s)
	  --watch                keep polling (a FILE is re-read); one report per poll, NDJSON with --json
	  --group-by KEY         ${GROUP_BYS[0]} (default), ${orList(GROUP_BYS.slice(1))}
	  --hide-idle            leave out known-benign goroutines (accept loops, runtime workers)
	  --no-color             no colour (NO_COLOR is honoured too)
	  --clipboard            live view: y also copies the stack to the terminal clipboard (OSC 52)
	  --source-root DIR      live view: the build's source files are under DIR here (stack view, e)

	Prometheus
	  --metrics-listen ADDR  no TUI: serve /metrics (Prometheus/OpenMetrics text) on ADDR: 9464 or :9464
	                         (127.0.0.1), or HOST:PORT to listen beyond loopback
	  --metrics-top N        groups exported per target besides every suspect (default 20)
	  --targets FILE         the targets, one a line (# comments); with or after TARGETs

	Leak gate
	  --fail-on TIER         exit 1 on a suspect of TIER or above: proven, likely (default), possible;
	                         a leak Go's goroutineleak profile proved always fails
	  --fail-on-suspects[=N] exit 1 when N or more goroutines (default 1) are such suspects
	  --baseline FILE        a dump taken before the workload: what appeared since and is still
	                         parked in your code is a likely leak (turns the gate on)
	  --stuck-after N|D      unchanged for N polls (3; N-1 in a short --polls N run) or a duration
	                         (30s) before a goroutine counts as stuck

	Target access
	  -H, --header 'K: V'    send a request header (repeatable), e.g. -H 'Authorization: Bearer …'
	  --cacert FILE          trust this CA for https targets
	  --insecure             skip TLS certificate verification
	  --max-overhead PCT     a full dump freezes the target: at most PCT% of any 40s (default 5; 0 = off)
	  --max-pause D          longest freeze gmon causes unasked (default 1s; 0 = no limit); a bigger
	                         full dump is held: groups from debug=1, its cost shown, D takes one
	  --max-bytes SIZE       stop reading a dump after SIZE bytes: 64MB (default), 512KB, 1GB
	  --headers-timeout D    give up when the target sends no response for D (default 1m)
	  --body-timeout D       give up when a dump stalls for D between bytes (default 30s)
	  --poll-timeout D       give up on a poll (or file read) taking longer: 5m (default), 30s

	  -h, --help             this help
	  --version              gmon's version

	Exit codes
	  0  ok      1  suspects found (--fail-on, --fail-on-suspects, --baseline)
	  2  usage error, or a FILE that is not a goroutine dump
	  3  target unreachable or unreadable, or it did not send a goroutine dump
	  130/143  interrupted (Ctrl-C/SIGTERM) before a --once report was complete

	Examples
	  $ gmon localhost:6060
	  $ gmon --once --polls 3 --interval 1s localhost:6060
	  $ curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' | gmon -
	  $ gmon --json crash.log | jq '.suspects[0].reason'
	  $ gmon diff before.txt after.txt
	  $ gmon --once --polls 5 --fail-on-suspects=10 localhost:6060 || echo 'leak!'
	  $ curl -so before.txt localhost:6060/debug/pprof/goroutine?debug=2; run-load; gmon --baseline before.txt localhost:6060
`;
