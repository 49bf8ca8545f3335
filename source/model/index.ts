// The model's public face: other layers import from here only.
export type {PollInput, TrackerLike, TrackerOptions} from './api.ts';
export type {Group, GroupBy, ModelSnapshot, Suspect, TrackedGoroutine} from './types.ts';
export {Tracker, PERIODIC_AFTER_MS, type PollFeed} from './tracker.ts';
export {formatDuration, formatRate, baseName} from './format.ts';
export {benignReason, type BenignReason} from './benign.ts';
export {isRestart, type RestartEvidence} from './restart.ts';
export {atLeast, TIERS, type Tier} from './verdict.ts';
