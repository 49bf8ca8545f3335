// The one place a watch's state becomes model/proof.ts's verdict on its verdicts: the TUI's header
// and stack view and every report ask here, so they never disagree about "heuristics only".
import type {PollerState} from '../fetch/types.ts';
import {type LeakProof, leakProof, modelMarked} from '../model/proof.ts';
import type {ModelSnapshot} from '../model/types.ts';

export function watchProof(poller: Pick<PollerState, 'leakProfile' | 'offline'>, model: ModelSnapshot | undefined): LeakProof | undefined {
	return leakProof({leakProfile: poller.leakProfile, offline: poller.offline === true, marked: modelMarked(model)});
}
