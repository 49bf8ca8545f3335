// The dump module's public face: other layers import from here only.
export type {DumpParser, StateClass} from './api.ts';
export type {Ancestor, CreatedBy, Dump, DumpKind, Elision, Frame, Goroutine, ProfileRecord} from './types.ts';
export {createDumpParser, parseDump, type DumpParserOptions} from './parse.ts';
export {createParseCache, type ParseCache} from './parse-cache.ts';
// classifyState, userFrame, isUserFunc and their helpers (written alongside the parser).
export * from './classify.ts';
export * from './user-frame.ts';
