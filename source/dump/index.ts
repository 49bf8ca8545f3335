// The dump module's public face: other layers import from here only.
export type {DumpParser, StateClass} from './api.ts';
export type {Ancestor, CreatedBy, Dump, DumpKind, Elision, Frame, Goroutine, ProfileRecord} from './types.ts';
export {createDumpParser, parseDump, type DumpParserOptions} from './parse.ts';
