// The model behind a report: per-goroutine dumps go through the model's Tracker, so stuck
// goroutines, growth and suspects mean exactly what they mean in the TUI; a debug=1 profile
// (counts per stack, no ids or states) becomes a one-poll snapshot of its records.
import type {Dump, ProfileRecord} from '../dump/types.ts';
import {Tracker, type TrackerOptions} from '../model/index.ts';
import type {GroupBy, ModelSnapshot} from '../model/types.ts';
import {snapshotFromProfile} from '../report/profile-snapshot.ts';

export interface ReportModelOptions {
	groupBy: GroupBy;
	stuckAfterPolls?: number;
	stuckAfterMs?: number;
	/** Goroutine ids of the --baseline dump. */
	baselineIds?: ReadonlySet<number>;
}

export interface PollFacts {
	/** Epoch-ms of the poll. */
	at: number;
	/** The dump was cut: goroutines missing from it are not gone. */
	truncated?: boolean;
	/** Go's goroutineleak profile, when the target serves it. */
	leakRecords?: ProfileRecord[];
}

export interface ReportModel {
	update(dump: Dump, poll: PollFacts): ModelSnapshot;
}

export function createReportModel(options: ReportModelOptions): ReportModel {
	const trackerOptions: TrackerOptions = {groupBy: options.groupBy};
	if (options.stuckAfterPolls !== undefined) trackerOptions.stuckAfterPolls = options.stuckAfterPolls;
	if (options.stuckAfterMs !== undefined) trackerOptions.stuckAfterMs = options.stuckAfterMs;
	if (options.baselineIds !== undefined) trackerOptions.baselineIds = options.baselineIds;
	const tracker = new Tracker(trackerOptions);
	return {
		update(dump, poll) {
			if (dump.kind === 'profile' && dump.goroutines.length === 0) return snapshotFromProfile(dump, poll.at);
			return tracker.update({goroutines: dump.goroutines, ...poll});
		},
	};
}
